import { OrgwardenError } from "@orgwarden/core";
import {
  checkWritableFile,
  ExitCode,
  importReportToSecurityHub,
  type ReportFlags as ReportSettingFlags,
  reportExitCode,
  reportSettings,
  runReportJob,
} from "@orgwarden/job";
import { closeReport, parseShard } from "@orgwarden/report";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addReportFlags } from "../options/report-options.js";
import { jobHooks } from "../output/job-hooks.js";
import { explainIncomplete, reportFormat, writeReport } from "../output/report-output.js";
import { runReportMergeMode } from "./report-merge.js";

export interface ReportFlags extends ReportSettingFlags {
  output?: string;
  out?: string;
  rulesDir?: string;
  shard?: string;
}

/** `orgwarden report`: one compliance report for every account (or the accounts under --ou). */
export async function runReport(
  ctx: CommandContext,
  flags: ReportFlags,
  args: string[] = [],
): Promise<number> {
  if (args.length > 0) return runReportMergeMode(ctx, { ...flags }, args);
  // Every option is checked before the first AWS call; flags win over --config's report: section.
  const settings = reportSettings(flags, ctx.runConfig, ctx.options.region);
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
  const hooks = jobHooks(ctx);
  const { report, clients } = await runReportJob(ctx, { settings, shard, rulesDir: flags.rulesDir }, hooks);
  try {
    writeReport(ctx, report, format, flags.out);
    let code = reportExitCode(report, settings.failOn === "non-compliant");
    explainIncomplete(ctx, report, code);
    if (settings.securityHubRegion) {
      const imported = await importReportToSecurityHub(
        ctx,
        report,
        clients,
        settings.securityHubRegion,
        hooks,
      );
      // Findings that did not reach Security Hub: the job is incomplete.
      if (imported.failed.length > 0) code = ExitCode.incomplete;
    }
    return code;
  } finally {
    // The rows wait on disk until every output is written.
    closeReport(report);
  }
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
