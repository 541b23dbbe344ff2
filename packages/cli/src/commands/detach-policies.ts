import { type Inventory, OrgwardenError } from "@orgwarden/core";
import { describeTarget, type PolicyKind, type ScpPlan } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { collect } from "../options/scp-options.js";
import { knownTarget } from "../output/plan-json.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface DetachFlags {
  ou?: string;
  policy: string[];
  deleteUnused?: boolean;
  output?: string;
  dryRun?: boolean;
  yes?: boolean;
}

/** What the detach command of one policy kind needs: its inventory, its plan and its words. */
export interface DetachCommand {
  kind: PolicyKind;
  /** The one-line description in `orgwarden --help`. */
  description: string;
  /** --policy's help, and a name to show in the hint of a --policy without --ou. */
  policyHelp: string;
  policyExample: string;
  /** --delete-unused's help. */
  deleteHelp: string;
  /** Text after the options in --help. */
  helpAfter?: string;
  inventory: (ctx: CommandContext) => Promise<Inventory>;
  plan: (
    ctx: CommandContext,
    inventory: Inventory,
    request: { targetId: string | undefined; policyNames: string[]; deleteUnused: boolean },
  ) => Promise<ScpPlan>;
}

/**
 * `orgwarden detach-<kind>`: the reverse of the kind's apply command, for orgwarden's own policies
 * only; never a policy orgwarden does not manage, never the type disabled. One flow for every kind.
 */
export async function runDetach(
  ctx: CommandContext,
  flags: DetachFlags,
  spec: DetachCommand,
): Promise<number> {
  const command = `detach-${spec.kind.family}` as const;
  return runScpChange(ctx, command, flags.output, async (known) => {
    if (flags.ou === undefined && !flags.deleteUnused) {
      throw new OrgwardenError("INVALID_INPUT", `${command} needs --ou, --delete-unused, or both`, {
        hint: `e.g. ${command} --ou ou-xxxx-xxxxxxxx, or ${command} --delete-unused to remove variants no target uses.`,
      });
    }
    if (flags.ou === undefined && flags.policy.length > 0) {
      throw new OrgwardenError("INVALID_INPUT", "--policy needs --ou: the target to detach it from", {
        hint: `e.g. ${command} --ou ou-xxxx-xxxxxxxx --policy ${spec.policyExample}`,
      });
    }
    const inventory = await spec.inventory(ctx);
    known.target = knownTarget(inventory, flags.ou);
    const plan = await spec.plan(ctx, inventory, {
      targetId: flags.ou,
      policyNames: [...new Set(flags.policy)],
      deleteUnused: flags.deleteUnused ?? false,
    });
    known.plan = plan;
    const deletes = plan.steps.filter((st) => st.kind === "delete-policy").length;
    const parts = [
      ...(flags.ou === undefined
        ? []
        : [`detach ${plural(plan.changes - deletes, spec.kind.short)} from ${describeTarget(plan.target)}`]),
      ...(flags.deleteUnused ? [`delete ${plural(deletes, `unused ${spec.kind.short}`)}`] : []),
    ];
    return showConfirmApply(ctx, command, plan, flags, parts.join(" and "));
  });
}

export function registerDetach(program: Command, action: ActionFactory, spec: DetachCommand): void {
  const command = program
    .command(`detach-${spec.kind.family}`)
    .description(spec.description)
    .option("--ou <id|path>", "OU, root or account to detach from: an id, or a path like Root/Workloads")
    .option("--policy <name>", spec.policyHelp, collect, [])
    .option("--delete-unused", spec.deleteHelp)
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "detach without asking (needed when not on a terminal)")
    .option(
      "--output <format>",
      "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
    );
  if (spec.helpAfter) command.addHelpText("after", spec.helpAfter);
  command.action(action((ctx, flags: DetachFlags) => runDetach(ctx, flags, spec)));
}
