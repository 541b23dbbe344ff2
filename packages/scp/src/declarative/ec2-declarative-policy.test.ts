import { isOrgwardenError } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { parseManagedName } from "../render-policy.js";
import { declarativePolicyFromTags } from "./declarative-policies.js";
import { renderEc2DeclarativePolicy } from "./ec2-declarative-policy.js";

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (isOrgwardenError(err)) return err;
    throw err;
  }
  throw new Error("not refused");
};

const BASELINE = {
  ImdsHttpTokens: "required",
  ImageBlockPublicAccess: "block-new-sharing",
  SnapshotBlockPublicAccess: "block-all-sharing",
  SerialConsole: "disabled",
  VpcBlockPublicAccess: "block-ingress",
};

describe("the EC2 declarative policy", () => {
  it("renders each attribute where AWS's syntax page puts it, in the policy's spelling", () => {
    const p = renderEc2DeclarativePolicy({ ...BASELINE, ImdsHopLimit: "2" });
    expect(JSON.parse(p.content)).toEqual({
      ec2_attributes: {
        instance_metadata_defaults: {
          http_tokens: { "@@assign": "required" },
          http_put_response_hop_limit: { "@@assign": "2" },
        },
        image_block_public_access: { state: { "@@assign": "block_new_sharing" } },
        snapshot_block_public_access: { state: { "@@assign": "block_all_sharing" } },
        serial_console_access: { status: { "@@assign": "disabled" } },
        vpc_block_public_access: {
          internet_gateway_block: {
            mode: { "@@assign": "block_ingress" },
            exclusions_allowed: { "@@assign": "disabled" },
          },
        },
      },
    });
    expect(p.type).toBe("DECLARATIVE_POLICY_EC2");
    expect(p.description).toContain("snapshot_block_public_access.state=block_all_sharing");
  });

  it("gives a VPC Block Public Access mode exclusions disabled unless told otherwise", () => {
    const strict = renderEc2DeclarativePolicy({ VpcBlockPublicAccess: "block_bidirectional" });
    expect(strict.parameters).toEqual({
      VpcBlockPublicAccess: "block_bidirectional",
      VpcExclusions: "disabled",
    });
    const stated = renderEc2DeclarativePolicy({
      VpcBlockPublicAccess: "block_bidirectional",
      VpcExclusions: "disabled",
    });
    expect(stated.managedName).toBe(strict.managedName);
    const open = renderEc2DeclarativePolicy({
      VpcBlockPublicAccess: "block-ingress",
      VpcExclusions: "enabled",
    });
    expect(JSON.parse(open.content).ec2_attributes.vpc_block_public_access.internet_gateway_block).toEqual({
      mode: { "@@assign": "block_ingress" },
      exclusions_allowed: { "@@assign": "enabled" },
    });
  });

  it("is one policy per parameter set: a changed value is another variant, the same set the same one", () => {
    const a = renderEc2DeclarativePolicy(BASELINE);
    const again = renderEc2DeclarativePolicy({ ...BASELINE, SerialConsole: "DISABLED" });
    const b = renderEc2DeclarativePolicy({ ...BASELINE, SnapshotBlockPublicAccess: "block-new-sharing" });
    expect(again.managedName).toBe(a.managedName);
    expect(b.managedName).not.toBe(a.managedName);
    expect(parseManagedName(a.managedName)).toEqual({ name: "ec2-declarative", variant: a.variant });
    expect(declarativePolicyFromTags("DECLARATIVE_POLICY_EC2", a.tags)?.content).toBe(a.content);
  });

  it("keeps an exception message as written, after the attributes it explains", () => {
    const p = renderEc2DeclarativePolicy({
      ImageBlockPublicAccess: "block_new_sharing",
      ExceptionMessage: "Blocked by policy: see https://wiki.example/ec2",
    });
    expect(JSON.parse(p.content).ec2_attributes.exception_message).toEqual({
      "@@assign": "Blocked by policy: see https://wiki.example/ec2",
    });
  });

  it.each([
    [{ SnapshotBlockPublicAccess: "block-everything" }, '--snapshot-block-public-access: "block-everything"'],
    [{ ImageBlockPublicAccess: "block_all_sharing" }, '--image-block-public-access: "block_all_sharing"'],
    [{ ImdsHttpTokens: "v2" }, '--imds-http-tokens: "v2"'],
    [{ ImdsHopLimit: "65" }, '--imds-hop-limit: "65" is not an integer from -1 to 64'],
    [{ VpcBlockPublicAccess: "block-egress" }, '--vpc-block-public-access: "block-egress"'],
    [{ SerialConsole: "off" }, '--serial-console: "off"'],
    [{ SerialConsole: "disabled", ExceptionMessage: "two\nlines" }, "is not one line of text"],
    [{ AllowedImages: "enabled" }, '"AllowedImages" is not a setting of this policy'],
  ])("refuses %o (INVALID_INPUT, naming the flag)", (input, message) => {
    const e = refusal(() => renderEc2DeclarativePolicy(input));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain(message);
  });

  it("lists the allowed values as the EC2 API spells them", () => {
    const e = refusal(() => renderEc2DeclarativePolicy({ SnapshotBlockPublicAccess: "private" }));
    expect(e.hint).toContain("block-all-sharing, block-new-sharing, unblocked");
  });

  it("refuses a policy that sets nothing, and VPC exclusions without a mode", () => {
    expect(refusal(() => renderEc2DeclarativePolicy({})).message).toBe(
      "the EC2 declarative policy would set no attribute",
    );
    expect(refusal(() => renderEc2DeclarativePolicy({ ExceptionMessage: "no" })).code).toBe("INVALID_INPUT");
    expect(refusal(() => renderEc2DeclarativePolicy({ VpcExclusions: "enabled" })).message).toBe(
      "--vpc-exclusions needs --vpc-block-public-access",
    );
  });

  it("refuses a policy over the type's 10,000 characters before anything is written", () => {
    const e = refusal(() =>
      renderEc2DeclarativePolicy({ SerialConsole: "disabled", ExceptionMessage: "x".repeat(10_000) }),
    );
    expect(e.code).toBe("QUOTA_EXCEEDED");
    expect(e.message).toMatch(/over the 10000 a DECLARATIVE_POLICY_EC2 policy may have/);
  });
});
