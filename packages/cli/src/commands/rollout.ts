import { OrgwardenError, SYSTEM_CLOCK } from "@orgwarden/core";
import {
  beginRollout,
  continueRollout,
  DEFAULT_DELIVERY_MARGIN,
  DEFAULT_POLL,
  DEFAULT_ROLLOUT_STATE,
  lockRolloutState,
  parseChoice,
  pollMs,
  type RolloutFlags,
  type RolloutRun,
  type RolloutStart,
  type RolloutState,
  readRolloutState,
  rolloutExitCode,
  rolloutSettings,
} from "@orgwarden/job";
import { DEFAULT_POLICIES, describeTarget } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { confirmChange } from "../confirm-change.js";
import { addImpactFlags } from "../options/impact-options.js";
import { addScpFlags, addVerifyFlags, collect } from "../options/scp-options.js";
import { PLAN_OUTPUTS, writeJson } from "../output/plan-json.js";
import { renderRolloutEvent } from "../output/render-rollout.js";
import { renderScpPlan } from "../output/render-scp-plan.js";
import { plural } from "../scp-change-flow.js";

export interface RolloutCommandFlags extends RolloutFlags {
  resume?: string;
  yes?: boolean;
  /** commander's --no-wait: false when given. */
  wait?: boolean;
  allowRoot?: boolean;
  output?: string;
  retryStage?: boolean;
}

/** What starts a rollout, and so cannot change one that --resume continues. */
const START_FLAGS = [
  "policy",
  "stages",
  "soak",
  "deliveryMargin",
  "state",
  "since",
  "source",
  "maxNewDenials",
  "regions",
  "allowRoot",
  "exemptPrincipal",
  "principalTag",
  "blockAssumeRoot",
  "allowedCidr",
  "allowedVpc",
  "mfaExemptTagKey",
  "networkExemptTagKey",
  "auditAutomationRole",
  "maxScpSize",
  "maxScpsPerTarget",
  "policyDir",
  "verifyWithAws",
  "verifyRate",
] as const satisfies ReadonlyArray<keyof RolloutCommandFlags>;

/**
 * `orgwarden rollout`: the policies attached stage by stage (impact → plan → confirm → attach →
 * soak), from a state file written after every step; `--resume FILE` continues from it.
 */
export async function runRollout(ctx: CommandContext, flags: RolloutCommandFlags): Promise<number> {
  ctx.changes.begin();
  const json = parseChoice("output", flags.output ?? "text", PLAN_OUTPUTS) === "json";
  // With --output json stdout holds only the final state document.
  const out = json ? ctx.io.stderr : ctx.io.stdout;
  const poll = pollMs(flags.poll);
  if (flags.resume !== undefined) refuseStartFlags(flags);
  const start =
    flags.resume === undefined ? rolloutSettings(flags, ctx.options, ctx.runConfig, new Date()) : undefined;
  const stateFile = start?.stateFile ?? (flags.resume as string);
  // Held from before the state is read to after its last write: two processes never share it.
  const lock = lockRolloutState(stateFile, { now: new Date() });
  try {
    if (lock.note) out.write(`rollout: ${lock.note}\n`);
    const run = await runLocked(ctx, flags, { stateFile, start, out, json, poll });
    if (json) writeJson(ctx.io, run.state);
    return rolloutExitCode(run.outcome);
  } finally {
    lock.release();
  }
}

/** The rollout begun or resumed, while this process holds its state's lock. */
async function runLocked(
  ctx: CommandContext,
  flags: RolloutCommandFlags,
  run: {
    stateFile: string;
    /** A new rollout's settings; undefined: --resume. */
    start: RolloutStart | undefined;
    out: CommandContext["io"]["stdout"];
    json: boolean;
    poll: number;
  },
): Promise<RolloutRun> {
  const { stateFile, start, out, json, poll } = run;
  let state: RolloutState;
  if (!start) {
    state = readRolloutState(stateFile);
  } else {
    state = await beginRollout(ctx, start, new Date());
    out.write(
      `rollout of ${state.policies.map((p) => p.managedName).join(", ")} to ${state.stages.map((s) => s.path).join(" → ")}, soak ${state.soak} each; state in ${stateFile}\n`,
    );
    for (const note of state.notes) out.write(`rollout: note: ${note}\n`);
  }
  return continueRollout(
    ctx,
    state,
    {
      stateFile,
      wait: flags.wait !== false,
      pollMs: poll,
      clock: SYSTEM_CLOCK,
      retryStage: flags.retryStage ?? false,
    },
    {
      onEvent: (event) => {
        const text = renderRolloutEvent(event, stateFile, ctx.paint, ctx.io.columns);
        if (event.kind === "step") ctx.changes.finish(text.trim());
        out.write(text);
      },
      progress: (message) => ctx.logger.info(message),
      confirm: async (stage, plan) => {
        out.write(renderScpPlan(plan, ctx.paint, ctx.io.columns));
        await confirmChange(ctx, {
          yes: flags.yes ?? false,
          changes: plan.changes,
          summary: `apply ${plural(plan.changes, "change")} to ${describeTarget(plan.target)} (stage ${stage.number} of ${stage.of})`,
          notesToStderr: json,
        });
      },
    },
  );
}

/** --resume continues what its file says: a flag that starts a rollout cannot change it. */
function refuseStartFlags(flags: RolloutCommandFlags): void {
  const given = START_FLAGS.filter((k) => {
    const v = flags[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  });
  if (given.length > 0) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `--resume continues the rollout its file describes: ${given.map(flagName).join(", ")} cannot change it`,
      {
        hint: "Resume with only --yes, --no-wait, --poll, --retry-stage and --output, or start a new rollout with --state.",
      },
    );
  }
}

function flagName(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export function registerRollout(program: Command, action: ActionFactory): void {
  addVerifyFlags(
    addImpactFlags(
      addScpFlags(
        program
          .command("rollout")
          .description(
            "attach SCPs stage by stage (OU by OU): impact, plan, confirm, attach, soak; rolled back when the soak sees new denials",
          )
          .option(
            "--policy <name>",
            `policy from the library, as apply-scp --policy (repeatable; default: ${DEFAULT_POLICIES.join(", ")})`,
            collect,
            [],
          )
          .option(
            "--stages <list>",
            "comma-separated roots, OUs or accounts, one stage each, in order (ids or paths like Root/Sandbox,Root/Dev,Root/Prod)",
          )
          .option("--soak <duration>", "how long each stage runs before the next: 0s, 90m, 24h, 7d")
          .option(
            "--delivery-margin <duration>",
            `how long past each soak denials are still read before the stage passes: CloudTrail delivers events late (default: ${DEFAULT_DELIVERY_MARGIN})`,
          )
          .option(
            "--state <file>",
            `the state file, written after every step (default: ${DEFAULT_ROLLOUT_STATE} in the current folder)`,
          )
          .option("--resume <file>", "continue the rollout this state file describes")
          .option(
            "--retry-stage",
            "with --resume: try a rolled-back stage again (its impact, plan and attach anew); without it a rolled-back stage stays rolled back",
          )
          .option(
            "--regions <list>",
            "comma-separated regions: where the lockout guard checks orgwarden's calls and whose activity is read (default: --region for the guard, every enabled region for the activity)",
          )
          .option("--allow-root", "allow the organization root as a stage")
          .option("--yes", "apply each stage's plan without asking (needed when not on a terminal)")
          .option(
            "--no-wait",
            "save the state and stop once a stage soaks (exit 0); --resume later judges it",
          )
          .option(
            "--poll <duration>",
            `how often a soak's denials are read while waiting (default: ${DEFAULT_POLL})`,
          )
          .option("--output <format>", "text | json: the final state document on stdout, progress on stderr"),
      ),
    ),
  )
    .addHelpText(
      "after",
      "\nEach stage in turn: the change's impact on the stage's recorded activity (as\n" +
        "orgwarden impact; past --max-new-denials, default 0, nothing is applied),\n" +
        "the plan with the lockout guard (as apply-scp), confirmation (or --yes),\n" +
        "the attach, then the soak. The policies are attached beside what is there:\n" +
        "a changed document gets its own name (-r + 8 hex of its SHA-256) instead\n" +
        "of updating a policy other targets use, and the old variant on the target\n" +
        "is detached only once the stage passed its soak.\n" +
        "\n" +
        "During the soak, denials recorded in the stage's accounts are read. One\n" +
        "counts when its message names the policy this stage attached, or names no\n" +
        "policy and orgwarden's evaluator says that policy denies it. A denial by\n" +
        "another policy (Control Tower's aws-guardrails-*, Landing Zone Accelerator,\n" +
        "AWS-managed SCPs) is shown, never counted. Past --max-new-denials counted\n" +
        "events, the stage is rolled back: its policies detached, an old variant\n" +
        "attached again.\n" +
        "\n" +
        "Exit 0: finished, nothing to do, or (--no-wait) a stage soaking; 2: bad\n" +
        "input, a refused plan, no confirmation, or an unfinished rollout in --state;\n" +
        "3: part of the activity could not be read (nothing attached or passed on\n" +
        "it); 5: a stage's impact past --max-new-denials, nothing applied to it;\n" +
        "6: a stage rolled back (a --resume leaves it so: --retry-stage tries it\n" +
        "again). The state file says where it stopped: --resume.\n",
    )
    .action(action(runRollout));
}
