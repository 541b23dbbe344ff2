import { OrgwardenError } from "@orgwarden/core";
import { rcpInventory, rcpQuotas, rcpSettings } from "@orgwarden/job";
import { describeTarget, planDetachScp, RCP_KIND } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { collect } from "../options/scp-options.js";
import { knownTarget } from "../output/plan-json.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface DetachRcpFlags {
  ou?: string;
  output?: string;
  policy: string[];
  deleteUnused?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden detach-rcp`: the reverse of apply-rcp, for orgwarden-managed RCPs only. */
export async function runDetachRcp(ctx: CommandContext, flags: DetachRcpFlags): Promise<number> {
  return runScpChange(ctx, "detach-rcp", flags.output, async (known) => {
    if (flags.ou === undefined && !flags.deleteUnused) {
      throw new OrgwardenError("INVALID_INPUT", "detach-rcp needs --ou, --delete-unused, or both", {
        hint: "e.g. detach-rcp --ou ou-xxxx-xxxxxxxx, or detach-rcp --delete-unused to remove variants no target uses.",
      });
    }
    if (flags.ou === undefined && flags.policy.length > 0) {
      throw new OrgwardenError("INVALID_INPUT", "--policy needs --ou: the target to detach it from", {
        hint: "e.g. detach-rcp --ou ou-xxxx-xxxxxxxx --policy identity-perimeter",
      });
    }
    const inventory = await rcpInventory(ctx);
    known.target = knownTarget(inventory, flags.ou);
    const plan = await planDetachScp({
      kind: RCP_KIND,
      inventory,
      organizations: ctx.factory.organizations(ctx.operatorCredentials),
      targetId: flags.ou,
      policyNames: [...new Set(flags.policy)],
      deleteUnused: flags.deleteUnused ?? false,
      quotas: await rcpQuotas(ctx, rcpSettings({}, ctx.options, ctx.runConfig).configuredQuotas),
    });
    const deletes = plan.steps.filter((st) => st.kind === "delete-policy").length;
    const detaches = plan.changes - deletes;
    const parts = [
      ...(flags.ou === undefined
        ? []
        : [`detach ${plural(detaches, "RCP")} from ${describeTarget(plan.target)}`]),
      ...(flags.deleteUnused ? [`delete ${plural(deletes, "unused RCP")}`] : []),
    ];
    known.plan = plan;
    return showConfirmApply(ctx, "detach-rcp", plan, flags, parts.join(" and "));
  });
}

export function registerDetachRcp(program: Command, action: ActionFactory): void {
  program
    .command("detach-rcp")
    .description(
      "detach orgwarden-managed RCPs from an OU or account; never touches policies it does not manage, never disables the RCP type",
    )
    .option("--ou <id|path>", "OU, root or account to detach from: an id, or a path like Root/Workloads")
    .option(
      "--policy <name>",
      "policy to detach: a library name (every variant of it on the target) or a full orgwarden-<name>-<variant> (repeatable; default: every orgwarden RCP on the target)",
      collect,
      [],
    )
    .option(
      "--delete-unused",
      "also delete every orgwarden-managed RCP that no root, OU or account has attached; never a policy without the managed-by=orgwarden tag",
    )
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "detach without asking (needed when not on a terminal)")
    .option(
      "--output <format>",
      "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
    )
    .action(action(runDetachRcp));
}
