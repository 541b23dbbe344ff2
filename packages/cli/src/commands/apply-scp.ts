import { draftScp, planScpDraft, type ScpFlags, scpPlanDependencies, scpSettings } from "@orgwarden/job";
import { DEFAULT_POLICIES, describeTarget, loadPolicyLibrary } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addScpFlags, addVerifyFlags, collect } from "../options/scp-options.js";
import { knownTarget } from "../output/plan-json.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface ApplyScpFlags extends ScpFlags {
  ou: string;
  output?: string;
  policy: string[];
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden apply-scp`: plan, show, confirm, then create/update/attach the managed SCPs. */
export async function runApplyScp(ctx: CommandContext, flags: ApplyScpFlags): Promise<number> {
  return runScpChange(ctx, "apply-scp", flags.output, async (known) => {
    const settings = scpSettings(flags, ctx.options, ctx.runConfig);
    // Rendered before any AWS call: bad input stops here.
    const draft = draftScp(loadPolicyLibrary(flags.policyDir), settings);
    const inventory = await ctx.inventory();
    known.target = knownTarget(inventory, flags.ou);
    const organizations = ctx.factory.organizations(ctx.operatorCredentials);
    const plan = await planScpDraft(
      draft,
      { inventory, organizations },
      flags.ou,
      await scpPlanDependencies(ctx, settings),
    );
    known.plan = plan;
    return showConfirmApply(
      ctx,
      "apply-scp",
      plan,
      flags,
      `apply ${plural(plan.changes, "change")} to ${describeTarget(plan.target)}`,
    );
  });
}

export function registerApplyScp(program: Command, action: ActionFactory): void {
  addVerifyFlags(
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
          "comma-separated regions orgwarden works in; the lockout guard checks its calls there (overrides connection.regions of --config; default: --region)",
        )
        .option("--dry-run", "print the plan and change nothing")
        .option("--yes", "apply without asking (needed when not on a terminal)")
        .option("--allow-root", "allow the organization root as the target")
        .option(
          "--output <format>",
          "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
        ),
    ),
  )
    .addHelpText(
      "after",
      "\nThe plan runs a lockout check on every account each changed policy\n" +
        "reaches: orgwarden's own role (every action it calls, in every region it\n" +
        "works in), exempt principals, IAM users enrolling MFA, workload roles and\n" +
        "Identity Center sessions must stay allowed, or nothing is changed (exit 2).\n" +
        "Quotas come from Service Quotas where readable; IAM Access Analyzer checks\n" +
        "the policies to be written. Every probe request is also sent to AWS's own\n" +
        "policy simulator (iam:SimulateCustomPolicy, --verify-with-aws): the plan\n" +
        "says how many AWS agrees on, and a deny either engine sees blocks.\n" +
        "See docs/lockout-matrix.md.\n",
    )
    .action(action(runApplyScp));
}
