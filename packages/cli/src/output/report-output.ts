import { extname } from "node:path";
import { ExitCode, reportChunks, writeReportFile } from "@orgwarden/job";
import { REPORT_FORMATS, type Report, type ReportFormat } from "@orgwarden/report";
import type { CommandContext } from "../command.js";
import { listingFormat } from "./output-format.js";

/** --output, else --out's extension (.jsonl: ocsf), else table on a terminal and JSON when piped. */
export function reportFormat(
  ctx: CommandContext,
  output: string | undefined,
  out: string | undefined,
): ReportFormat {
  const ext = out ? extname(out).slice(1).toLowerCase() : undefined;
  const inferred = ext === "jsonl" ? "ocsf" : ext;
  return listingFormat(
    ctx.io,
    output,
    REPORT_FORMATS,
    REPORT_FORMATS.find((f) => f === inferred),
  );
}

/** Writes the report to --out (no colour) or stdout (colour on a terminal). */
export function writeReport(
  ctx: CommandContext,
  report: Report,
  format: ReportFormat,
  out: string | undefined,
): void {
  if (!out) {
    for (const chunk of reportChunks(report, format, ctx.paint)) ctx.io.stdout.write(chunk);
    return;
  }
  writeReportFile(out, report, format);
  const accounts = new Set(report.rows.map((r) => r.accountId)).size;
  ctx.io.stderr.write(`orgwarden: wrote ${report.rows.length} rows for ${accounts} accounts to ${out}\n`);
}

/** Says on stderr why the exit code is 3. */
export function explainIncomplete(ctx: CommandContext, report: Report, code: number): void {
  if (code !== ExitCode.incomplete) return;
  const n = new Set(report.rows.filter((r) => r.status === "ERROR").map((r) => r.accountId)).size;
  ctx.io.stderr.write(
    `orgwarden: ${n} account(s) could not be fully evaluated: see the ERROR rows and their reasons.\n`,
  );
}
