import { describe, expect, it } from "vitest";
import { judgeCentralizedRootAccess } from "./root-credentials-centralized.js";

describe("root-credentials-centralized", () => {
  const on = { trustedAccess: true, enabled: new Set(["RootCredentialsManagement"] as const) };
  it("is judged on the management account and repeated on members with where it is set", () => {
    expect(judgeCentralizedRootAccess(on, "111111111111", "111111111111")).toMatchObject({
      status: "COMPLIANT",
      reason: expect.not.stringContaining("organization-wide"),
    });
    expect(judgeCentralizedRootAccess(on, "222222222222", "111111111111").reason).toContain(
      "organization-wide, set in management account 111111111111",
    );
    expect(
      judgeCentralizedRootAccess({ trustedAccess: true, enabled: new Set() }, "111111111111", "111111111111"),
    ).toMatchObject({ status: "NON_COMPLIANT", reason: expect.stringContaining("orgwarden root enable") });
  });
});
