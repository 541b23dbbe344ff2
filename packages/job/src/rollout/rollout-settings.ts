import { join } from "node:path";
import { OrgwardenError } from "@orgwarden/core";
import { DURATION_HINT, durationMs } from "../config/field-rules.js";
import { DEFAULT_ROLLOUT_STATE, type RolloutConfig } from "../config/rollout-config.js";
import type { RunConfig } from "../config/run-config.js";
import { type ImpactFlags, impactWindowSettings } from "../settings/impact-settings.js";
import {
  type ScpConnection,
  type ScpFlags,
  type ScpSettings,
  scpSettings,
} from "../settings/scp-settings.js";

/** The flags of `orgwarden rollout` that start one (a resume takes only --resume, --yes, --no-wait, --poll). */
export interface RolloutFlags extends ScpFlags, ImpactFlags {
  stages?: string;
  soak?: string;
  deliveryMargin?: string;
  state?: string;
  poll?: string;
}

/** What a new rollout starts from: apply-scp's settings, the stages, the soak, the activity read. */
export interface RolloutStart {
  scp: ScpSettings;
  policyDir: string | undefined;
  /** The stages as given (ids or paths), in order. */
  stages: string[];
  soak: string;
  soakMs: number;
  /** How long after soakUntil a soak still reads before it passes: CloudTrail's delivery delay. */
  deliveryMargin: string;
  deliveryMarginMs: number;
  since: string;
  /** --source as given. */
  source: string;
  /** The regions whose activity is read; undefined: every region the management account has enabled. */
  activityRegions: string[] | undefined;
  maxNewDenials: number;
  stateFile: string;
}

export const DEFAULT_POLL = "15m";
/**
 * CloudTrail delivers most events within 5 minutes of the call and promises no bound; 15 minutes
 * past a soak catches the late ones before the stage passes.
 */
export const DEFAULT_DELIVERY_MARGIN = "15m";
/** A poll longer than a day would outlast the soaks it watches (and Node's longest timer, 24.8 days). */
const MAX_POLL_MS = 86_400_000;

/**
 * `orgwarden rollout`'s one merge: the policies and parameters as apply-scp renders them (flag >
 * file > default), the window and source as impact reads them, then the rollout's own flags.
 * `now` checks --since; each stage's window is taken from its own start.
 */
export function rolloutSettings(
  flags: RolloutFlags,
  connection: ScpConnection,
  config: RunConfig | undefined,
  now: Date,
): RolloutStart {
  if (!flags.stages) {
    throw new OrgwardenError("INVALID_INPUT", "--stages is required to start a rollout", {
      hint: "e.g. --stages Root/Sandbox,Root/Dev,Root/Prod (ids or paths, in order); or --resume FILE to continue one.",
    });
  }
  if (flags.soak === undefined) {
    throw new OrgwardenError("INVALID_INPUT", "--soak is required to start a rollout", {
      hint: `How long each stage runs before the next: ${DURATION_HINT} (0s: judge at once).`,
    });
  }
  const window = impactWindowSettings(flags, config, now, 0);
  return {
    scp: scpSettings(flags, connection, config),
    policyDir: flags.policyDir,
    stages: stageList(flags.stages),
    soak: flags.soak,
    soakMs: duration("--soak", flags.soak),
    deliveryMargin: flags.deliveryMargin ?? DEFAULT_DELIVERY_MARGIN,
    deliveryMarginMs: duration("--delivery-margin", flags.deliveryMargin ?? DEFAULT_DELIVERY_MARGIN),
    since: window.since,
    source: flags.source ?? "lookup-events",
    activityRegions: window.regions,
    maxNewDenials: window.maxNewDenials ?? 0,
    stateFile: flags.state ?? DEFAULT_ROLLOUT_STATE,
  };
}

/** The `rollout:` section of orgwarden.yaml as `orgwarden run` starts it (the top-level SCP parameters apply). */
export function rolloutSettingsFromConfig(
  section: RolloutConfig,
  connection: ScpConnection,
  config: RunConfig,
  now: Date,
): RolloutStart {
  const window = impactWindowSettings(
    {
      ...(section.since ? { since: section.since } : {}),
      ...(section.source ? { source: section.source } : {}),
    },
    config,
    now,
  );
  return {
    scp: scpSettings({}, connection, config, { policies: section.policies }),
    policyDir: undefined,
    stages: stageList(section.stages.join(",")),
    soak: section.soak,
    soakMs: duration("rollout.soak", section.soak),
    deliveryMargin: section.deliveryMargin ?? DEFAULT_DELIVERY_MARGIN,
    deliveryMarginMs: duration("rollout.deliveryMargin", section.deliveryMargin ?? DEFAULT_DELIVERY_MARGIN),
    since: window.since,
    source: section.source ?? "lookup-events",
    activityRegions: window.regions,
    maxNewDenials: section.maxNewDenials,
    // report.outputDir is what the scheduled job keeps between runs (deploy/entrypoint.sh): a state
    // anywhere else in a container would be lost with it, and each run would start the rollout over.
    stateFile: section.state ?? join(config.report.outputDir, DEFAULT_ROLLOUT_STATE),
  };
}

/** --poll: how often a waiting rollout reads denials during a soak. */
export function pollMs(raw: string | undefined): number {
  const ms = duration("--poll", raw ?? DEFAULT_POLL);
  if (ms < 1_000 || ms > MAX_POLL_MS) {
    throw new OrgwardenError("INVALID_INPUT", `--poll ${raw} must be between 1s and 24h`, {
      hint: "e.g. --poll 15m (the default) or --poll 1h.",
    });
  }
  return ms;
}

function duration(what: string, raw: string): number {
  const ms = durationMs(raw);
  if (ms === undefined) {
    throw new OrgwardenError("INVALID_INPUT", `${what} "${raw}" is not a duration`, {
      hint: `Give ${DURATION_HINT}.`,
    });
  }
  return ms;
}

function stageList(raw: string): string[] {
  const stages = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (stages.length === 0) {
    throw new OrgwardenError("INVALID_INPUT", "--stages names no stage", {
      hint: "e.g. --stages Root/Sandbox,Root/Dev,Root/Prod",
    });
  }
  return stages;
}
