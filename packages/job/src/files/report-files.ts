import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
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
} from "@orgwarden/report";
import { VERSION } from "../version.js";

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
