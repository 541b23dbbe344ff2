import { COMPLIANCE_STATUSES, type ComplianceStatus } from "@orgwarden/core";
import type { Report, ReportRow } from "./report-model.js";

export type StatusCounts = Record<ComplianceStatus, number>;

export interface ReportSummary {
  byControl: Record<string, StatusCounts>;
  byOu: Record<string, StatusCounts>;
  totals: StatusCounts;
  accounts: number;
}

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(COMPLIANCE_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

export function summarizeReport(report: Report): ReportSummary {
  const byControl: Record<string, StatusCounts> = {};
  const byOu: Record<string, StatusCounts> = {};
  const totals = emptyCounts();
  const accounts = new Set<string>();
  const bump = (map: Record<string, StatusCounts>, key: string, row: ReportRow) => {
    map[key] ??= emptyCounts();
    map[key][row.status] += 1;
  };
  for (const row of report.rows) {
    bump(byControl, `${row.control}/${row.source}`, row);
    bump(byOu, row.ouPath, row);
    totals[row.status] += 1;
    accounts.add(row.accountId);
  }
  return { byControl: sortKeys(byControl), byOu: sortKeys(byOu), totals, accounts: accounts.size };
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
