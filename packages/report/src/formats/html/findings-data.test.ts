import { describe, expect, it } from "vitest";
import type { ReportRow } from "../../report-model.js";
import { formatReportHtml } from "../format-html.js";
import { embeddedJson, findingsData, ROW_FIELDS } from "./findings-data.js";

const hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";
const row: ReportRow = {
  accountId: "111111111111",
  accountName: hostile,
  ouPath: `Root/${hostile}`,
  control: "iam-user-mfa",
  source: "check",
  status: "NON_COMPLIANT",
  resourceType: "AWS::IAM::User",
  resourceId: hostile,
  reason: `console user ${hostile} has no MFA\u2028`,
  evaluatedAt: "2026-11-30T12:00:00.000Z",
  region: "",
  severity: "MEDIUM",
  frameworks: "SecurityHub:IAM.5",
};

describe("the page's embedded data", () => {
  it("holds every string once and every row as numbers", () => {
    const data = findingsData({
      generatedAt: "",
      organizationId: "o-x",
      rows: [row, { ...row, control: "root-mfa" }],
    });
    expect(data.rows).toHaveLength(2 * ROW_FIELDS.length);
    expect(data.accounts).toHaveLength(1);
    expect(data.strings.filter((s) => s === hostile)).toHaveLength(1);
  });

  it("no string from AWS can close the script element or become markup", () => {
    const html = formatReportHtml({ generatedAt: "", organizationId: "o-x", rows: [row] });
    expect(html).not.toContain("</script><script>alert(1)");
    expect(html).not.toContain("<img src=x");
    expect(embeddedJson({ s: hostile })).not.toMatch(/<\/script/i);
    expect(JSON.parse(embeddedJson({ s: row.reason })).s).toBe(row.reason);
    // Exactly the two script elements the page has: the data and the table.
    expect(html.match(/<script/g)).toHaveLength(2);
  });
});
