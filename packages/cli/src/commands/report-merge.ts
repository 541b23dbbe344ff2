import { readFileSync } from "node:fs";
import { OrgwardenError } from "@orgwarden/core";
import { checkWritableFile, describeFileError, reportExitCode, reportSettings } from "@orgwarden/job";
import { mergeShardReports, parseShardReport } from "@orgwarden/report";
import type { CommandContext } from "../command.js";
import { explainIncomplete, reportFormat, writeReport } from "../output/report-output.js";

export interface ReportMergeFlags {
  output?: string;
  out?: string;
  failOn?: string;
}

/**
 * `orgwarden report merge FILES…`: one report from the JSON outputs of `report --shard K/N`, in any
 * format (--output, --out, --fail-on as for report). Nothing is called in AWS. A missing, duplicated
 * or foreign shard is refused (exit 2).
 */
export async function runReportMerge(
  ctx: CommandContext,
  flags: ReportMergeFlags,
  files: string[],
): Promise<number> {
  if (flags.out) checkWritableFile(flags.out, "the merged report");
  const format = reportFormat(ctx, flags.output, flags.out);
  // --fail-on over report.failOn of --config, as for report.
  const { failOn } = reportSettings({ failOn: flags.failOn }, ctx.runConfig, ctx.options.region);
  const parts = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new OrgwardenError("INVALID_INPUT", `cannot read ${file}: ${describeFileError(err, "read")}`, {
        hint: "Name the JSON files written by orgwarden report --shard K/N --out FILE.json.",
        cause: err,
      });
    }
    return { file, report: parseShardReport(text, file) };
  });
  const report = mergeShardReports(parts);
  writeReport(ctx, report, format, flags.out);
  const code = reportExitCode(report, failOn === "non-compliant");
  explainIncomplete(ctx, report, code);
  return code;
}

/** `report merge FILES…`: only the output options apply; nothing is evaluated. */
export function runReportMergeMode(
  ctx: CommandContext,
  flags: ReportMergeFlags & Record<string, unknown>,
  args: string[],
): Promise<number> {
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
      "mfaExemptTagKey",
    ] as const
  ).filter((k) => flags[k] !== undefined);
  const turnedOff = [
    ...(flags.rootAudit === undefined ? [] : [flags.rootAudit ? "rootAudit" : "noRootAudit"]),
    ...(flags.anyRecorderRole ? ["anyRecorderRole"] : []),
  ];
  if (evaluationOnly.length > 0 || turnedOff.length > 0)
    throw new OrgwardenError(
      "INVALID_INPUT",
      `report merge evaluates nothing: ${describeFlags([...evaluationOnly, ...turnedOff])}`,
      {
        hint: "Give those options to each report --shard K/N run; merge takes --output, --out and --fail-on.",
      },
    );
  return runReportMerge(ctx, flags, files);
}

function describeFlags(keys: readonly string[]): string {
  const flags = keys.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  return `${flags.join(", ")} ${flags.length === 1 ? "does" : "do"} not apply`;
}
