import { OrgwardenError } from "@orgwarden/core";
import {
  applyScpPlan,
  DEFAULT_POLICIES,
  describeTarget,
  loadPolicyLibrary,
  planApplyScp,
  planDetachScp,
  renderLibraryPolicies,
  type ScpPlan,
  stepActions,
} from "@orgwarden/scp";
import type { Command } from "commander";
import { confirmChange } from "../confirm-change.js";
import type { CommandContext } from "../context.js";
import type { ActionFactory } from "../main.js";
import { parseChoice } from "../output/output-format.js";
import { PLAN_OUTPUTS, scpPlanDocument, writeJson } from "../output/plan-json.js";
import { describeStep, renderScpPlan } from "../output/render-scp-plan.js";
import { scpPlanDependencies, scpQuotas } from "../scp-plan-inputs.js";
import { addScpFlags, collect, type ScpFlags, scpSettings } from "../scp-settings.js";
import { parseRegions } from "./deploy-rules.js";

export interface ApplyScpFlags extends ScpFlags {
  ou: string;
  output?: string;
  regions?: string;
  policy: string[];
  dryRun?: boolean;
  yes?: boolean;
  allowRoot?: boolean;
}

/** `orgwarden apply-scp`: plan, show, confirm, then create/update/attach the managed SCPs. */
export async function runApplyScp(ctx: CommandContext, flags: ApplyScpFlags): Promise<number> {
  const { params, configuredQuotas, principalTags } = scpSettings(flags, ctx.options.roleName, ctx.runConfig);
  const regions = flags.regions
    ? parseRegions(flags.regions, ctx.options.region)
    : (ctx.runConfig?.connection.regions ?? [ctx.options.region]);
  const library = loadPolicyLibrary(flags.policyDir);
  const names = flags.policy.length > 0 ? flags.policy : [...DEFAULT_POLICIES];
  const policies = renderLibraryPolicies(library, names, params);
  const inventory = await ctx.inventory();
  const organizations = ctx.factory.organizations(ctx.operatorCredentials);
  const plan = await planApplyScp({
    inventory,
    organizations,
    targetId: flags.ou,
    policies,
    params,
    regions,
    principalTags,
    allowRoot: flags.allowRoot ?? false,
    ...(await scpPlanDependencies(ctx, configuredQuotas)),
  });
  return showConfirmApply(
    ctx,
    "apply-scp",
    plan,
    flags,
    `apply ${plural(plan.changes, "change")} to ${describeTarget(plan.target)}`,
  );
}

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
  const organizations = ctx.factory.organizations(ctx.operatorCredentials);
  const plan = await planDetachScp({
    inventory,
    organizations,
    targetId: flags.ou,
    policyNames: [...new Set(flags.policy)],
    deleteUnused: flags.deleteUnused ?? false,
    quotas: await scpQuotas(ctx, scpSettings({}, ctx.options.roleName, ctx.runConfig).configuredQuotas),
  });
  const deletes = plan.steps.filter((st) => st.kind === "delete-policy").length;
  const detaches = plan.changes - deletes;
  const parts = [
    ...(flags.ou === undefined
      ? []
      : [`detach ${plural(detaches, "SCP")} from ${describeTarget(plan.target)}`]),
    ...(flags.deleteUnused ? [`delete ${plural(deletes, "unused SCP")}`] : []),
  ];
  return showConfirmApply(ctx, "detach-scp", plan, flags, parts.join(" and "));
}

/** Prints the plan, asks (or needs --yes), applies it step by step with progress on stdout. */
async function showConfirmApply(
  ctx: CommandContext,
  command: "apply-scp" | "detach-scp",
  plan: ScpPlan,
  flags: { dryRun?: boolean; yes?: boolean; output?: string },
  summary: string,
): Promise<number> {
  const json = parseChoice("output", flags.output ?? "text", PLAN_OUTPUTS) === "json";
  await noteDelegation(ctx, plan);
  if (!json) ctx.io.stdout.write(renderScpPlan(plan, ctx.paint));
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: plan.changes,
    summary,
    notesToStderr: json,
  });
  if (!go) {
    if (json) {
      const why = plan.changes === 0 ? "nothing-to-do" : "dry-run";
      writeJson(ctx.io, scpPlanDocument(command, plan, { applied: false, why }));
    }
    return 0;
  }
  const result = await applyScpPlan(plan, {
    organizations: ctx.factory.organizations(ctx.operatorCredentials),
    logger: ctx.logger,
    onStep: (step, done, total) =>
      (json ? ctx.io.stderr : ctx.io.stdout).write(`[${done}/${total}] done: ${describeStep(step)}\n`),
  });
  if (json)
    writeJson(
      ctx.io,
      scpPlanDocument(command, plan, { applied: true, why: "applied", written: result.written }),
    );
  else ctx.io.stdout.write(`Done: ${summary}.\n`);
  return 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function registerApplyScp(program: Command, action: ActionFactory): void {
  addScpFlags(
    program
      .command("apply-scp")
      .description(
        "plan, show, confirm, then create/update the managed SCPs and attach them to an OU (or account)",
      )
      .requiredOption(
        "--ou <id|path>",
        "OU id (ou-xxxx-xxxxxxxx) or path (Root/Workloads/Prod), or an account id",
      )
      .option(
        "--policy <name>",
        `policy from the library (repeatable; default: ${DEFAULT_POLICIES.join(", ")})`,
        collect,
        [],
      )
      .option(
        "--regions <list>",
        "comma-separated regions orgwarden works in; the lockout guard checks its calls there (default: --region, or connection.regions of --config)",
      )
      .option("--dry-run", "print the plan and change nothing")
      .option("--yes", "apply without asking (needed when not on a terminal)")
      .option("--allow-root", "allow the organization root as the target")
      .option(
        "--output <format>",
        "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
      ),
  )
    .addHelpText(
      "after",
      "\nThe plan runs a lockout check on every account each changed policy\n" +
        "reaches: orgwarden's own role (every action it calls, in every region it\n" +
        "works in), exempt principals, IAM users enrolling MFA, workload roles and\n" +
        "Identity Center sessions must stay allowed, or nothing is changed (exit 2).\n" +
        "Quotas come from Service Quotas where readable; IAM Access Analyzer checks\n" +
        "the policies to be written. See docs/lockout-matrix.md.\n",
    )
    .action(action(runApplyScp));

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

/**
 * From a delegated administrator, the plan says which Organizations calls the delegation policy (in
 * the management account) must allow: otherwise they are refused half-way with AccessDenied.
 */
async function noteDelegation(ctx: CommandContext, plan: ScpPlan): Promise<void> {
  const assumer = await ctx.roleAssumer();
  if (assumer.operatorAccountId === assumer.managementAccountId || plan.changes === 0) return;
  const actions = [...new Set(plan.steps.flatMap(stepActions))];
  plan.notes.push(
    `running from ${assumer.operatorAccountId}, a delegated administrator: the Organizations delegation policy of the management account ${assumer.managementAccountId} must allow ${actions.join(", ")} for this account, and its own IAM policy the same (docs/permissions/organizations-delegation.json, management-write.json)`,
  );
}
