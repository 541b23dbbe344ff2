import { readFileSync } from "node:fs";
import { OrgwardenError } from "@orgwarden/core";
import { mergeShardReports, parseShardReport } from "@orgwarden/report";
import type { CommandContext } from "../context.js";
import { parseChoice } from "../output/output-format.js";
import { explainIncomplete, reportExitCode, reportFormat, writeReport } from "../output/report-output.js";
import { checkWritableFile } from "../output/writable-path.js";

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
  const failOn =
    flags.failOn === undefined ? undefined : parseChoice("fail-on", flags.failOn, ["non-compliant"] as const);
  const parts = files.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new OrgwardenError("INVALID_INPUT", `cannot read ${file}: ${(err as Error).message}`, {
        hint: "Name the JSON files written by orgwarden report --shard K/N --out FILE.json.",
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
