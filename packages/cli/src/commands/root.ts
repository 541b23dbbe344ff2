import { accountsUnder, type Inventory, OrgwardenError, requireTarget } from "@orgwarden/core";
import { formatCsv, type Paint, paintPlanLine, paintStatus, renderTable } from "@orgwarden/report";
import {
  applyRootCredentialRemoval,
  applyRootEnable,
  auditMemberRoots,
  describeRootEnableStep,
  planRootCredentialRemoval,
  planRootEnable,
  ROOT_FEATURES,
  type RootAccessFeatures,
  type RootStatusRow,
  remainsAfter,
} from "@orgwarden/root";
import type { Command } from "commander";
import { confirmChange } from "../confirm-change.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import type { ActionFactory } from "../main.js";
import { listingFormat, parseChoice } from "../output/output-format.js";
import { progressReporter } from "../output/progress.js";
import {
  describeRemovalPlan,
  removalSummary,
  rootStatusJson,
  rootStatusRecords,
} from "../output/render-root.js";
import { rootAccessClients } from "../root-access.js";

const OUTPUTS = ["table", "json", "csv"] as const;

async function rootAccess(ctx: CommandContext, inventory: Inventory) {
  const clients = rootAccessClients(ctx, inventory.managementAccountId);
  return { ...clients, features: await clients.readFeatures() };
}

export interface RootStatusFlags {
  ou?: string;
  output?: string;
}

/** `orgwarden root status`: the organization features, then each member account's root credentials. */
export async function runRootStatus(ctx: CommandContext, flags: RootStatusFlags): Promise<number> {
  const output = listingFormat(ctx.io, flags.output, OUTPUTS);
  const inventory = await ctx.inventory();
  const accounts = flags.ou
    ? accountsUnder(inventory, requireTarget(inventory, flags.ou).id)
    : inventory.accounts;
  const { features, sessions } = await rootAccess(ctx, inventory);
  const progress = progressReporter(ctx.io, "root status", ctx.options.quiet);
  const rows = await auditMemberRoots({
    accounts,
    features,
    sessions,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const out = ctx.io.stdout;
  if (output === "json") out.write(`${JSON.stringify(rootStatusJson(inventory, features, rows), null, 2)}\n`);
  else if (output === "csv") out.write(rootStatusCsv(rows));
  else out.write(rootStatusTable(inventory, features, rows, ctx.paint));
  return rows.some((r) => r.status === "ERROR") ? ExitCode.incomplete : ExitCode.ok;
}

function rootStatusCsv(rows: readonly RootStatusRow[]): string {
  const records = rootStatusRecords(rows);
  type R = (typeof records)[number];
  return formatCsv(
    [
      { header: "account_id", value: (r: R) => r.accountId },
      { header: "account_name", value: (r: R) => r.accountName },
      { header: "ou_path", value: (r: R) => r.ouPath },
      { header: "status", value: (r: R) => r.status },
      { header: "password", value: (r: R) => r.password },
      { header: "access_keys", value: (r: R) => r.accessKeys },
      { header: "signing_certificates", value: (r: R) => r.signingCertificates },
      { header: "mfa_devices", value: (r: R) => r.mfaDevices },
      { header: "reason", value: (r: R) => r.reason },
    ],
    records,
  );
}

function rootStatusTable(
  inventory: Inventory,
  features: RootAccessFeatures,
  rows: readonly RootStatusRow[],
  paint: Paint,
): string {
  const on = (b: boolean) => (b ? "on" : "off");
  const lines = [
    `Centralized root access in ${inventory.organizationId}:`,
    `  trusted access for IAM (iam.amazonaws.com)  ${on(features.trustedAccess)}`,
    ...ROOT_FEATURES.map((f) => `  ${f.padEnd(41)}  ${on(features.enabled.has(f))}`),
    "",
  ];
  const records = rootStatusRecords(rows);
  const table = renderTable(
    ["ACCOUNT", "NAME", "OU PATH", "STATUS", "PASSWORD", "ACCESS KEYS", "SIGNING CERTS", "MFA", "REASON"],
    records.map((r) => [
      r.accountId,
      r.accountName,
      r.ouPath,
      paintStatus(paint, r.status),
      r.password,
      r.accessKeys,
      r.signingCertificates,
      r.mfaDevices,
      r.reason,
    ]),
  );
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const summary = [...counts].map(([k, v]) => `${v} ${k}`).join(", ");
  return `${lines.join("\n")}\n${table}${rows.length} account${rows.length === 1 ? "" : "s"}: ${summary}\n`;
}

export interface RootEnableFlags {
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden root enable`: trusted access for IAM, then RootCredentialsManagement and RootSessions. */
export async function runRootEnable(ctx: CommandContext, flags: RootEnableFlags): Promise<number> {
  const inventory = await ctx.inventory();
  if (inventory.featureSet !== "ALL") {
    throw new OrgwardenError(
      "REFUSED",
      `organization ${inventory.organizationId} does not have all features enabled`,
      {
        hint: "Centralized root access needs all features (organizations:EnableAllFeatures); nothing was changed.",
      },
    );
  }
  const { iam, organizations, features } = await rootAccess(ctx, inventory);
  const steps = planRootEnable(features);
  const out = ctx.io.stdout;
  out.write(`Centralized root access in ${inventory.organizationId}:\n`);
  if (steps.length === 0)
    out.write("  = trusted access for IAM, RootCredentialsManagement and RootSessions are already on\n");
  for (const step of steps) out.write(`${paintPlanLine(ctx.paint, `  + ${describeRootEnableStep(step)}`)}\n`);
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: steps.length,
    summary: `enable centralized root access (${steps.length} change${steps.length === 1 ? "" : "s"})`,
  });
  if (!go) return ExitCode.ok;
  await applyRootEnable(steps, {
    organizations,
    iam,
    onStep: (step, done, total) => out.write(`[${done}/${total}] done: ${describeRootEnableStep(step)}\n`),
  });
  out.write(
    "Done: centralized root access is on. Next: orgwarden root status, then orgwarden root remove-credentials --ou ...\n",
  );
  return ExitCode.ok;
}

export interface RootRemoveFlags {
  ou: string;
  keep?: string;
  allowRoot?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden root remove-credentials`: audit, plan, confirm, then delete member root credentials. */
export async function runRootRemoveCredentials(ctx: CommandContext, flags: RootRemoveFlags): Promise<number> {
  if (flags.keep !== undefined) parseChoice("keep", flags.keep, ["mfa"] as const);
  const inventory = await ctx.inventory();
  const { features, sessions } = await rootAccess(ctx, inventory);
  const progress = progressReporter(ctx.io, "auditing root users", ctx.options.quiet);
  const plan = await planRootCredentialRemoval({
    inventory,
    targetId: flags.ou,
    features,
    sessions,
    keepMfa: flags.keep === "mfa",
    allowRoot: flags.allowRoot ?? false,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const out = ctx.io.stdout;
  out.write(describeRemovalPlan(plan, ctx.paint));
  const auditErrors = plan.accounts.filter((a) => a.audit.status === "ERROR").length;
  const accountsToChange = plan.accounts.filter((a) => a.steps.length > 0).length;
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: plan.changes,
    summary: `remove root credentials in ${accountsToChange} account${accountsToChange === 1 ? "" : "s"} under ${plan.target.path}`,
  });
  if (!go) return auditErrors > 0 ? ExitCode.incomplete : ExitCode.ok;
  const results = await applyRootCredentialRemoval(plan, {
    sessions,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
  });
  out.write(removalSummary(results, plan.keepMfa));
  const unfinished = results.filter((r) => !r.ok || remainsAfter(r.value, plan.keepMfa)).length;
  return unfinished + auditErrors > 0 ? ExitCode.incomplete : ExitCode.ok;
}

export function registerRoot(program: Command, action: ActionFactory): void {
  const root = program
    .command("root")
    .description("IAM centralized root access: audit, enable, and remove member accounts' root credentials")
    .addHelpText(
      "after",
      "\nMember root users are reached with short sts:AssumeRoot sessions (900 s,\n" +
        "never used past their expiry, never logged) under the AWS task policies\n" +
        "IAMAuditRootUserCredentials and IAMDeleteRootUserCredentials. The management\n" +
        "account is out of scope: AWS does not allow AssumeRoot on it. orgwarden's\n" +
        "deny-root-user SCP leaves these sessions usable (aws:AssumedRoot) unless it\n" +
        "was applied with --block-assume-root.\n",
    );
  root
    .command("status")
    .description("whether centralized root access is on, and what root credentials each member account has")
    .option(
      "--ou <id|path>",
      "only the accounts under this OU (id or path like Root/Workloads), root or account",
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .addHelpText("after", "\nExit 3 when an account's root user could not be audited (ERROR rows).\n")
    .action(action(runRootStatus));
  root
    .command("enable")
    .description("enable trusted access for IAM, then root credentials management and root sessions")
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "apply without asking (needed when not on a terminal)")
    .addHelpText("after", "\nIdempotent: what is on is left alone; a second run has nothing to do.\n")
    .action(action(runRootEnable));
  root
    .command("remove-credentials")
    .description(
      "delete member accounts' root passwords, access keys and signing certificates, and deactivate their MFA devices",
    )
    .requiredOption("--ou <id|path>", "OU (id or path like Root/Workloads/Prod), root or member account id")
    .option("--keep <what>", "mfa: leave the root users' MFA devices in place")
    .option("--allow-root", "allow the organization root as the target: every member account")
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "apply without asking (needed when not on a terminal)")
    .addHelpText(
      "after",
      "\nRefused (exit 2, nothing changed) when root credentials management is off\n" +
        "(run orgwarden root enable), when the target is the management account or a\n" +
        "suspended account (under an OU they are listed and left alone), or the\n" +
        "organization root without --allow-root. MFA devices are deactivated last,\n" +
        "and only once nothing they guard is left. Exit 3 when an account's AssumeRoot\n" +
        "is refused, a step fails or credentials remain; the other accounts go on.\n" +
        "A second run is a no-op.\n",
    )
    .action(action(runRootRemoveCredentials));
}
