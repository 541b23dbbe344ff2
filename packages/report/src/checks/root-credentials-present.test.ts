import { describe, expect, it } from "vitest";
import type { RootAudit } from "./root-access.js";
import { judgeRootCredentialsPresent } from "./root-credentials-present.js";

const notEnabled: RootAudit = { kind: "not-enabled", reason: "centralized root access is not enabled" };
const summary = (password: number | undefined, keys: number, certs: number) => ({
  ...(password === undefined ? {} : { AccountPasswordPresent: password }),
  AccountAccessKeysPresent: keys,
  AccountSigningCertificatesPresent: certs,
});

describe("root-credentials-present", () => {
  it("from the audit when centralized root access is on", () => {
    const audited: RootAudit = {
      kind: "audited",
      credentials: {
        password: null,
        accessKeys: [{ id: "AKIA1", status: "Inactive" }],
        signingCertificates: [],
        mfaDevices: [],
      },
    };
    expect(judgeRootCredentialsPresent(audited, undefined)).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("1 access key (0 active)"),
    });
  });

  it("otherwise from the account summary, and INSUFFICIENT_DATA when it does not report all three keys", () => {
    expect(judgeRootCredentialsPresent(notEnabled, summary(0, 0, 0)).status).toBe("COMPLIANT");
    expect(judgeRootCredentialsPresent(notEnabled, summary(1, 0, 1))).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("root a password, signing certificates"),
    });
    expect(judgeRootCredentialsPresent(notEnabled, summary(undefined, 0, 0)).status).toBe(
      "INSUFFICIENT_DATA",
    );
    expect(judgeRootCredentialsPresent(notEnabled, undefined).status).toBe("INSUFFICIENT_DATA");
  });

  it("NOT_APPLICABLE on the management account; ERROR when the audit fails", () => {
    expect(
      judgeRootCredentialsPresent({ kind: "management", reason: "management account" }, undefined).status,
    ).toBe("NOT_APPLICABLE");
    expect(judgeRootCredentialsPresent({ kind: "failed", reason: "AccessDenied" }, undefined)).toMatchObject({
      status: "ERROR",
      reason: "auditing the root user failed: AccessDenied",
    });
  });
});
