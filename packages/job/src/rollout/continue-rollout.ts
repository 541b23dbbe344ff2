import { existsSync } from "node:fs";
import { parseSourceSpec } from "@orgwarden/activity";
import { OrgwardenError } from "@orgwarden/core";
import { loadPolicyLibrary } from "@orgwarden/scp";
import { ExitCode } from "../exit-codes.js";
import { impactRegions } from "../impact/impact-regions.js";
import { openActivitySource } from "../impact/open-source.js";
import { scpPlanDependencies } from "../session/scp-plan-inputs.js";
import type { JobSession } from "../session/session.js";
import { attachStage } from "./attach-stage.js";
import { newRolloutState, stateDraft } from "./rollout-draft.js";
import type { RolloutHooks, RolloutOptions, RolloutOutcome, RolloutRun } from "./rollout-events.js";
import type { RolloutStart } from "./rollout-settings.js";
import { type RolloutState, readRolloutState, rolloutFinished, writeRolloutState } from "./rollout-state.js";
import { soakStage } from "./soak-stage.js";
import { type StageContext, stageAt } from "./stage-context.js";

/**
 * A new rollout's state, written to its file. A file that holds an unfinished rollout is never
 * overwritten (REFUSED: resume it, or choose another file); a finished one may be.
 */
export async function beginRollout(
  session: JobSession,
  start: RolloutStart,
  now: Date,
  resumeHint = `orgwarden rollout --resume ${start.stateFile} continues it; --state another file starts a new one beside it.`,
): Promise<RolloutState> {
  if (existsSync(start.stateFile)) {
    const existing = readRolloutState(start.stateFile);
    if (!rolloutFinished(existing)) {
      throw new OrgwardenError(
        "REFUSED",
        `${start.stateFile} holds an unfinished rollout (${describeRollout(existing)}): not starting another over it`,
        { hint: `${resumeHint} Nothing was changed.` },
      );
    }
  }
  const library = loadPolicyLibrary(start.policyDir);
  const state = newRolloutState(start, library, await session.inventory(), now);
  writeRolloutState(start.stateFile, state, now);
  return state;
}

/**
 * Runs a rollout from where its state says it is: each stage not yet passed is measured, planned,
 * confirmed and attached (attachStage), then soaked (soakStage); the state file is written after
 * every step. A finished rollout has nothing to do. Resolves with how the run ended.
 */
export async function continueRollout(
  session: JobSession,
  state: RolloutState,
  options: RolloutOptions,
  hooks: RolloutHooks,
): Promise<RolloutRun> {
  if (rolloutFinished(state)) {
    hooks.onEvent({ kind: "nothing-to-do" });
    return { outcome: "nothing-to-do", state };
  }
  const inventory = await session.inventory();
  if (inventory.organizationId !== state.organizationId) {
    throw new OrgwardenError(
      "REFUSED",
      `${options.stateFile} is a rollout in organization ${state.organizationId}, not in ${inventory.organizationId}`,
      { hint: "Resume it with credentials of the organization it started in. Nothing was changed." },
    );
  }
  const draft = stateDraft(state, loadPolicyLibrary(state.scp.policyDir));
  let dependencies: ReturnType<typeof scpPlanDependencies> | undefined;
  const ctx: StageContext = {
    session,
    state,
    draft,
    source: openActivitySource(session, parseSourceSpec(state.activity.source), await session.roleAssumer()),
    regions: await impactRegions(session, state.activity.regions),
    options,
    hooks,
    dependencies: () => {
      dependencies ??= scpPlanDependencies(session, draft.settings);
      return dependencies;
    },
    save: () => writeRolloutState(options.stateFile, state, new Date(options.clock.now())),
  };
  for (const [i, stage] of state.stages.entries()) {
    if (stage.status === "passed") continue;
    if (stage.status === "rolled-back" && !options.retryStage) {
      const { ref } = stageAt(ctx, i);
      const counted = stage.denials.filter((d) => d.counted).reduce((n, d) => n + d.events, 0);
      hooks.onEvent({ kind: "rolled-back-held", stage: ref, counted, limit: state.maxNewDenials });
      return { outcome: "rolled-back", state };
    }
    if (stage.status !== "attached") {
      const attached = await attachStage(ctx, i);
      if (attached !== "attached") return { outcome: attached, state };
    }
    const soaked = await soakStage(ctx, i);
    if (soaked !== "passed") return { outcome: soaked, state };
  }
  hooks.onEvent({ kind: "finished", stages: state.stages.length });
  return { outcome: "finished", state };
}

/** 0 finished or soaking, 5 a stage's impact past the limit, 6 a stage rolled back, 3 activity not read. */
export function rolloutExitCode(outcome: RolloutOutcome): number {
  switch (outcome) {
    case "finished":
    case "nothing-to-do":
    case "soaking":
      return ExitCode.ok;
    case "stopped-impact":
      return ExitCode.impactFound;
    case "rolled-back":
      return ExitCode.rolledBack;
    case "incomplete":
      return ExitCode.incomplete;
  }
}

/** Where a rollout stands, in one line: "stage 2/3 Root/Dev attached, soaking until …". */
export function describeRollout(state: RolloutState): string {
  const n = state.stages.length;
  if (rolloutFinished(state)) return `finished: ${n} stage${n === 1 ? "" : "s"} passed`;
  const i = state.stages.findIndex((s) => s.status !== "passed");
  const stage = state.stages[i] as RolloutState["stages"][number];
  const at = `stage ${i + 1}/${n} ${stage.path}`;
  const counted = stage.denials.filter((d) => d.counted).reduce((sum, d) => sum + d.events, 0);
  switch (stage.status) {
    case "pending":
      return `${at} pending`;
    case "attached":
      return `${at} attached, soaking until ${stage.soakUntil} (${counted} counted denied event${counted === 1 ? "" : "s"} so far, limit ${state.maxNewDenials})`;
    case "stopped-impact":
      return `${at} stopped before it was attached: its impact is ${stage.impact?.newDenialEvents ?? "?"} new denied events (limit ${state.maxNewDenials})`;
    case "rolled-back":
      return `${at} ROLLED BACK: ${counted} counted denied events (limit ${state.maxNewDenials})`;
    case "passed":
      return `${at} passed`;
  }
}
