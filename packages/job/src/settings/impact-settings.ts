import { parseSourceSpec, type ReadWindow, type SourceSpec } from "@orgwarden/activity";
import { OrgwardenError } from "@orgwarden/core";
import { durationMs, isSince, SINCE_HINT } from "../config/field-rules.js";
import type { RunConfig } from "../config/run-config.js";
import { connectionRegions } from "./connection-settings.js";
import {
  type AwsCheckSettings,
  type ScpConnection,
  type ScpFlags,
  type ScpSettings,
  scpSettings,
} from "./scp-settings.js";

/** The flags of `orgwarden impact`, and of apply-scp --impact and rollout: the window and the source. */
export interface ImpactFlags {
  since?: string;
  source?: string;
  maxNewDenials?: string;
}

export interface ImpactWindowSettings {
  /** `--since` as given (default 14d). */
  since: string;
  window: ReadWindow;
  source: SourceSpec;
  /** --regions, else connection.regions; undefined: every region the management account has enabled. */
  regions: string[] | undefined;
  /** --max-new-denials: at most this many new denials (events) are accepted; undefined: no limit. */
  maxNewDenials: number | undefined;
}

export interface ImpactSettings extends ImpactWindowSettings {
  /** --ou. */
  target: string;
  /** The policies and parameters as apply-scp would render them. */
  scp: ScpSettings;
  awsCheck: AwsCheckSettings;
}

export const DEFAULT_SINCE = "14d";

/** `orgwarden impact`'s one merge: the policy as apply-scp renders it, then the window and the source. */
export function impactSettings(
  flags: ScpFlags & ImpactFlags & { ou?: string },
  connection: ScpConnection,
  config: RunConfig | undefined,
  now: Date,
): ImpactSettings {
  if (!flags.ou) {
    throw new OrgwardenError("INVALID_INPUT", "--ou is required", {
      hint: "The root, OU or account the policies would be attached to: an id (ou-xxxx-xxxxxxxx) or a path (Root/Workloads).",
    });
  }
  const scp = scpSettings(flags, connection, config);
  return { target: flags.ou, scp, awsCheck: scp.awsCheck, ...impactWindowSettings(flags, config, now) };
}

/** The window, source, regions and limit, shared by impact, apply-scp --impact and rollout. */
export function impactWindowSettings(
  flags: ImpactFlags & { regions?: string },
  config: RunConfig | undefined,
  now: Date,
  defaultMaxNewDenials?: number,
): ImpactWindowSettings {
  const since = flags.since ?? DEFAULT_SINCE;
  return {
    since,
    window: { start: sinceDate(since, now), end: now },
    source: parseSourceSpec(flags.source ?? "lookup-events"),
    regions: connectionRegions(flags.regions, config),
    maxNewDenials: count("--max-new-denials", flags.maxNewDenials) ?? defaultMaxNewDenials,
  };
}

/**
 * `--since`: a duration back from now (`14d`, `36h`, `90m`, `3600s`) or a UTC date or time
 * (`2026-11-01`, `2026-11-01T08:00:00Z`). Never in the future.
 */
export function sinceDate(raw: string, now: Date): Date {
  const ms = durationMs(raw);
  if (ms !== undefined) {
    if (ms === 0) {
      throw new OrgwardenError("INVALID_INPUT", `--since ${raw} is an empty window`, {
        hint: "Give a duration such as 14d, 36h or 90m, or a date such as 2026-11-01.",
      });
    }
    return new Date(now.getTime() - ms);
  }
  if (!isSince(raw)) {
    throw new OrgwardenError("INVALID_INPUT", `--since "${raw}" is neither a duration nor a date`, {
      hint: `Give ${SINCE_HINT}.`,
    });
  }
  const date = new Date(raw);
  if (date.getTime() >= now.getTime()) {
    throw new OrgwardenError("INVALID_INPUT", `--since ${raw} is not in the past`, {
      hint: "The window runs from --since to now.",
    });
  }
  return date;
}

function count(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) {
    throw new OrgwardenError("INVALID_INPUT", `${flag} must be a whole number, not "${raw}"`, {
      hint: `${flag} 0 accepts no new denial at all.`,
    });
  }
  return Number(raw);
}
