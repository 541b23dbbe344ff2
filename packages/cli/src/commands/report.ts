import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, extname } from "node:path";
import { loadRuleCatalog } from "@orgwarden/config";
import {
  AccountClients,
  accountsUnder,
  type OrgAccount,
  OrgwardenError,
  requireTarget,
} from "@orgwarden/core";
import {
  formatReportCsv,
  formatReportHtml,
  formatReportJson,
  formatReportTable,
  NO_COLOUR,
  type Paint,
  REPORT_FORMATS,
  REPORT_SOURCES,
  type Report,
  type ReportFormat,
  type ReportSource,
  rootAccessReading,
  startReport,
} from "@orgwarden/report";
import { loadPolicyLibrary, scpJudge } from "@orgwarden/scp";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import type { ActionFactory } from "../main.js";
import { listingFormat, parseChoice } from "../output/output-format.js";
import { progressReporter } from "../output/progress.js";
import { checkWritableFile } from "../output/writable-path.js";
import { rootAccessClients } from "../root-access.js";
import { parseRegions, ruleSettings } from "./deploy-rules.js";

export interface ReportFlags {
  ou?: string;
  source?: string;
  output?: string;
  out?: string;
  failOn?: string;
  aggregator?: string;
  regions?: string;
  mfaPolicyName?: string;
  passwordMinLength?: string;
  rulesDir?: string;
  rootAudit?: boolean;
}

export function parseSources(raw: string | undefined): ReportSource[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw new OrgwardenError("INVALID_INPUT", "--source needs at least one of check, config, scp");
  return [...new Set(list.map((s) => parseChoice("source", s, REPORT_SOURCES)))];
}

export function formatReport(report: Report, format: ReportFormat, paint: Paint = NO_COLOUR): string {
  switch (format) {
    case "csv":
      return formatReportCsv(report);
    case "json":
      return formatReportJson(report);
    case "html":
      return formatReportHtml(report);
    case "table":
      return formatReportTable(report, paint);
  }
}

/** Exit code of a finished report: 3 when rows are ERROR (incomplete), else 4 with --fail-on and NON_COMPLIANT rows. */
export function reportExitCode(report: Report, failOnNonCompliant: boolean): number {
  if (report.rows.some((r) => r.status === "ERROR")) return ExitCode.incomplete;
  if (failOnNonCompliant && report.rows.some((r) => r.status === "NON_COMPLIANT"))
    return ExitCode.nonCompliant;
  return ExitCode.ok;
}

/** `orgwarden report`: one compliance report for every account (or the accounts under --ou). */
export async function runReport(ctx: CommandContext, flags: ReportFlags): Promise<number> {
  const sources = parseSources(flags.source);
  if (flags.out) checkWritableFile(flags.out, "the report");
  const inferred = flags.out ? extname(flags.out).slice(1).toLowerCase() : undefined;
  const format = listingFormat(
    ctx.io,
    flags.output,
    REPORT_FORMATS,
    REPORT_FORMATS.find((f) => f === inferred),
  );
  const failOn =
    flags.failOn === undefined ? undefined : parseChoice("fail-on", flags.failOn, ["non-compliant"] as const);
  const settings = ruleSettings(flags, ctx.runConfig);
  // Regional controls: the chosen regions, else every region each account has enabled.
  const regions = flags.regions
    ? parseRegions(flags.regions, ctx.options.region)
    : ctx.runConfig?.connection.regions;
  const catalog = [...loadRuleCatalog(flags.rulesDir).values()];
  // Without --ou, account checks start as the walk finds each account: the walk overlaps the work.
  const stream = !flags.ou;
  const early: OrgAccount[] = [];
  let add: (a: OrgAccount) => void = (a) => early.push(a);
  if (stream) ctx.onAccount((a) => add(a));
  const inventoryDone = ctx.inventory();
  const assumer = await ctx.roleAssumer();
  const clients = new AccountClients(ctx.factory, assumer);
  const progress = progressReporter(ctx.io, "report", ctx.options.quiet);
  const run = startReport({
    sources,
    clients,
    homeRegion: ctx.options.region,
    ...(regions ? { regions } : {}),
    mfaPolicyName: settings.mfaPolicyName,
    judgeScp: scpJudge({
      organizations: ctx.factory.organizations(ctx.operatorCredentials),
      library: loadPolicyLibrary(),
    }),
    mfaExemptTagKey: ctx.runConfig?.mfaExemptTagKey,
    password: settings.password,
    rules: catalog,
    aggregator: flags.aggregator,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
    rootAccess: rootAccessReading({
      ...rootAccessClients(ctx, assumer.managementAccountId),
      // --no-root-audit turns it off; so does report.rootAudit: false in the config.
      audit: flags.rootAudit !== false && (ctx.runConfig?.report.rootAudit ?? true),
    }),
  });
  if (stream) {
    for (const a of early) run.add(a);
    add = (a) => run.add(a);
  }
  const inventory = await inventoryDone;
  const accounts = flags.ou
    ? accountsUnder(inventory, requireTarget(inventory, flags.ou).id)
    : inventory.accounts;
  const report = await run.finish(inventory, accounts);
  progress.end();
  // Colour only on the terminal, never into a file.
  const text = formatReport(report, format, flags.out ? NO_COLOUR : ctx.paint);
  if (flags.out) {
    mkdirSync(dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, text);
    ctx.io.stderr.write(
      `orgwarden: wrote ${report.rows.length} rows for ${accounts.length} accounts to ${flags.out}\n`,
    );
  } else {
    ctx.io.stdout.write(text);
  }
  ctx.logger.info(
    {
      rows: report.rows.length,
      accounts: accounts.length,
      calls: ctx.callCounter.byService(),
      operations: ctx.callCounter.byOperation(),
      attempts: ctx.callCounter.totalAttempts(),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpuS: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e5) / 10,
    },
    "report done",
  );
  const code = reportExitCode(report, failOn === "non-compliant");
  if (code === ExitCode.incomplete) {
    const n = new Set(report.rows.filter((r) => r.status === "ERROR").map((r) => r.accountId)).size;
    ctx.io.stderr.write(
      `orgwarden: ${n} account(s) could not be fully evaluated: see the ERROR rows and their reasons.\n`,
    );
  }
  return code;
}

export function registerReport(program: Command, action: ActionFactory): void {
  program
    .command("report")
    .description("one compliance report for every account: direct checks, Config rule results, SCP coverage")
    .option(
      "--ou <id|path>",
      "only the accounts under this OU (or root, or one account): an id, or a path like Root/Workloads",
    )
    .option(
      "--source <list>",
      "comma-separated check,config,scp (default: check,scp plus config when orgwarden rules are deployed)",
    )
    .option(
      "--output <format>",
      "csv | json | html | table (default: from --out's extension, else table on a terminal and json when piped, as every listing command)",
    )
    .option("--out <path>", "write the report to this file instead of stdout")
    .option("--fail-on <what>", "non-compliant: exit 4 when any row is NON_COMPLIANT")
    .option(
      "--aggregator <name>",
      "read Config results through this organization aggregator in the management account",
    )
    .option(
      "--regions <list>",
      "comma-separated regions for regional controls (GuardDuty, Config recorder, regional Config rules); default: every region each account has enabled",
    )
    .option(
      "--mfa-policy-name <name>",
      "the MFA policy mfa-policy-in-use looks for (default BlockAllAccessUnlessSignedInWithMFA)",
    )
    .option(
      "--password-min-length <n>",
      "minimum password length password-policy requires (default 14, IAM_PASSWORD_POLICY's; all parameters: passwordPolicy: in --config)",
    )
    .option("--rules-dir <dir>", "folder of rule definitions")
    .option(
      "--no-root-audit",
      "no AssumeRoot session per member account (CloudTrail shows each): root-credentials-present from the account summary",
    )
    .addHelpText(
      "after",
      "\nCSV columns: account_id, account_name, ou_path, control, source, status,\n" +
        "resource_type, resource_id, reason, evaluated_at, region, severity, frameworks.\n" +
        "Regional controls (guardduty-enabled, config-recorder, Config rule results)\n" +
        "are judged in every region each account has enabled (opt-in ones included),\n" +
        "or in --regions.\n" +
        "Exit: 3 when any account could not be evaluated (ERROR rows), else 4 with\n" +
        "--fail-on non-compliant and NON_COMPLIANT rows.\n",
    )
    .action(action(runReport));
}
