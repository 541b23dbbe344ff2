import type { Report, ReportRow } from "../report-model.js";
import { formatCsv } from "./format-csv.js";
import { rowChunks } from "./format-report.js";

/** The CSV auditors open: the contract's columns, in order. */
export function formatReportCsv(report: Report): string {
  return [...reportCsvChunks(report)].join("");
}

/** The CSV in pieces of ROWS_PER_CHUNK rows (the header with the first, alone when there are no rows). */
export function* reportCsvChunks(report: Report): Generator<string> {
  let header = true;
  for (const rows of rowChunks(report.rows)) {
    yield formatCsv<ReportRow>(CSV_COLUMNS, rows, header);
    header = false;
  }
  if (header) yield formatCsv<ReportRow>(CSV_COLUMNS, [], true);
}

const CSV_COLUMNS: ReadonlyArray<{ header: string; value: (row: ReportRow) => string }> = [
  { header: "account_id", value: (r) => r.accountId },
  { header: "account_name", value: (r) => r.accountName },
  { header: "ou_path", value: (r) => r.ouPath },
  { header: "control", value: (r) => r.control },
  { header: "source", value: (r) => r.source },
  { header: "status", value: (r) => r.status },
  { header: "resource_type", value: (r) => r.resourceType },
  { header: "resource_id", value: (r) => r.resourceId },
  { header: "reason", value: (r) => r.reason },
  { header: "evaluated_at", value: (r) => r.evaluatedAt },
  // Appended after the ten columns of the contract, which keep their names and order.
  { header: "region", value: (r) => r.region },
  { header: "severity", value: (r) => r.severity },
  { header: "frameworks", value: (r) => r.frameworks },
];
