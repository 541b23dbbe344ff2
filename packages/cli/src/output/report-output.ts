import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, extname } from "node:path";
import {
  formatReportCsv,
  formatReportHtml,
  formatReportJson,
  formatReportOcsf,
  formatReportTable,
  NO_COLOUR,
  type Paint,
  REPORT_FORMATS,
  type Report,
  type ReportFormat,
  type ReportPageExtras,
  reportCsvChunks,
  reportJsonChunks,
  reportOcsfChunks,
} from "@orgwarden/report";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import { VERSION } from "../version.js";
import { listingFormat } from "./output-format.js";

export function formatReport(
  report: Report,
  format: ReportFormat,
  paint: Paint = NO_COLOUR,
  extras: ReportPageExtras = {},
): string {
  switch (format) {
    case "csv":
      return formatReportCsv(report);
    case "json":
      return formatReportJson(report);
    case "html":
      return formatReportHtml(report, extras);
    case "table":
      return formatReportTable(report, paint);
    case "ocsf":
      return formatReportOcsf(report);
  }
}

/** The report in pieces (CSV and JSON a thousand rows at a time), so it is never one huge string. */
export function reportChunks(
  report: Report,
  format: ReportFormat,
  paint: Paint = NO_COLOUR,
  extras: ReportPageExtras = {},
): Iterable<string> {
  if (format === "csv") return reportCsvChunks(report);
  if (format === "json") return reportJsonChunks(report);
  if (format === "ocsf") return reportOcsfChunks(report, VERSION);
  return [formatReport(report, format, paint, extras)];
}

/** Writes the report to `file` piece by piece (the folder is made if missing); `extras` go on the HTML page. */
export function writeReportFile(
  file: string,
  report: Report,
  format: ReportFormat,
  extras: ReportPageExtras = {},
): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  try {
    for (const chunk of reportChunks(report, format, NO_COLOUR, extras)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/** The file extension of a report format (OCSF is JSON lines). */
export function reportExtension(format: ReportFormat): string {
  return format === "ocsf" ? "ocsf.jsonl" : format;
}

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

/** Exit code of a finished report: 3 when rows are ERROR (incomplete), else 4 with --fail-on and NON_COMPLIANT rows. */
export function reportExitCode(report: Report, failOnNonCompliant: boolean): number {
  if (report.rows.some((r) => r.status === "ERROR")) return ExitCode.incomplete;
  if (failOnNonCompliant && report.rows.some((r) => r.status === "NON_COMPLIANT"))
    return ExitCode.nonCompliant;
  return ExitCode.ok;
}

/** Says on stderr why the exit code is 3. */
export function explainIncomplete(ctx: CommandContext, report: Report, code: number): void {
  if (code !== ExitCode.incomplete) return;
  const n = new Set(report.rows.filter((r) => r.status === "ERROR").map((r) => r.accountId)).size;
  ctx.io.stderr.write(
    `orgwarden: ${n} account(s) could not be fully evaluated: see the ERROR rows and their reasons.\n`,
  );
}
