import { CONTROL_CATALOGUE, type ComplianceStatus, type ControlId, frameworkIds } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import type { ReportRow } from "../../report-model.js";
import { pageModel } from "./page-model.js";

function row(accountId: string, ouPath: string, control: ControlId, status: ComplianceStatus): ReportRow {
  const entry = CONTROL_CATALOGUE.find((c) => c.id === control);
  return {
    accountId,
    accountName: `n-${accountId}`,
    ouPath,
    control,
    source: "check",
    status,
    resourceType: "AWS::::Account",
    resourceId: accountId,
    reason: status,
    evaluatedAt: "2026-11-30T12:00:00.000Z",
    region: "",
    severity: entry?.severity ?? "",
    frameworks: entry ? frameworkIds(entry) : "",
  };
}

const rows = [
  // a: fails root-mfa; b: fails and one read failed; c: one read failed; d: compliant; e: suspended
  row("a", "Root/W/Prod", "root-mfa", "NON_COMPLIANT"),
  row("a", "Root/W/Prod", "iam-user-mfa", "COMPLIANT"),
  row("b", "Root/W/Prod", "root-mfa", "NON_COMPLIANT"),
  row("b", "Root/W/Prod", "iam-user-mfa", "ERROR"),
  row("c", "Root/W", "root-mfa", "COMPLIANT"),
  row("c", "Root/W", "iam-user-mfa", "ERROR"),
  row("d", "Root/S", "root-mfa", "COMPLIANT"),
  row("d", "Root/S", "iam-user-mfa", "NOT_APPLICABLE"),
  row("e", "Root/S", "root-mfa", "SKIPPED"),
  row("e", "Root/S", "iam-user-mfa", "SKIPPED"),
];

describe("the HTML page's model", () => {
  const model = pageModel({ generatedAt: "", organizationId: "o-x", rows });

  it("counts accounts, not rows: each in one standing, and those with an ERROR row apart", () => {
    expect(model.headline).toEqual({
      failing: 2,
      incomplete: 1,
      awaiting: 0,
      skipped: 1,
      compliant: 1,
      total: 5,
      withErrors: 2,
    });
  });

  it("a control fails in N of the accounts judged (suspended ones are not judged)", () => {
    const rootMfa = model.controls.find((c) => c.entry.id === "root-mfa");
    expect(rootMfa).toMatchObject({ failing: 2, accounts: 4, compliant: 2, errors: 0 });
    expect(model.worst.map((c) => c.entry.id)).toEqual(["root-mfa"]);
    const users = model.controls.find((c) => c.entry.id === "iam-user-mfa");
    expect(users).toMatchObject({ failing: 0, errors: 2 });
  });

  it("rolls every account up to each OU above it", () => {
    const root = model.ouTree;
    expect(root.path).toBe("Root");
    const w = root.children.find((c) => c.name === "W");
    expect(w?.rollup).toMatchObject({ total: 3, failing: 2, incomplete: 1, withErrors: 2 });
    expect(w?.accounts.map((a) => a.id)).toEqual(["c"]);
    expect(w?.children[0]?.rollup.total).toBe(2);
    expect(root.rollup.total).toBe(root.children.reduce((n, c) => n + c.rollup.total, 0));
  });
});

describe("act on today: the accounts with a CRITICAL control failing", () => {
  it("ranks by severity before count: one CRITICAL outranks three HIGH; more CRITICAL first; no CRITICAL, not listed", () => {
    const m = pageModel({
      generatedAt: "",
      organizationId: "o-x",
      rows: [
        // h: three HIGH failures, no CRITICAL: not listed (the headline and controls count it).
        row("h", "Root/W", "cloudtrail-enabled", "NON_COMPLIANT"),
        row("h", "Root/W", "guardduty-enabled", "NON_COMPLIANT"),
        row("h", "Root/W", "scp-deny-root", "NON_COMPLIANT"),
        // k: a root access key, and two HIGH failures.
        row("k", "Root/W", "root-access-keys", "NON_COMPLIANT"),
        row("k", "Root/W", "guardduty-enabled", "NON_COMPLIANT"),
        row("k", "Root/W", "cloudtrail-enabled", "NON_COMPLIANT"),
        // m: a root user without MFA and a root access key: two CRITICAL, ranked first.
        row("m", "Root/S", "root-mfa", "NON_COMPLIANT"),
        row("m", "Root/S", "root-access-keys", "NON_COMPLIANT"),
        row("m", "Root/S", "password-policy", "NON_COMPLIANT"),
        // z: one CRITICAL only: after k (same CRITICAL count, fewer HIGH).
        row("z", "Root/S", "root-mfa", "NON_COMPLIANT"),
        row("z", "Root/S", "guardduty-enabled", "COMPLIANT"),
      ],
    });
    expect(m.urgent.map((a) => a.id)).toEqual(["m", "k", "z"]);
    // Most severe first; MEDIUM failures are left to the findings table.
    expect(m.urgent[0]?.findings.map((f) => f.control)).toEqual(["root-access-keys", "root-mfa"]);
    expect(m.urgent[1]?.findings.map((f) => [f.control, f.severity])).toEqual([
      ["root-access-keys", "CRITICAL"],
      ["cloudtrail-enabled", "HIGH"],
      ["guardduty-enabled", "HIGH"],
    ]);
  });
});
