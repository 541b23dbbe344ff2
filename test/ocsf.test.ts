import { formatReportOcsf, ocsfFinding, type Report, type ReportRow } from "@orgwarden/report";
import { describe, expect, it } from "vitest";
import { OCSF_SCHEMA, validateComplianceFinding } from "./support/ocsf-validator.js";
import { syntheticReport } from "./support/synthetic-report.js";

/**
 * --output ocsf against the OCSF 1.8.0 Compliance Finding class (class_uid 2003), compiled from
 * https://github.com/ocsf/ocsf-schema/tree/1.8.0 into test/fixtures/ocsf/. The CLI's own output is
 * checked against the emulator in report.test.ts.
 */
const base = syntheticReport(40);
const extra = (status: ReportRow["status"]): ReportRow => ({
  ...(base.rows[0] as ReportRow),
  status,
  reason: status,
});
const report: Report & { rows: ReportRow[] } = {
  ...base,
  rows: [...base.rows, extra("INSUFFICIENT_DATA"), extra("SKIPPED")],
};
const events = formatReportOcsf(report)
  .trimEnd()
  .split("\n")
  .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("OCSF Compliance Finding events", () => {
  it("one valid event per row, as JSON lines, for every status", () => {
    expect(OCSF_SCHEMA.version).toBe("1.8.0");
    expect(events).toHaveLength(report.rows.length);
    expect(new Set(report.rows.map((r) => r.status)).size).toBe(6);
    for (const e of events) expect(validateComplianceFinding(e)).toEqual([]);
  });

  it("maps status, severity, the account and the frameworks", () => {
    const failing = report.rows.findIndex((r) => r.status === "NON_COMPLIANT" && r.control === "root-mfa");
    expect(events[failing]).toMatchObject({
      class_uid: 2003,
      category_uid: 2,
      type_uid: 200301,
      severity_id: 5,
      status_id: 1,
      compliance: {
        status_id: 3,
        control: "root-mfa",
        standards: [
          "CIS AWS Foundations Benchmark v3.0.0",
          "CIS AWS Foundations Benchmark v5.0.0",
          "AWS Foundational Security Best Practices",
        ],
      },
      cloud: { provider: "AWS", account: { uid: report.rows[failing]?.accountId, type_id: 10 } },
      finding_info: { uid: `orgwarden/${report.rows[failing]?.accountId}/root-mfa/check` },
    });
    const passing = report.rows.findIndex((r) => r.status === "COMPLIANT");
    expect(events[passing]).toMatchObject({
      severity_id: 1,
      status_id: 4,
      compliance: { status_id: 1, status: "Pass" },
    });
    expect(events.at(-2)).toMatchObject({ compliance: { status_id: 2 } });
    expect(events.at(-1)).toMatchObject({ compliance: { status_id: 99, status: "Skipped" } });
    expect(events[passing]?.time).toBe(Date.parse(report.rows[passing]?.evaluatedAt as string));
  });

  it("the validator catches what the class forbids", () => {
    const good = ocsfFinding(report.rows[0] as ReportRow, { organizationId: "o-x", productVersion: "0.1.0" });
    const without = (k: string) => Object.fromEntries(Object.entries(good).filter(([key]) => key !== k));
    expect(validateComplianceFinding(without("compliance"))).toContain(".compliance: required");
    expect(validateComplianceFinding(without("finding_info"))).toContain(".finding_info: required");
    expect(validateComplianceFinding({ ...good, type_uid: 200399 })).toContain(
      "type_uid: not class_uid × 100 + activity_id",
    );
    expect(validateComplianceFinding({ ...good, colour: "red" })[0]).toMatch(/colour: not an attribute/);
    expect(validateComplianceFinding({ ...good, severity_id: 7 })[0]).toMatch(/severity_id: 7 is not one of/);
    const noProfile = { ...good, metadata: { ...(good.metadata as object), profiles: [] } };
    expect(validateComplianceFinding(noProfile).join("\n")).toMatch(
      /\.cloud: not an attribute .* without the cloud profile/,
    );
    expect(validateComplianceFinding({ ...good, finding_info: {} })).toContain(".finding_info.uid: required");
  });
});
