import { COMPLIANCE_STATUSES, type ComplianceStatus } from "@orgwarden/core";
import type { Report, ReportRow } from "./report-model.js";
import { type StatusCounts, summarizeReport } from "./summarize-report.js";

const COLOURS: Record<ComplianceStatus, string> = {
  COMPLIANT: "#2e7d32",
  NON_COMPLIANT: "#c62828",
  NOT_APPLICABLE: "#9e9e9e",
  INSUFFICIENT_DATA: "#f9a825",
  ERROR: "#6a1b9a",
  SKIPPED: "#cfd8dc",
};

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/**
 * One self-contained HTML page (inline CSS, no script, no network): a summary per control and per
 * OU, and a heat-map of accounts × controls coloured by status with the reason on hover.
 */
export function formatReportHtml(report: Report): string {
  const summary = summarizeReport(report);
  const columns = [...new Set(report.rows.map((r) => `${r.control}/${r.source}`))].sort();
  const accounts: Array<{ id: string; name: string; ouPath: string; cells: Map<string, ReportRow> }> = [];
  const byAccount = new Map<string, (typeof accounts)[number]>();
  for (const row of report.rows) {
    let a = byAccount.get(row.accountId);
    if (!a) {
      a = { id: row.accountId, name: row.accountName, ouPath: row.ouPath, cells: new Map() };
      byAccount.set(row.accountId, a);
      accounts.push(a);
    }
    a.cells.set(`${row.control}/${row.source}`, row);
  }
  const counts = (c: StatusCounts) => COMPLIANCE_STATUSES.map((s) => `<td class="n">${c[s]}</td>`).join("");
  const summaryTable = (title: string, data: Record<string, StatusCounts>) => `
<h2>${escapeHtml(title)}</h2>
<table class="summary"><thead><tr><th></th>${COMPLIANCE_STATUSES.map((s) => `<th><span class="dot" style="background:${COLOURS[s]}"></span>${s}</th>`).join("")}</tr></thead>
<tbody>${Object.entries(data)
    .map(([k, c]) => `<tr><th>${escapeHtml(k)}</th>${counts(c)}</tr>`)
    .join("\n")}</tbody></table>`;
  const heatmap = `
<h2>Accounts × controls</h2>
<table class="heatmap" id="heatmap"><thead><tr><th>Account</th><th>OU path</th>${columns
    .map((c) => `<th class="col"><div>${escapeHtml(c)}</div></th>`)
    .join("")}</tr></thead>
<tbody>${accounts
    .map(
      (a) =>
        `<tr data-account="${escapeHtml(a.id)}"><th>${escapeHtml(a.name)}<br><small>${escapeHtml(a.id)}</small></th><td>${escapeHtml(a.ouPath)}</td>${columns
          .map((c) => {
            const r = a.cells.get(c);
            if (!r) return `<td class="cell none"></td>`;
            return `<td class="cell" data-control="${escapeHtml(c)}" data-status="${r.status}" style="background:${COLOURS[r.status]}" title="${escapeHtml(`${r.status}: ${r.reason}`)}"></td>`;
          })
          .join("")}</tr>`,
    )
    .join("\n")}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>orgwarden compliance report ${escapeHtml(report.organizationId)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#212121}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse} th,td{padding:4px 8px;border:1px solid #e0e0e0;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:middle}
.heatmap td.cell{width:22px;min-width:22px;height:22px;padding:0}
.heatmap th.col{height:150px;white-space:nowrap;vertical-align:bottom;padding:0 2px}
.heatmap th.col div{transform:rotate(-60deg);transform-origin:left bottom;width:22px;translate:12px 0}
.heatmap small{color:#757575} .meta{color:#616161}
</style></head><body>
<h1>orgwarden compliance report</h1>
<p class="meta">Organization ${escapeHtml(report.organizationId)} · ${summary.accounts} accounts · ${report.rows.length} rows · generated ${escapeHtml(report.generatedAt)}</p>
<p>${COMPLIANCE_STATUSES.map((s) => `<span class="dot" style="background:${COLOURS[s]}"></span>${s} ${summary.totals[s]}`).join(" &nbsp; ")}</p>
${summaryTable("By control", summary.byControl)}
${summaryTable("By OU", summary.byOu)}
${heatmap}
</body></html>
`;
}
