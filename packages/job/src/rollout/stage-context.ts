import type { ActivitySource } from "@orgwarden/activity";
import type { ScpDraft } from "../scp/plan-scp.js";
import type { scpPlanDependencies } from "../session/scp-plan-inputs.js";
import type { JobSession } from "../session/session.js";
import type { RolloutHooks, RolloutOptions, StageRef } from "./rollout-events.js";
import type { RolloutStage, RolloutState } from "./rollout-state.js";

/** What each step of a rollout works with: the session, the state and how to save it, the source. */
export interface StageContext {
  session: JobSession;
  state: RolloutState;
  /** The policies as the rollout started with them (stateDraft). */
  draft: ScpDraft;
  source: ActivitySource;
  /** The regions whose activity is read. */
  regions: string[];
  options: RolloutOptions;
  hooks: RolloutHooks;
  /** Quotas, principal listings and AWS's validation, read on the first plan for every stage. */
  dependencies: () => ReturnType<typeof scpPlanDependencies>;
  /** Writes the state file (after every step). */
  save(): void;
}

export function stageAt(
  ctx: Pick<StageContext, "state">,
  index: number,
): { stage: RolloutStage; ref: StageRef } {
  const stage = ctx.state.stages[index] as RolloutStage;
  return {
    stage,
    ref: { number: index + 1, of: ctx.state.stages.length, id: stage.id, path: stage.path },
  };
}

export function nowIn(ctx: Pick<StageContext, "options">): Date {
  return new Date(ctx.options.clock.now());
}
