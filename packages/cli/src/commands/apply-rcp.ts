import {
  draftRcp,
  planRcpDraft,
  type RcpFlags,
  rcpInventory,
  rcpPlanDependencies,
  rcpSettings,
} from "@orgwarden/job";
import { DEFAULT_RCP_POLICIES, describeTarget, loadPolicyLibrary, RCP_KIND } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addRcpFlags } from "../options/rcp-options.js";
import { collect } from "../options/scp-options.js";
import { knownTarget } from "../output/plan-json.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface ApplyRcpFlags extends RcpFlags {
  ou: string;
  output?: string;
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden apply-rcp`: plan, show, confirm, then create/update/attach the managed RCPs. */
export async function runApplyRcp(ctx: CommandContext, flags: ApplyRcpFlags): Promise<number> {
  return runScpChange(ctx, "apply-rcp", flags.output, async (known) => {
    const settings = rcpSettings(flags, ctx.options, ctx.runConfig);
    // Rendered before any AWS call: bad input (an Allow, an unsupported service) stops here.
    const draft = draftRcp(loadPolicyLibrary(flags.policyDir, RCP_KIND), settings);
    const inventory = await rcpInventory(ctx);
    known.target = knownTarget(inventory, flags.ou);
    const plan = await planRcpDraft(
      draft,
      { inventory, organizations: ctx.factory.organizations(ctx.operatorCredentials) },
      flags.ou,
      await rcpPlanDependencies(ctx, settings.configuredQuotas, inventory),
    );
    known.plan = plan;
    return showConfirmApply(
      ctx,
      "apply-rcp",
      plan,
      flags,
      `apply ${plural(plan.changes, "change")} to ${describeTarget(plan.target)}`,
    );
  });
}

export function registerApplyRcp(program: Command, action: ActionFactory): void {
  addRcpFlags(
    program
      .command("apply-rcp")
      .description(
        "plan, show, confirm, then create/update the managed resource control policies (RCPs) and attach them to an OU (or account)",
      )
      .requiredOption(
        "--ou <id|path>",
        "OU id (ou-xxxx-xxxxxxxx) or path (Root/Workloads/Prod), or an account id",
      )
      .option(
        "--policy <name>",
        `policy from the RCP library (repeatable; default: ${DEFAULT_RCP_POLICIES.join(", ")})`,
        collect,
        [],
      )
      .option(
        "--regions <list>",
        "comma-separated regions orgwarden works in; the lockout guard probes the member resources there (overrides connection.regions of --config; default: --region)",
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
      "\nRCPs cap what member-account resources (S3, SQS, KMS, Secrets Manager, STS\n" +
        "roles, …) allow, whoever calls; they never affect the management account's\n" +
        "resources nor service-linked roles. When the RESOURCE_CONTROL_POLICY type is\n" +
        "not enabled, the plan starts by enabling it (RCPFullAWSAccess is attached\n" +
        "everywhere: no effect); orgwarden never disables it.\n" +
        "\n" +
        "The plan runs a lockout check on requests to the resources of every account\n" +
        "the change reaches: orgwarden's own sts:AssumeRole into its role (a runner\n" +
        "outside the organization must be --trusted-org or --trusted-account), the\n" +
        "runner's OIDC identities (its token, or its role's trust policy), the\n" +
        "organization's workloads, CloudTrail and Config delivering\n" +
        "logs; outsiders, plain HTTP and foreign service deliveries must be denied.\n" +
        "A refused plan changes nothing (exit 2). See docs/lockout-matrix.md.\n",
    )
    .action(action(runApplyRcp));
}
