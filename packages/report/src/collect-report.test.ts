import { describe, expect, it } from "vitest";
import { orgwardenRuleName } from "./evaluate-account.js";

describe("orgwardenRuleName", () => {
  it("recognises accounts-mode names and the member-side names of organization rules", () => {
    expect(orgwardenRuleName("orgwarden-root-account-mfa-enabled")).toBe("root-account-mfa-enabled");
    expect(orgwardenRuleName("OrgConfigRule-orgwarden-root-account-mfa-enabled-a1b2c3d4")).toBe(
      "root-account-mfa-enabled",
    );
    expect(orgwardenRuleName("securityhub-root-account-mfa-enabled-abc")).toBeUndefined();
    expect(orgwardenRuleName("team-root-keys")).toBeUndefined();
  });
});
