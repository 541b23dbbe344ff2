import { describe, expect, it } from "vitest";
import { changesSummary, compareReports } from "./compare-reports.js";
import { formatReportJson } from "./formats/format-report-json.js";
import { parseReportJson } from "./read-report.js";
import type { Report, ReportRow } from "./report-model.js";

const row = (accountId: string, control: ReportRow["control"], status: ReportRow["status"]): ReportRow => ({
  accountId,
  accountName: `n-${accountId}`,
  ouPath: "Root/W",
  control,
  source: "check",
  status,
  resourceType: "AWS::::Account",
  resourceId: accountId,
  reason: `${control} ${status}`,
  evaluatedAt: "2026-11-30T12:00:00.000Z",
  region: "",
  severity: "HIGH",
  frameworks: "",
});
const report = (generatedAt: string, rows: ReportRow[]): Report => ({
  generatedAt,
  organizationId: "o-x",
  rows,
});

describe("compareReports", () => {
  const before = report("2026-11-29T06:00:00Z", [
    row("a", "root-mfa", "COMPLIANT"),
    row("a", "iam-user-mfa", "NON_COMPLIANT"),
    row("b", "root-mfa", "COMPLIANT"),
    row("gone", "root-mfa", "NON_COMPLIANT"),
  ]);
  const after = report("2026-11-30T06:00:00Z", [
    row("a", "root-mfa", "NON_COMPLIANT"),
    row("a", "iam-user-mfa", "NOT_APPLICABLE"),
    row("a", "mfa-policy-in-use", "NON_COMPLIANT"),
    row("b", "root-mfa", "ERROR"),
    row("new", "root-mfa", "NON_COMPLIANT"),
  ]);

  it("finds accounts added and removed, rows that became NON_COMPLIANT and rows that were fixed", () => {
    const c = compareReports(before, after);
    expect(c.accountsAdded.map((a) => a.accountId)).toEqual(["new"]);
    expect(c.accountsRemoved.map((a) => a.accountId)).toEqual(["gone"]);
    expect(c.becameNonCompliant.map((r) => [r.accountId, r.control, r.from])).toEqual([
      ["a", "root-mfa", "COMPLIANT"],
      ["a", "mfa-policy-in-use", null],
      ["new", "root-mfa", null],
    ]);
    // NON_COMPLIANT → NOT_APPLICABLE is fixed; COMPLIANT → ERROR is neither (it is in the report's exit code).
    expect(c.fixed.map((r) => [r.accountId, r.control, r.from, r.to])).toEqual([
      ["a", "iam-user-mfa", "NON_COMPLIANT", "NOT_APPLICABLE"],
    ]);
    expect(c.worse).toBe(true);
  });

  it("SCP drift alone is worse; fixes alone are not", () => {
    const same = compareReports(before, before, [{ target: "OU Root/W (ou-x)", drift: ["+ attach p"] }]);
    expect(same).toMatchObject({
      worse: true,
      becameNonCompliant: [],
      scpDrift: [{ target: "OU Root/W (ou-x)" }],
    });
    const better = compareReports(
      before,
      report(
        "t",
        [...before.rows].map((r) => ({ ...r, status: "COMPLIANT" as const })),
      ),
    );
    expect(better).toMatchObject({ worse: false });
    expect(better.fixed).toHaveLength(2);
  });

  it("drift the last run already found stands: listed, not worse again; a new line of drift is worse", () => {
    const target = "OU Root/W (ou-x)";
    const yesterday = { ...before, scpDrift: [{ target, drift: ["+ attach p to ou-x"] }] };
    // Kept through latest.json, as the next run reads it.
    const kept = parseReportJson(formatReportJson(yesterday), "latest.json") as Report;
    expect(kept.scpDrift).toEqual(yesterday.scpDrift);
    const standing = compareReports(kept, before, [{ target, drift: ["+ attach p to ou-x"] }]);
    expect(standing).toMatchObject({ worse: false, newScpDrift: [], scpDrift: [{ target }] });
    const text = changesSummary(standing);
    expect(text.split("\n")[1]).toBe("Nothing got worse.");
    expect(text).toContain("SCP drift standing since the last run (1):");
    const more = compareReports(kept, before, [
      { target, drift: ["+ attach p to ou-x", "- detach q (p-1) from ou-x"] },
    ]);
    expect(more).toMatchObject({
      worse: true,
      newScpDrift: [{ target, drift: ["- detach q (p-1) from ou-x"] }],
    });
    expect(changesSummary(more).split("\n")[1]).toBe("Worse: new SCP drift in 1 target(s).");
    // The last run found none: today's drift is new.
    const none = compareReports({ ...before, scpDrift: [] }, before, [
      { target, drift: ["+ attach p to ou-x"] },
    ]);
    expect(none.worse).toBe(true);
  });

  it("the summary fits the size it is given and says what it left out", () => {
    const many = report(
      "t",
      Array.from({ length: 5000 }, (_, i) => row(String(100000000000 + i), "root-mfa", "NON_COMPLIANT")),
    );
    const c = compareReports(report("s", []), many);
    const text = changesSummary(c, { maxBytes: 4096, reportUrl: "https://example.com/r" });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/… and \d+ more \(changes\.json has them all\)/);
    expect(text).toContain("Report: https://example.com/r");
    expect(text.split("\n")[1]).toBe("Worse: 5000 row(s) became NON_COMPLIANT.");
  });
});
