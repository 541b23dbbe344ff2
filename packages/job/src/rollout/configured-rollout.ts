import { existsSync } from "node:fs";
import { OrgwardenError, SYSTEM_CLOCK } from "@orgwarden/core";
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
  if (existing && sameRollout(existing, start)) state = existing;
  else if (!existing || rolloutFinished(existing)) {
    state = await beginRollout(session, start, new Date());
    for (const note of state.notes) log.warn(note);
  } else {
    throw new OrgwardenError(
      "REFUSED",
      `rollout.state ${start.stateFile} holds another unfinished rollout (${describeRollout(existing)}), not the one the config describes`,
      {
        hint: "Finish it (orgwarden rollout --resume), or point rollout.state at another file. Nothing was changed by the rollout.",
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

/** The same policies and the same stages, in order: the file is this section's rollout. */
function sameRollout(state: RolloutState, start: RolloutStart): boolean {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((v, i) => v === b[i]);
  return (
    same(
      state.stages.map((s) => s.ref),
      start.stages,
    ) && same(state.scp.policies, start.scp.policies)
  );
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
