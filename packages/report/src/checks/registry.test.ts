import { describe, expect, it } from "vitest";
import { ACCOUNT_CHECKS, CHECK_CONTROLS, checkControlsFor, ROOT_ACCESS_CONTROLS } from "./registry.js";

describe("the check registry", () => {
  it("gives the check-source controls, the root access ones apart", () => {
    expect(CHECK_CONTROLS).toEqual([
      "root-mfa",
      "root-hardware-mfa",
      "root-access-keys",
      "password-policy",
      "iam-user-mfa",
      "mfa-policy-in-use",
      "cloudtrail-enabled",
      "guardduty-enabled",
      "config-recorder",
    ]);
    expect(ROOT_ACCESS_CONTROLS).toEqual(["root-credentials-centralized", "root-credentials-present"]);
    expect(checkControlsFor(false)).toEqual(CHECK_CONTROLS);
    expect(checkControlsFor(true)).toEqual([...CHECK_CONTROLS, ...ROOT_ACCESS_CONTROLS]);
  });

  it("gives each control to one check only", () => {
    const controls = ACCOUNT_CHECKS.flatMap((c) => c.controls);
    expect(new Set(controls).size).toBe(controls.length);
  });
});
