import { describe, expect, it } from "vitest";
import { reportRow } from "../../../../test/support/report-row.js";
import { asffFinding, findingId, relatedRequirements } from "./format-asff.js";

describe("ASFF findings", () => {
  it("ids are orgwarden/<account>/<control>/<region>: global controls 'global', regional ones the hub's region", () => {
    expect(findingId(reportRow("111111111111", "root-mfa", "NON_COMPLIANT"), "eu-west-1")).toBe(
      "orgwarden/111111111111/root-mfa/global",
    );
    expect(findingId(reportRow("111111111111", "guardduty-enabled", "COMPLIANT"), "eu-west-1")).toBe(
      "orgwarden/111111111111/guardduty-enabled/eu-west-1",
    );
    expect(
      findingId(reportRow("111111111111", "root-mfa", "COMPLIANT", { source: "config" }), "eu-west-1"),
    ).toBe("orgwarden/111111111111/root-mfa/global/config");
  });

  it("maps status, severity, frameworks and the account resource, within ASFF's limits", () => {
    const failed = asffFinding(reportRow("111111111111", "root-mfa", "NON_COMPLIANT"), {
      hubRegion: "us-east-1",
      importedAt: "2026-11-30T13:00:00.000Z",
    });
    expect(failed).toMatchObject({
      SchemaVersion: "2018-10-08",
      ProductArn: "arn:aws:securityhub:us-east-1:111111111111:product/111111111111/default",
      AwsAccountId: "111111111111",
      Compliance: {
        Status: "FAILED",
        RelatedRequirements: [
          "CIS AWS Foundations Benchmark v3.0.0/1.5",
          "CIS AWS Foundations Benchmark v5.0.0/1.4",
          "AWS Foundational Security Best Practices/IAM.9",
        ],
      },
      Severity: { Label: "CRITICAL" },
      FindingProviderFields: { Severity: { Label: "CRITICAL" } },
      Resources: [{ Type: "AwsAccount", Id: "AWS::::Account:111111111111", Region: "us-east-1" }],
      UpdatedAt: "2026-11-30T13:00:00.000Z",
      CreatedAt: "2026-11-30T12:00:00.000Z",
    });
    // Every field ASFF requires for BatchImportFindings is there.
    for (const k of [
      "AwsAccountId",
      "CreatedAt",
      "Description",
      "GeneratorId",
      "Id",
      "ProductArn",
      "Resources",
      "SchemaVersion",
      "Severity",
      "Title",
      "Types",
      "UpdatedAt",
    ])
      expect(failed, k).toHaveProperty(k);
    const passed = asffFinding(reportRow("111111111111", "guardduty-enabled", "COMPLIANT"), {
      hubRegion: "us-east-1",
      importedAt: "2026-11-30T13:00:00.000Z",
    });
    expect(passed.Compliance?.Status).toBe("PASSED");
    expect(passed.Severity?.Label).toBe("INFORMATIONAL");
    expect(passed.Resources?.map((r) => r.Region)).toEqual(["us-east-1", "eu-west-1"]);
    expect(relatedRequirements("CIS-3.0:1.8;CIS-3.0:1.9;SecurityHub:IAM.7")).toEqual([
      "CIS AWS Foundations Benchmark v3.0.0/1.8",
      "CIS AWS Foundations Benchmark v3.0.0/1.9",
      "AWS Foundational Security Best Practices/IAM.7",
    ]);
    const long = asffFinding(
      reportRow("111111111111", "iam-user-mfa", "NON_COMPLIANT", { reason: "x".repeat(5000) }),
      {
        hubRegion: "us-east-1",
        importedAt: "2026-11-30T13:00:00.000Z",
      },
    );
    expect(long.Description?.length).toBeLessThanOrEqual(1024);
  });
});
