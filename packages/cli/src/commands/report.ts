import {
  AccountClients,
  accountsUnder,
  type OrgAccount,
  OrgwardenError,
  requireTarget,
} from "@orgwarden/core";
import {
  inShard,
  parseShard,
  REPORT_SOURCES,
  type ReportSource,
  rootAccessReading,
  startReport,
} from "@orgwarden/report";
import { loadRuleCatalog } from "@orgwarden/rules";
import { loadPolicyLibrary, parseManagedName, scpJudge } from "@orgwarden/scp";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import type { ActionFactory } from "../main.js";
import { parseChoice } from "../output/output-format.js";
import { progressReporter } from "../output/progress.js";
import { explainIncomplete, reportExitCode, reportFormat, writeReport } from "../output/report-output.js";
import { securityHubRegion, sendToSecurityHub } from "../output/security-hub-output.js";
import { checkWritableFile } from "../output/writable-path.js";
import { reportWorkers } from "../report-workers.js";
import { rootAccessClients } from "../root-access.js";
import { parseRegions, ruleSettings } from "./deploy-rules.js";
import { runReportMerge } from "./report-merge.js";

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
  shard?: string;
  securityHub?: boolean;
  securityHubRegion?: string;
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

/** `orgwarden report`: one compliance report for every account (or the accounts under --ou). */
export async function runReport(
  ctx: CommandContext,
  flags: ReportFlags,
  args: string[] = [],
): Promise<number> {
  if (args.length > 0) return mergeMode(ctx, flags, args);
  const sources = parseSources(flags.source);
  if (flags.out) checkWritableFile(flags.out, "the report");
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  // A shard's report is merged later (report merge reads JSON): JSON unless told otherwise.
  const format = reportFormat(ctx, flags.output ?? (shard && !flags.out ? "json" : undefined), flags.out);
  if (shard && format !== "json")
    throw new OrgwardenError(
      "INVALID_INPUT",
      `--shard writes the JSON that report merge reads, not ${format}`,
      {
        hint: "Use --output json (or an --out file ending .json); report merge writes CSV, HTML or a table.",
      },
    );
  const failOn =
    flags.failOn === undefined ? undefined : parseChoice("fail-on", flags.failOn, ["non-compliant"] as const);
  // --security-hub-region alone means --security-hub too.
  const hubRegion =
    flags.securityHub || flags.securityHubRegion !== undefined
      ? securityHubRegion(flags.securityHubRegion, ctx.options.region, "--security-hub-region")
      : undefined;
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
  const mine = (a: OrgAccount) => !shard || inShard(a.id, shard);
  if (stream) ctx.onAccount((a) => (mine(a) ? add(a) : undefined));
  // SCP coverage looks only at orgwarden's own policies: their targets are all the walk reads.
  const inventoryDone = ctx.inventory({ scpTargetsOf: (p) => parseManagedName(p.name) !== undefined });
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
    workers: reportWorkers(ctx, assumer),
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
  const scope = flags.ou ? requireTarget(inventory, flags.ou).id : undefined;
  const inScope = scope ? accountsUnder(inventory, scope) : inventory.accounts;
  const accounts = inScope.filter(mine);
  const report = await run.finish(inventory, accounts);
  progress.end();
  if (shard)
    report.shard = {
      ...shard,
      scope: scope ?? "organization",
      scopeAccounts: inScope.length,
      accounts: accounts.map((a) => a.id).sort(),
    };
  writeReport(ctx, report, format, flags.out);
  ctx.logger.info(
    {
      rows: report.rows.length,
      accounts: accounts.length,
      calls: ctx.callCounter.byService(),
      operations: ctx.callCounter.byOperation(),
      attempts: ctx.callCounter.totalAttempts(),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      // The main thread's heap (the rows live here; worker threads have their own).
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      cpuS: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e5) / 10,
    },
    "report done",
  );
  let code = reportExitCode(report, failOn === "non-compliant");
  explainIncomplete(ctx, report, code);
  if (hubRegion) {
    const imported = await sendToSecurityHub(ctx, report, clients, hubRegion);
    // Findings that did not reach Security Hub: the job is incomplete.
    if (imported.failed.length > 0) code = ExitCode.incomplete;
  }
  return code;
}

/** `report merge FILES…`: only the output options apply; nothing is evaluated. */
function mergeMode(ctx: CommandContext, flags: ReportFlags, args: string[]): Promise<number> {
  const [mode, ...files] = args;
  if (mode !== "merge")
    throw new OrgwardenError("INVALID_INPUT", `report takes no argument "${mode}"`, {
      hint: "orgwarden report [options] evaluates the accounts; orgwarden report merge FILES… merges shards.",
    });
  if (files.length === 0)
    throw new OrgwardenError("INVALID_INPUT", "report merge needs the shards' JSON files", {
      hint: "orgwarden report merge shard-1.json shard-2.json … (the outputs of report --shard K/N).",
    });
  const evaluationOnly = (
    [
      "ou",
      "source",
      "aggregator",
      "regions",
      "mfaPolicyName",
      "passwordMinLength",
      "rulesDir",
      "shard",
      "securityHub",
      "securityHubRegion",
    ] as const
  ).filter((k) => flags[k] !== undefined);
  if (evaluationOnly.length > 0 || flags.rootAudit === false)
    throw new OrgwardenError(
      "INVALID_INPUT",
      `report merge evaluates nothing: ${describeFlags([...evaluationOnly, ...(flags.rootAudit === false ? ["noRootAudit"] : [])])}`,
      {
        hint: "Give those options to each report --shard K/N run; merge takes --output, --out and --fail-on.",
      },
    );
  return runReportMerge(ctx, flags, files);
}

export function registerReport(program: Command, action: ActionFactory): void {
  program
    .command("report")
    // `report merge FILES…` is a mode of report rather than a subcommand: a subcommand's --out and
    // --output would be taken by report's own options of the same name.
    .argument("[merge]", "merge: one report from the JSON outputs of report --shard K/N (see below)")
    .argument("[files...]", "with merge: the shards' JSON files, one per shard")
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
      "csv | json | html | table | ocsf (OCSF 1.8.0 Compliance Finding events, JSON lines) (default: from --out's extension, .jsonl for ocsf, else table on a terminal and json when piped, as every listing command)",
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
      "--shard <K/N>",
      "evaluate only shard K of N (a stable split by account id), as JSON for orgwarden report merge",
    )
    .option(
      "--security-hub",
      "also import every row into AWS Security Hub as an ASFF finding, by the account it is about (ids orgwarden/<account>/<control>/<region>: a re-run updates them)",
    )
    .option(
      "--security-hub-region <region>",
      "the region whose Security Hub receives the findings (default: the home region); implies --security-hub",
    )
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
        "Shards: run --shard 1/N … N/N (on one machine or many), then\n" +
        "orgwarden report merge FILES… [--output F] [--out P] [--fail-on W] on their\n" +
        "JSON outputs: it reads files only, and refuses (exit 2) a missing or\n" +
        "duplicated shard, shards of different splits, organizations or --ou, and\n" +
        "shards that do not cover every account once.\n" +
        "Security Hub: each account imports its own findings (BatchImportFindings\n" +
        "must come from the finding's account), batches of 100, at most 10 requests a\n" +
        "second per account; passed findings get workflow RESOLVED. Security Hub must\n" +
        "be enabled in each account and the region.\n" +
        "Exit: 3 when any account could not be evaluated (ERROR rows) or its findings\n" +
        "did not reach Security Hub, else 4 with\n" +
        "--fail-on non-compliant and NON_COMPLIANT rows.\n",
    )
    .action(action(runReport));
}

function describeFlags(keys: readonly string[]): string {
  const flags = keys.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  return `${flags.join(", ")} ${flags.length === 1 ? "does" : "do"} not apply`;
}
