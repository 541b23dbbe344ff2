import { OrgwardenError } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { userError } from "./user-error.js";

function credentialsError(message: string): OrgwardenError {
  // As core's describeAwsError wraps the SDK's CredentialsProviderError.
  const sdk = Object.assign(new Error(message), { name: "CredentialsProviderError" });
  return new OrgwardenError("CREDENTIALS", `no usable AWS credentials: ${message}`, { cause: sdk });
}

describe("userError", () => {
  it("the credential chain's 'Could not load credentials from any providers' says where it looked and what to do", () => {
    const e = userError(credentialsError("Could not load credentials from any providers"));
    expect(e.code).toBe("CREDENTIALS");
    expect(e.message).not.toContain("Could not load credentials");
    expect(e.message).toContain("no AWS credentials found");
    expect(e.hint).toContain("aws sso login --profile NAME");
  });

  it("a provider's own error (an expired SSO session) is kept: it says more", () => {
    const original = credentialsError("The SSO session associated with this profile has expired.");
    expect(userError(original)).toBe(original);
  });

  it("a raw Node file error names the path and the cause in words, by its code", () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/y.json'"), {
      code: "ENOENT",
      syscall: "open",
      path: "/x/y.json",
    });
    expect(userError(enoent).message).toBe("cannot read /x/y.json: there is no such file (ENOENT)");
    const eisdir = Object.assign(new Error("EISDIR: illegal operation on a directory, read"), {
      code: "EISDIR",
      syscall: "read",
      path: "/tmp",
    });
    expect(userError(eisdir).message).toBe("cannot read /tmp: it is a folder, not a file (EISDIR)");
  });
});
