import { existsSync } from "node:fs";
import { OrgwardenError, SYSTEM_CLOCK } from "@orgwarden/core";
import { documentSha256, loadPolicyLibrary, type PolicyTemplate } from "@orgwarden/scp";
import { draftScp } from "../scp/plan-scp.js";
import type { JobSession } from "../session/session.js";
import { beginRollout, continueRollout, describeRollout, rolloutExitCode } from "./continue-rollout.js";
import type { RolloutEvent, RolloutOutcome } from "./rollout-events.js";
import type { RolloutStart } from "./rollout-settings.js";
import { type RolloutState, readRolloutState, rolloutFinished } from "./rollout-state.js";
import { lockRolloutState } from "./state-lock.js";

/** `orgwarden run`'s rollout line: where the `rollout:` section's rollout stands after this run. */
export interface RolloutSummary {
  state: string;
  outcome: RolloutOutcome;
  /** describeRollout: "stage 2/3 Root/Dev attached, soaking until …". */
  summary: string;
  /** 0, or 3 (activity not read), 5 (a stage's impact), 6 (a stage rolled back). */
  exitCode: number;
  /** Attaches and detaches this run made. */
  writes: number;
}

/**
 * The rollout of orgwarden.yaml's `rollout:` section, as `orgwarden run` takes it on each run: started
 * when its state file does not exist (or holds a finished rollout of other policies or stages), else
 * resumed; never waiting (as --no-wait) and without asking (the config is the confirmation). A state
 * file that holds another, unfinished rollout is REFUSED, and so is one another process holds
 * (`<state>.lock`).
 */
export async function runConfiguredRollout(
  session: JobSession,
  start: RolloutStart,
): Promise<RolloutSummary> {
  const log = session.logger.child({ rollout: start.stateFile });
  const lock = lockRolloutState(start.stateFile, { now: new Date() });
  try {
    if (lock.note) log.warn(lock.note);
    return await resumeConfigured(session, start, log);
  } finally {
    lock.release();
  }
}

async function resumeConfigured(
  session: JobSession,
  start: RolloutStart,
  log: JobSession["logger"],
): Promise<RolloutSummary> {
  const existing = existsSync(start.stateFile) ? readRolloutState(start.stateFile) : undefined;
  let state: RolloutState;
  const changed = existing ? rolloutDifferences(existing, start, loadPolicyLibrary(start.policyDir)) : [];
  if (existing && changed.length === 0) state = existing;
  else if (!existing || rolloutFinished(existing)) {
    state = await beginRollout(session, start, new Date());
    for (const note of state.notes) log.warn(note);
  } else {
    throw new OrgwardenError(
      "REFUSED",
      `rollout.state ${start.stateFile} holds an unfinished rollout (${describeRollout(existing)}) started with other settings than the config's: ${changed.join("; ")}`,
      {
        hint: "Put the rollout: section back as it was until the rollout finishes (orgwarden rollout --resume), or point rollout.state at another file to start a new one. Nothing was changed by the rollout.",
      },
    );
  }
  let writes = 0;
  const run = await continueRollout(
    session,
    state,
    // A rolled-back stage is never tried again by a scheduled run: its line says so, exit 6 stays.
    { stateFile: start.stateFile, wait: false, pollMs: 0, clock: SYSTEM_CLOCK, retryStage: false },
    {
      onEvent: (event) => {
        if (event.kind === "step") writes += 1;
        log.info(eventFields(event), `rollout ${event.kind}`);
      },
      progress: (message) => log.debug(message),
      confirm: async () => {},
    },
  );
  return {
    state: start.stateFile,
    outcome: run.outcome,
    summary: describeRollout(run.state),
    exitCode: rolloutExitCode(run.outcome),
    writes,
  };
}

/**
 * What differs between the rollout a state file holds and the one the config describes: stages,
 * policies and the documents they render to (an exemption added changes the document), soak,
 * delivery margin, limit, window and source. Empty: the file is this section's rollout.
 */
export function rolloutDifferences(
  state: RolloutState,
  start: RolloutStart,
  library: Map<string, PolicyTemplate>,
): string[] {
  const out: string[] = [];
  const differ = (what: string, was: unknown, now: unknown) => {
    if (JSON.stringify(was) !== JSON.stringify(now))
      out.push(`${what} ${JSON.stringify(was)} → ${JSON.stringify(now)}`);
  };
  differ(
    "stages",
    state.stages.map((s) => s.ref),
    start.stages,
  );
  differ("policies", state.scp.policies, start.scp.policies);
  const rendered = draftScp(library, start.scp).policies.map(
    (p) => `${p.managedName}:${documentSha256(p.content).slice(0, 8)}`,
  );
  differ(
    "rendered documents",
    state.policies.map((p) => `${p.managedName}:${p.sha256.slice(0, 8)}`),
    rendered,
  );
  differ("soak", state.soakMs, start.soakMs);
  differ("deliveryMargin", state.deliveryMarginMs, start.deliveryMarginMs);
  differ("maxNewDenials", state.maxNewDenials, start.maxNewDenials);
  differ("since", state.activity.since, start.since);
  differ("source", state.activity.source, start.source);
  return out;
}

function eventFields(event: RolloutEvent): Record<string, unknown> {
  const { kind: _kind, ...rest } = event;
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (k === "stage" && v && typeof v === "object") fields.stage = (v as { path: string }).path;
    else if (k === "result" || k === "step") continue;
    else if (Array.isArray(v)) fields[k] = v.length;
    else fields[k] = v;
  }
  return fields;
}
