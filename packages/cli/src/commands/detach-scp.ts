import { OrgwardenError } from "@orgwarden/core";
import { scpQuotas, scpSettings } from "@orgwarden/job";
import { describeTarget, planDetachScp } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { collect } from "../options/scp-options.js";
import { knownTarget } from "../output/plan-json.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface DetachScpFlags {
  ou?: string;
  output?: string;
  policy: string[];
  deleteUnused?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden detach-scp`: the reverse, for orgwarden-managed policies only. */
export async function runDetachScp(ctx: CommandContext, flags: DetachScpFlags): Promise<number> {
  return runScpChange(ctx, "detach-scp", flags.output, async (known) => {
    if (flags.ou === undefined && !flags.deleteUnused) {
      throw new OrgwardenError("INVALID_INPUT", "detach-scp needs --ou, --delete-unused, or both", {
        hint: "e.g. detach-scp --ou ou-xxxx-xxxxxxxx, or detach-scp --delete-unused to remove variants no target uses.",
      });
    }
    if (flags.ou === undefined && flags.policy.length > 0) {
      throw new OrgwardenError("INVALID_INPUT", "--policy needs --ou: the target to detach it from", {
        hint: "e.g. detach-scp --ou ou-xxxx-xxxxxxxx --policy require-mfa",
      });
    }
    const inventory = await ctx.inventory();
    known.target = knownTarget(inventory, flags.ou);
    const organizations = ctx.factory.organizations(ctx.operatorCredentials);
    const plan = await planDetachScp({
      inventory,
      organizations,
      targetId: flags.ou,
      policyNames: [...new Set(flags.policy)],
      deleteUnused: flags.deleteUnused ?? false,
      quotas: await scpQuotas(ctx, scpSettings({}, ctx.options, ctx.runConfig).configuredQuotas),
    });
    const deletes = plan.steps.filter((st) => st.kind === "delete-policy").length;
    const detaches = plan.changes - deletes;
    const parts = [
      ...(flags.ou === undefined
        ? []
        : [`detach ${plural(detaches, "SCP")} from ${describeTarget(plan.target)}`]),
      ...(flags.deleteUnused ? [`delete ${plural(deletes, "unused SCP")}`] : []),
    ];
    known.plan = plan;
    return showConfirmApply(ctx, "detach-scp", plan, flags, parts.join(" and "));
  });
}

export function registerDetachScp(program: Command, action: ActionFactory): void {
  program
    .command("detach-scp")
    .description(
      "detach orgwarden-managed SCPs from an OU or account; never touches policies it does not manage",
    )
    .option("--ou <id|path>", "OU, root or account to detach from: an id, or a path like Root/Workloads")
    .option(
      "--policy <name>",
      "policy to detach: a library name (every variant of it on the target) or a full orgwarden-<name>-<variant> (repeatable; default: every orgwarden policy on the target)",
      collect,
      [],
    )
    .option(
      "--delete-unused",
      "also delete every orgwarden-managed SCP (e.g. an old variant) that no root, OU or account has attached; never a policy without the managed-by=orgwarden tag",
    )
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "detach without asking (needed when not on a terminal)")
    .option(
      "--output <format>",
      "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
    )
    .action(action(runDetachScp));
}
