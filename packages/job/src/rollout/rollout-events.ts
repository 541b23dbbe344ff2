import type { ReadFailure } from "@orgwarden/activity";
import type { Clock } from "@orgwarden/core";
import type { ScpPlan, ScpStep } from "@orgwarden/scp";
import type { ImpactResult } from "../impact/measure-impact.js";
import type { DenialSeen, PolicyRef, RolloutState } from "./rollout-state.js";

/** A stage as progress lines name it: "stage 2/3 Root/Dev". */
export interface StageRef {
  /** 1-based. */
  number: number;
  of: number;
  id: string;
  path: string;
}

/** What a rollout does, step by step: the CLI prints each as a line, run logs it. */
export type RolloutEvent =
  | { kind: "nothing-to-do" }
  | { kind: "impact-start"; stage: StageRef; since: string }
  | { kind: "impact"; stage: StageRef; result: ImpactResult; events: number; limit: number }
  | { kind: "step"; stage: StageRef; step: ScpStep; done: number; total: number }
  | {
      /** already-attached: every policy of the stage was on the target before it; soaked from now all the same. */
      kind: "attached" | "already-attached";
      stage: StageRef;
      attached: PolicyRef[];
      kept: PolicyRef[];
      soakUntil: string;
    }
  | {
      kind: "soak";
      stage: StageRef;
      denials: DenialSeen[];
      counted: number;
      limit: number;
      failures: ReadFailure[];
      soakUntil: string;
    }
  | { kind: "waiting"; stage: StageRef; soakUntil: string }
  | { kind: "passed"; stage: StageRef; detached: PolicyRef[] }
  | { kind: "rolled-back"; stage: StageRef; counted: number; limit: number; detached: PolicyRef[] }
  | {
      kind: "stopped-impact";
      stage: StageRef;
      events: number;
      limit: number;
      /** The stage's own policies an earlier attempt left attached, detached now. */
      detached: PolicyRef[];
    }
  | { kind: "incomplete"; stage: StageRef; phase: "impact" | "soak"; failures: ReadFailure[] }
  /** A stage rolled back earlier: left so until a resume asks to try it again (retryStage). */
  | { kind: "rolled-back-held"; stage: StageRef; counted: number; limit: number }
  | { kind: "finished"; stages: number };

/** How a run of the rollout ended. */
export type RolloutOutcome =
  /** Every stage passed (now, or already before: nothing-to-do). */
  | "finished"
  | "nothing-to-do"
  /** A stage is soaking and the run does not wait (--no-wait, run): resume later. */
  | "soaking"
  /** A stage's impact was past --max-new-denials: nothing applied to it. */
  | "stopped-impact"
  /** A stage's soak saw more counted denials than --max-new-denials: its policies were detached. */
  | "rolled-back"
  /** Part of the activity could not be read: a stage is neither attached nor passed on a partial answer. */
  | "incomplete";

export interface RolloutHooks {
  onEvent(event: RolloutEvent): void;
  /** What a source says while it reads (accounts, regions, pages). */
  progress?: (message: string) => void;
  /**
   * The stage's plan, before its writes: resolves to go on. The CLI shows it and asks (without a
   * terminal it needs --yes, else it refuses: exit 2); run goes on.
   */
  confirm(stage: StageRef, plan: ScpPlan): Promise<void>;
}

export interface RolloutOptions {
  stateFile: string;
  /** Stay and poll until each soak ends (the CLI by default); false: save and stop (--no-wait, run). */
  wait: boolean;
  pollMs: number;
  clock: Clock;
  /**
   * Try a rolled-back stage again (--retry-stage): its impact, plan and attach anew. Without it a
   * rolled-back stage stays so: the callers it broke must be fixed first, and a plain --resume or
   * the next scheduled run must not attach it again.
   */
  retryStage: boolean;
}

/** What a run of the rollout returns: how it ended, and the state as last written. */
export interface RolloutRun {
  outcome: RolloutOutcome;
  state: RolloutState;
}
