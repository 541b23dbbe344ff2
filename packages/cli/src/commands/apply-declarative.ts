import { declarativeInventory, draftDeclarative, planDeclarative } from "@orgwarden/job";
import {
  DECLARATIVE_POLICY_KINDS,
  type DeclarativePolicyType,
  describeTarget,
  policyKindOf,
} from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addDeclarativeFlags, declarativeParameters } from "../options/declarative-options.js";
import { knownTarget } from "../output/plan-json.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface ApplyDeclarativeFlags extends Record<string, unknown> {
  ou: string;
  allowRoot?: boolean;
  output?: string;
  dryRun?: boolean;
  yes?: boolean;
}

/**
 * `orgwarden apply-s3-policy` / `apply-ec2-policy`: render the parameter set's policy, plan, show,
 * confirm, then create or update it and attach it (enabling the type first when it is not).
 */
export async function runApplyDeclarative(
  ctx: CommandContext,
  flags: ApplyDeclarativeFlags,
  type: DeclarativePolicyType,
): Promise<number> {
  const kind = policyKindOf(type);
  const command = `apply-${kind.family}` as const;
  return runScpChange(ctx, command, flags.output, async (known) => {
    // Rendered before any AWS call: an unknown setting or a value AWS does not allow stops here.
    const policy = draftDeclarative(type, declarativeParameters(flags, type));
    const inventory = await declarativeInventory(ctx, kind);
    known.target = knownTarget(inventory, flags.ou);
    const plan = await planDeclarative(
      ctx,
      policy,
      { targetId: flags.ou, allowRoot: flags.allowRoot ?? false },
      inventory,
    );
    known.plan = plan;
    return showConfirmApply(
      ctx,
      command,
      plan,
      flags,
      `apply ${plural(plan.changes, "change")} to ${describeTarget(plan.target)}`,
    );
  });
}

/** What each command says of itself: its line in the command list and the text after its flags. */
const ABOUT: Record<DeclarativePolicyType, { description: string; after: string }> = {
  S3_POLICY: {
    description:
      "plan, show, confirm, then create/update the S3 organization-level Block Public Access policy (S3_POLICY) for these settings and attach it to an OU (or account)",
    after:
      "\nExample: orgwarden apply-s3-policy --ou Root/Workloads --block-public-access all\n" +
      "\n" +
      "all turns the four S3 Block Public Access settings of every account in scope\n" +
      "on together (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,\n" +
      "RestrictPublicBuckets); account administrators can no longer change them.\n" +
      "Unlike SCPs and RCPs, an S3 policy applies in the management account too, and\n" +
      "to every caller, service-linked roles included. Detaching it brings each\n" +
      "account's own settings back.\n",
  },
  DECLARATIVE_POLICY_EC2: {
    description:
      "plan, show, confirm, then create/update the EC2 declarative policy (DECLARATIVE_POLICY_EC2) for these settings and attach it to an OU (or account)",
    after:
      "\nExample: orgwarden apply-ec2-policy --ou Root/Workloads \\\n" +
      "  --imds-http-tokens required --image-block-public-access block-new-sharing \\\n" +
      "  --snapshot-block-public-access block-all-sharing --serial-console disabled \\\n" +
      "  --vpc-block-public-access block-ingress\n" +
      "\n" +
      "Values in the EC2 API's spelling (block-new-sharing) or the policy's\n" +
      "(block_new_sharing). Settings not given are left to each account, and the\n" +
      "target's one orgwarden EC2 policy holds every setting: give them all each time\n" +
      "(a new set replaces the old variant; the plan shows what goes). EC2 enforces\n" +
      "the policy at the service, in every region, for every caller: unlike SCPs and\n" +
      "RCPs it applies in the management account too, and to service-linked roles.\n" +
      "The IMDS settings are defaults for new instances: running instances keep\n" +
      "theirs. Detaching the policy rolls each attribute back to its earlier state.\n",
  },
};

/** The engine's part of every apply command's help: the enable step, variants, quotas, the plan. */
const ENGINE_HELP =
  "\nWhen the type is not enabled at the root, the plan starts by enabling it\n" +
  "(that attaches nothing); orgwarden never disables it. One policy per parameter\n" +
  "set, orgwarden-<name>-<variant>, tagged managed-by=orgwarden with its\n" +
  "parameters: a re-run plans nothing, and other parameters on the same target\n" +
  "attach the new variant, then detach the old one. Attachments per target are\n" +
  "checked against Service Quotas, else the default of `orgwarden policies`,\n" +
  "before anything is written. A refused plan changes nothing (exit 2).\n";

export function registerApplyDeclarative(
  program: Command,
  action: ActionFactory,
  type: DeclarativePolicyType,
): void {
  const kind = policyKindOf(type);
  const about = ABOUT[type];
  const cmd = program
    .command(`apply-${kind.family}`)
    .description(about.description)
    .requiredOption(
      "--ou <id|path>",
      "OU id (ou-xxxx-xxxxxxxx) or path (Root/Workloads/Prod), or an account id (the management account too)",
    );
  addDeclarativeFlags(cmd, type)
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "apply without asking (needed when not on a terminal)")
    .option(
      "--allow-root",
      "allow the organization root as the target (every account, the management account too)",
    )
    .option(
      "--output <format>",
      "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
    )
    .addHelpText("after", `${about.after}${ENGINE_HELP}See ${DECLARATIVE_POLICY_KINDS[type].page}\n`)
    .action(action((ctx, flags: ApplyDeclarativeFlags) => runApplyDeclarative(ctx, flags, type)));
}
