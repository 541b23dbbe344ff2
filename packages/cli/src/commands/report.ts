import { OrgwardenError } from "@orgwarden/core";
import {
  checkWritableFile,
  ExitCode,
  importReportToSecurityHub,
  parseChoice,
  parseRegions,
  parseSources,
  reportExitCode,
  ruleSettings,
  runReportJob,
  securityHubRegion,
} from "@orgwarden/job";
import { parseShard } from "@orgwarden/report";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addReportFlags } from "../options/report-options.js";
import { jobHooks } from "../output/job-hooks.js";
import { explainIncomplete, reportFormat, writeReport } from "../output/report-output.js";
import { runReportMergeMode } from "./report-merge.js";

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
  anyRecorderRole?: boolean;
  shard?: string;
  securityHub?: boolean;
  securityHubRegion?: string;
}

/** `orgwarden report`: one compliance report for every account (or the accounts under --ou). */
export async function runReport(
  ctx: CommandContext,
  flags: ReportFlags,
  args: string[] = [],
): Promise<number> {
  if (args.length > 0) return runReportMergeMode(ctx, { ...flags }, args);
  // Every option is checked before the first AWS call.
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
  const hooks = jobHooks(ctx);
  const { report, clients } = await runReportJob(
    ctx,
    {
      ou: flags.ou,
      sources,
      shard,
      // Regional controls: the chosen regions, else every region each account has enabled.
      regions: flags.regions
        ? parseRegions(flags.regions, ctx.options.region)
        : ctx.runConfig?.connection.regions,
      settings: ruleSettings(flags, ctx.runConfig),
      rulesDir: flags.rulesDir,
      aggregator: flags.aggregator,
      mfaExemptTagKey: ctx.runConfig?.mfaExemptTagKey,
      // --no-root-audit turns it off; so does report.rootAudit: false in the config.
      rootAudit: flags.rootAudit !== false && (ctx.runConfig?.report.rootAudit ?? true),
      // Security Hub Config.1's parameter: the flag turns it off; so does the config's.
      configServiceLinkedRoleCheck:
        flags.anyRecorderRole !== true && (ctx.runConfig?.report.includeConfigServiceLinkedRoleCheck ?? true),
    },
    hooks,
  );
  writeReport(ctx, report, format, flags.out);
  let code = reportExitCode(report, failOn === "non-compliant");
  explainIncomplete(ctx, report, code);
  if (hubRegion) {
    const imported = await importReportToSecurityHub(ctx, report, clients, hubRegion, hooks);
    // Findings that did not reach Security Hub: the job is incomplete.
    if (imported.failed.length > 0) code = ExitCode.incomplete;
  }
  return code;
}

export function registerReport(program: Command, action: ActionFactory): void {
  addReportFlags(
    program
      .command("report")
      // `report merge FILES…` is a mode of report rather than a subcommand: a subcommand's --out and
      // --output would be taken by report's own options of the same name.
      .argument("[merge]", "merge: one report from the JSON outputs of report --shard K/N (see below)")
      .argument("[files...]", "with merge: the shards' JSON files, one per shard")
      .description(
        "one compliance report for every account: direct checks, Config rule results, SCP coverage",
      ),
  ).action(action(runReport));
}
