import { COMPLIANCE_STATUSES } from "@orgwarden/core";
import type { Report, ReportRow } from "../report-model.js";
import { summarizeReport } from "../summarize-report.js";
import { NO_COLOUR, type Paint, paintStatus } from "./colour.js";
import { type TableOptions, renderTable as table } from "./render-table.js";

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
  // Only the rows a person must look at are kept: the table's columns are as wide as the widest.
  const attention: ReportRow[] = [];
  for (const r of report.rows) if (r.status === "NON_COMPLIANT" || r.status === "ERROR") attention.push(r);
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
