import { CONTROL_CATALOGUE, type ComplianceStatus, frameworkIds } from "@orgwarden/core";
import type { ReportRow } from "@orgwarden/report";

/** One report row as the check source writes it, with the control's catalogue fields; `extra` overrides. */
export function reportRow(
  accountId: string,
  control: ReportRow["control"],
  status: ComplianceStatus,
  extra: Partial<ReportRow> = {},
): ReportRow {
  const entry = CONTROL_CATALOGUE.find((c) => c.id === control);
  if (!entry) throw new Error(control);
  return {
    accountId,
    accountName: `acct-${accountId.slice(-3)}`,
    ouPath: "Root/Workloads",
    control,
    source: "check",
    status,
    resourceType: "AWS::::Account",
    resourceId: accountId,
    reason: `${control} is ${status}`,
    evaluatedAt: "2026-11-30T12:00:00.000Z",
    region: entry.scope === "regional" ? "us-east-1 eu-west-1" : "",
    severity: entry.severity,
    frameworks: frameworkIds(entry),
    ...extra,
  };
}
