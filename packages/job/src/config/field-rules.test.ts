import { describe, expect, it } from "vitest";
import { reportSettings } from "../settings/report-settings.js";
import { scpSettings } from "../settings/scp-settings.js";
import { validateRunConfig } from "./run-config.js";

/**
 * IAM's Tag.Key: "Length Constraints: Minimum length of 1. Maximum length of 128.
 * Pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+"
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
 * The aws: prefix is AWS's own (its services tag with it; nobody else can).
 */
const ACCEPTED = [
  "orgwarden:mfa-exempt",
  "Cost Center",
  "team_a.b/c:d+e-f@g",
  "Kostenstelle-Ä",
  "部署",
  "k".repeat(128),
  "awsome",
];
const REFUSED = ["", "k".repeat(129), "aws:cloudformation:stack-name", "AWS:x", "team#1", "a,b", "tab\there"];

const home = { roleName: "OrganizationAccountAccessRole", region: "us-east-1" };

describe("an IAM tag key is one rule, AWS's, for every field and flag that takes one", () => {
  it.each(ACCEPTED)("accepts %j", (key) => {
    const file = validateRunConfig({
      mfaExemptTagKey: key,
      networkExemptTagKey: key,
      principalTags: { [key]: "v" },
    });
    expect(file.problems).toEqual([]);
    expect(reportSettings({ mfaExemptTagKey: key }, undefined, "us-east-1").mfaExemptTagKey).toBe(key);
    expect(scpSettings({ principalTag: [`${key}=v`] }, home).principalTags).toEqual({ [key]: "v" });
  });

  it.each(REFUSED)("refuses %j in the file and as a flag", (key) => {
    const file = validateRunConfig({
      mfaExemptTagKey: key,
      networkExemptTagKey: key,
      principalTags: { [key]: "v" },
    });
    expect(file.problems.map((p) => p.path).sort()).toEqual([
      "mfaExemptTagKey",
      "networkExemptTagKey",
      `principalTags.${key}`,
    ]);
    expect(() => reportSettings({ mfaExemptTagKey: key }, undefined, "us-east-1")).toThrow(
      /is not an IAM tag key/,
    );
    // An empty key is not KEY=VALUE at all.
    expect(() => scpSettings({ principalTag: [`${key}=v`] }, home)).toThrow(
      key ? /is not an IAM tag key/ : /is not KEY=VALUE/,
    );
  });
});

describe("a number takes one range as a flag and as a field of the file", () => {
  it("passwordPolicy.minimumLength and --password-min-length: 6 to 128", () => {
    expect(validateRunConfig({ passwordPolicy: { minimumLength: 5 } }).problems).toHaveLength(1);
    expect(validateRunConfig({ passwordPolicy: { minimumLength: 128 } }).problems).toEqual([]);
    expect(() => reportSettings({ passwordMinLength: "5" }, undefined, "us-east-1")).toThrow(/6 to 128/);
    expect(
      reportSettings({ passwordMinLength: "128" }, undefined, "us-east-1").rules.password.minimumLength,
    ).toBe(128);
  });

  it("guardDutyCentralAccount and --guardduty-central-account: 12-digit ids or none", () => {
    for (const bad of ["12345", "none,123456789012"]) {
      expect(validateRunConfig({ guardDutyCentralAccount: bad }).problems).toHaveLength(1);
      expect(() => reportSettings({ guarddutyCentralAccount: bad }, undefined, "us-east-1")).toThrow(
        /not a list of 12-digit account ids/,
      );
    }
  });
});
