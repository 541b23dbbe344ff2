import { OrgwardenError } from "@orgwarden/core";
import { declarativeInventory, planDetachDeclarative } from "@orgwarden/job";
import { type DeclarativePolicyType, describeTarget, policyKindOf } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { collect } from "../options/scp-options.js";
import { knownTarget } from "../output/plan-json.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface DetachDeclarativeFlags {
  ou?: string;
  policy: string[];
  deleteUnused?: boolean;
  output?: string;
  dryRun?: boolean;
  yes?: boolean;
}

/**
 * `orgwarden detach-s3-policy` / `detach-ec2-policy`: the reverse of the apply command, for
 * orgwarden's policies only; the type stays enabled.
 */
export async function runDetachDeclarative(
  ctx: CommandContext,
  flags: DetachDeclarativeFlags,
  type: DeclarativePolicyType,
): Promise<number> {
  const kind = policyKindOf(type);
  const command = `detach-${kind.family}` as const;
  return runScpChange(ctx, command, flags.output, async (known) => {
    if (flags.ou === undefined && !flags.deleteUnused) {
      throw new OrgwardenError("INVALID_INPUT", `${command} needs --ou, --delete-unused, or both`, {
        hint: `e.g. ${command} --ou ou-xxxx-xxxxxxxx, or ${command} --delete-unused to remove variants no target uses.`,
      });
    }
    if (flags.ou === undefined && flags.policy.length > 0) {
      throw new OrgwardenError("INVALID_INPUT", "--policy needs --ou: the target to detach it from", {
        hint: `e.g. ${command} --ou ou-xxxx-xxxxxxxx --policy orgwarden-…`,
      });
    }
    const inventory = await declarativeInventory(ctx, kind);
    known.target = knownTarget(inventory, flags.ou);
    const plan = await planDetachDeclarative(
      ctx,
      kind,
      {
        targetId: flags.ou,
        policyNames: [...new Set(flags.policy)],
        deleteUnused: flags.deleteUnused ?? false,
      },
      inventory,
    );
    known.plan = plan;
    const deletes = plan.steps.filter((st) => st.kind === "delete-policy").length;
    const parts = [
      ...(flags.ou === undefined
        ? []
        : [`detach ${plural(plan.changes - deletes, kind.short)} from ${describeTarget(plan.target)}`]),
      ...(flags.deleteUnused ? [`delete ${plural(deletes, `unused ${kind.short}`)}`] : []),
    ];
    return showConfirmApply(ctx, command, plan, flags, parts.join(" and "));
  });
}

export function registerDetachDeclarative(
  program: Command,
  action: ActionFactory,
  type: DeclarativePolicyType,
): void {
  const kind = policyKindOf(type);
  program
    .command(`detach-${kind.family}`)
    .description(
      `detach orgwarden's ${kind.many} (${type}) from an OU or account; never touches policies it does not manage, never disables the type`,
    )
    .option("--ou <id|path>", "OU, root or account to detach from: an id, or a path like Root/Workloads")
    .option(
      "--policy <name>",
      `a variant to detach, orgwarden-<name>-<variant> (repeatable; default: every orgwarden ${kind.short} on the target)`,
      collect,
      [],
    )
    .option(
      "--delete-unused",
      `also delete every orgwarden ${kind.short} that no root, OU or account has attached; never a policy without the managed-by=orgwarden tag`,
    )
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "detach without asking (needed when not on a terminal)")
    .option(
      "--output <format>",
      "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
    )
    .addHelpText(
      "after",
      "\nOnce no policy of the type sets a setting for an account, AWS gives the\naccount its own setting back, as it was before the policy.\n",
    )
    .action(action((ctx, flags: DetachDeclarativeFlags) => runDetachDeclarative(ctx, flags, type)));
}
