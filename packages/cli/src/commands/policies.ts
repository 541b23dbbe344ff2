import { parsePolicyTypes } from "@orgwarden/core";
import { ExitCode, runPoliciesJob } from "@orgwarden/job";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { collect } from "../options/scp-options.js";
import { listingFormat } from "../output/output-format.js";
import { messageProgress } from "../output/progress.js";
import { policiesCsv, policiesJson, renderPoliciesTable } from "../output/render-policies.js";
import { LISTING_OUTPUTS } from "../output/write-listing.js";

export interface PoliciesFlags {
  type: string[];
  ou?: string;
  output?: string;
}

/**
 * `orgwarden policies`: every AWS Organizations policy type (enabled at the root or not), the
 * policies attached to each root, OU and account with their owner and the slots left against the
 * live quota, and the accounts whose effective policy is invalid. Reads AWS, changes nothing.
 * Exit 3 when a type could not be read in full (its rows say what is missing).
 */
export async function runPolicies(ctx: CommandContext, flags: PoliciesFlags): Promise<number> {
  // Checked before any AWS call: a bad --output or --type costs nothing.
  const output = listingFormat(ctx.io, flags.output, LISTING_OUTPUTS);
  const types = flags.type.length > 0 ? parsePolicyTypes(flags.type) : undefined;
  const progress = messageProgress(ctx.io, (m) => ctx.logger.info(m), ctx.options.quiet);
  let result: Awaited<ReturnType<typeof runPoliciesJob>>;
  try {
    result = await runPoliciesJob(ctx, { types, ou: flags.ou, onProgress: progress.report });
  } finally {
    progress.end();
  }
  const { overview, inventory, scope } = result;
  if (output === "json") ctx.io.stdout.write(policiesJson(overview, scope));
  else if (output === "csv") ctx.io.stdout.write(policiesCsv(overview, inventory));
  else ctx.io.stdout.write(renderPoliciesTable(overview, ctx.io.columns));
  const incomplete =
    overview.types.some((t) => t.errors.length > 0) || overview.invalid.some((i) => i.error !== undefined);
  return incomplete ? ExitCode.incomplete : ExitCode.ok;
}

export function registerPolicies(program: Command, action: ActionFactory): void {
  program
    .command("policies")
    .description(
      "every AWS Organizations policy type: enabled or not, the policies on each root, OU and account with their owner and the slots left, and accounts with an invalid effective policy",
    )
    .option(
      "--type <type>",
      'only this policy type: SERVICE_CONTROL_POLICY, TAG_POLICY, … or a short name (scp, rcp, tag, backup, "s3 bpa", …) (repeatable or comma-separated; default: every type)',
      collect,
      [],
    )
    .option(
      "--ou <id|path>",
      "only this OU and what is under it (or the root, or one account): an id, or a path like Root/Workloads",
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .addHelpText(
      "after",
      "\nOwners: orgwarden (tag managed-by=orgwarden), control-tower (aws-guardrails-*),\n" +
        "landing-zone-accelerator (tag AWSAcceleratorManaged=Yes), aws-service (tag\n" +
        "ManagedBy=service-access), aws-managed (FullAWSAccess, RCPFullAWSAccess), other.\n" +
        "Quota sources: service-quotas (applied to this organization), default (AWS's\n" +
        "published default), assumed (AWS publishes no figure for the type).\n" +
        "Exit codes: 0 read; 2 an unknown --type, --ou or --output; 3 a type could not be\n" +
        "read in full (it says what is missing); 1 AWS unreachable.\n",
    )
    .action(action(runPolicies));
}
