import {
  formatReportCsv,
  formatReportHtml,
  formatReportJson,
  formatReportOcsf,
  formatReportTable,
  NO_COLOUR,
  type Paint,
  type Report,
  type ReportFormat,
  type ReportPageExtras,
  reportCsvChunks,
  reportJsonChunks,
  reportOcsfChunks,
  type TableOptions,
} from "@orgwarden/report";
import { VERSION } from "../version.js";
import { writeFileAtomic } from "./write-file-atomic.js";

export function formatReport(
  report: Report,
  format: ReportFormat,
  paint: Paint = NO_COLOUR,
  extras: ReportPageExtras = {},
  table: TableOptions = {},
): string {
  switch (format) {
    case "csv":
      return formatReportCsv(report);
    case "json":
      return formatReportJson(report);
    case "html":
      return formatReportHtml(report, extras);
    case "table":
      return formatReportTable(report, paint, table);
    case "ocsf":
      return formatReportOcsf(report);
  }
}

/**
 * The report in pieces (CSV and JSON a thousand rows at a time), so it is never one huge string;
 * `table` fits the table format to a terminal.
 */
export function reportChunks(
  report: Report,
  format: ReportFormat,
  paint: Paint = NO_COLOUR,
  extras: ReportPageExtras = {},
  table: TableOptions = {},
): Iterable<string> {
  if (format === "csv") return reportCsvChunks(report);
  if (format === "json") return reportJsonChunks(report);
  if (format === "ocsf") return reportOcsfChunks(report, VERSION);
  return [formatReport(report, format, paint, extras, table)];
}

/**
 * Writes the report to `file` piece by piece, atomically: a reader sees the whole report or none
 * (the folder is made if missing); `extras` go on the HTML page. A failure is WRITE_FAILED (exit 1).
 */
export function writeReportFile(
  file: string,
  report: Report,
  format: ReportFormat,
  extras: ReportPageExtras = {},
): void {
  writeFileAtomic(file, reportChunks(report, format, NO_COLOUR, extras), { what: "the report" });
}

/** The file extension of a report format (OCSF is JSON lines). */
export function reportExtension(format: ReportFormat): string {
  return format === "ocsf" ? "ocsf.jsonl" : format;
}
