import { COMPLIANCE_STATUSES } from "@orgwarden/core";
import { NO_COLOUR, type Paint, paintStatus } from "./colour.js";
import { formatCsv } from "./format-csv.js";
import { type TableOptions, renderTable as table } from "./render-table.js";
import type { Report, ReportRow } from "./report-model.js";
import { summarizeReport } from "./summarize-report.js";

/** ocsf: OCSF Compliance Finding events as JSON lines (format-ocsf.ts). */
export const REPORT_FORMATS = ["csv", "json", "html", "table", "ocsf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The CSV auditors open: the contract's columns, in order. */
export function formatReportCsv(report: Report): string {
  return [...reportCsvChunks(report)].join("");
}

/** Rows written per chunk: a report of 20,000 accounts is never one string in memory. */
const ROWS_PER_CHUNK = 1000;

/** The CSV in pieces of ROWS_PER_CHUNK rows (the header with the first). */
export function* reportCsvChunks(report: Report): Generator<string> {
  for (let i = 0; i === 0 || i < report.rows.length; i += ROWS_PER_CHUNK) {
    yield formatCsv<ReportRow>(CSV_COLUMNS, report.rows.slice(i, i + ROWS_PER_CHUNK), i === 0);
  }
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

export function formatReportJson(report: Report): string {
  return [...reportJsonChunks(report)].join("");
}

/**
 * The JSON document in pieces, byte for byte what JSON.stringify(document, null, 2) gives: the
 * head (dates, summary, shard), then ROWS_PER_CHUNK rows at a time.
 */
export function* reportJsonChunks(report: Report): Generator<string> {
  const { byControl, byOu } = summarizeReport(report);
  const head = JSON.stringify(
    {
      generatedAt: report.generatedAt,
      organizationId: report.organizationId,
      summary: { byControl, byOu },
      ...(report.shard ? { shard: report.shard } : {}),
      ...(report.scpDrift ? { scpDrift: report.scpDrift } : {}),
      rows: [],
    },
    null,
    2,
  );
  if (report.rows.length === 0) {
    yield `${head}\n`;
    return;
  }
  // head ends with `"rows": []\n}`: open the array, then the rows indented as stringify would.
  yield `${head.slice(0, head.lastIndexOf("[]"))}[\n`;
  for (let i = 0; i < report.rows.length; i += ROWS_PER_CHUNK) {
    const last = i + ROWS_PER_CHUNK >= report.rows.length;
    const rows = report.rows
      .slice(i, i + ROWS_PER_CHUNK)
      .map((r) => `    ${JSON.stringify(r, null, 2).replaceAll("\n", "\n    ")}`);
    yield `${rows.join(",\n")}${last ? "\n  ]\n}\n" : ",\n"}`;
  }
}

/** For a terminal: the summary per control, then only the rows that need attention. */
export function formatReportTable(
  report: Report,
  paint: Paint = NO_COLOUR,
  options: TableOptions = {},
): string {
  const summary = summarizeReport(report);
  const statuses = COMPLIANCE_STATUSES;
  const lines: string[] = [];
  lines.push(
    `Compliance of ${summary.accounts} account(s) in ${report.organizationId}, ${report.generatedAt}`,
    "",
    table(
      ["CONTROL/SOURCE", ...statuses],
      Object.entries(summary.byControl).map(([k, c]) => [k, ...statuses.map((s) => String(c[s]))]),
      options,
    ),
  );
  const attention = report.rows.filter((r) => r.status === "NON_COMPLIANT" || r.status === "ERROR");
  if (attention.length === 0) lines.push("No NON_COMPLIANT or ERROR rows.");
  else {
    lines.push(
      `${attention.length} row(s) need attention:`,
      "",
      table(
        ["ACCOUNT", "NAME", "OU PATH", "CONTROL", "SOURCE", "STATUS", "REASON"],
        attention.map((r) => [
          r.accountId,
          r.accountName,
          r.ouPath,
          r.control,
          r.source,
          paintStatus(paint, r.status),
          r.reason,
        ]),
        options,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
