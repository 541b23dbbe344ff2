import { CONTROL_CATALOGUE, type ComplianceStatus, frameworkIds } from "@orgwarden/core";
import type { Report, ReportRow } from "@orgwarden/report";

/**
 * A report of `accounts` accounts × 12 controls (check source) over a three-level OU tree, each row's
 * status a function of its indexes: for the HTML page at sizes the emulator cannot reach in a test.
 * Account i is named acct-<i>; account 7 has the console user "margaret-hamilton" without MFA.
 */
export function syntheticReport(accounts: number): Report & { rows: ReportRow[] } {
  const controls = CONTROL_CATALOGUE.filter((c) => c.id !== "mfa-exempt-user").slice(0, 12);
  const rows: ReportRow[] = [];
  const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
  for (let i = 0; i < accounts; i++) {
    const id = String(200_000_000_000 + i);
    const ouPath = `Root/${["Workloads", "Sandbox", "Security"][i % 3]}/${["Prod", "Dev"][i % 2]}/Team${i % 7}`;
    const unreachable = i % 101 === 5;
    for (const [k, c] of controls.entries()) {
      const status: ComplianceStatus = unreachable
        ? "ERROR"
        : (i * 7 + k * 3) % 53 === 0
          ? "NON_COMPLIANT"
          : (i + k) % 29 === 0
            ? "NOT_APPLICABLE"
            : "COMPLIANT";
      const user = i === 7 && c.id === "iam-user-mfa";
      rows.push({
        accountId: id,
        accountName: `acct-${i}`,
        ouPath,
        control: c.id,
        source: "check",
        status: user ? "NON_COMPLIANT" : status,
        resourceType: user ? "AWS::IAM::User" : "AWS::::Account",
        resourceId: user ? "margaret-hamilton" : id,
        reason: user
          ? "console user margaret-hamilton has no MFA device"
          : status === "ERROR"
            ? `cannot assume OrganizationAccountAccessRole in ${id}: AccessDenied`
            : status === "NON_COMPLIANT"
              ? `${c.title}: not met in account ${id}`
              : `${c.title}: met`,
        evaluatedAt: "2026-11-30T12:00:00.000Z",
        region: c.scope === "regional" ? (regions[i % 3] as string) : "",
        severity: c.severity,
        frameworks: frameworkIds(c),
      });
    }
  }
  return { generatedAt: "2026-11-30T12:00:00.000Z", organizationId: "o-synthetic01", rows };
}
