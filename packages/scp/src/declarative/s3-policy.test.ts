import { isOrgwardenError, MANAGED_TAG } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { parametersFromTags, parseManagedName } from "../render-policy.js";
import { declarativePolicyFromTags, renderDeclarativePolicy } from "./declarative-policies.js";
import { renderS3Policy, s3BlockPublicAccessOf } from "./s3-policy.js";

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (isOrgwardenError(err)) return err;
    throw err;
  }
  throw new Error("not refused");
};

describe("the S3 organization-level Block Public Access policy", () => {
  it("renders AWS's syntax: public_access_block_configuration assigned under s3_attributes", () => {
    const p = renderS3Policy({ BlockPublicAccess: "all" });
    expect(JSON.parse(p.content)).toEqual({
      s3_attributes: { public_access_block_configuration: { "@@assign": "all" } },
    });
    expect(p.type).toBe("S3_POLICY");
    expect(p.size).toBe(p.content.length);
    expect(p.content).not.toMatch(/\s/);
  });

  it("names each parameter set's policy orgwarden-s3-bpa-<variant>, read back as the s3-bpa family", () => {
    const all = renderS3Policy({ BlockPublicAccess: "all" });
    const none = renderS3Policy({ BlockPublicAccess: "none" });
    expect(all.managedName).toMatch(/^orgwarden-s3-bpa-[0-9a-f]{10}$/);
    expect(none.managedName).not.toBe(all.managedName);
    expect(parseManagedName(all.managedName)).toEqual({ name: "s3-bpa", variant: all.variant });
    // The same set is the same policy, however the value was written.
    expect(renderS3Policy({ BlockPublicAccess: " ALL " }).managedName).toBe(all.managedName);
  });

  it("tags the policy as orgwarden's, with its parameter set, so drift and re-runs recognise it", () => {
    const p = renderS3Policy({ BlockPublicAccess: "all" });
    expect(p.tags).toContainEqual(MANAGED_TAG);
    expect(p.tags).toContainEqual({ Key: "orgwarden:policy", Value: "s3-bpa" });
    expect(p.tags).toContainEqual({ Key: "orgwarden:variant", Value: p.variant });
    expect(parametersFromTags(p.tags)).toEqual({ BlockPublicAccess: "all" });
    expect(declarativePolicyFromTags("S3_POLICY", p.tags)?.content).toBe(p.content);
    expect(renderDeclarativePolicy("S3_POLICY", { BlockPublicAccess: "all" })).toEqual(p);
  });

  it("refuses a value AWS does not allow, naming the flag and the allowed values", () => {
    const e = refusal(() => renderS3Policy({ BlockPublicAccess: "some" }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toBe('--block-public-access: "some" is not a value AWS allows');
    expect(e.hint).toContain("all, none");
  });

  it("refuses a set without the setting, and a setting it does not have", () => {
    expect(refusal(() => renderS3Policy({})).message).toContain("--block-public-access is needed");
    const e = refusal(() => renderS3Policy({ BlockPublicAccess: "all", BlockPublicAcls: "true" }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain('"BlockPublicAcls" is not a setting');
  });

  it("reads an account's effective S3 policy, with or without the inheritance operator", () => {
    expect(s3BlockPublicAccessOf('{"s3_attributes":{"public_access_block_configuration":"all"}}')).toBe(
      "all",
    );
    expect(
      s3BlockPublicAccessOf('{"s3_attributes":{"public_access_block_configuration":{"@@assign":"none"}}}'),
    ).toBe("none");
    expect(s3BlockPublicAccessOf('{"s3_attributes":{}}')).toBeUndefined();
    expect(s3BlockPublicAccessOf("not json")).toBeUndefined();
    expect(s3BlockPublicAccessOf(undefined)).toBeUndefined();
  });
});
