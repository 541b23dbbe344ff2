import { describe, expect, it } from "vitest";
import { MANAGED_TAG, SERVICE_MANAGED_TAG } from "./managed-names.js";
import { LZA_TAG, type OwnedPolicy, policyOwner } from "./policy-owner.js";

const policy = (name: string, tags: OwnedPolicy["tags"] = [], awsManaged = false): OwnedPolicy => ({
  name,
  tags,
  awsManaged,
});

describe("policyOwner", () => {
  it.each([
    ["FullAWSAccess, AWS managed", policy("FullAWSAccess", [], true), "aws-managed"],
    ["RCPFullAWSAccess, AWS managed", policy("RCPFullAWSAccess", [], true), "aws-managed"],
    ["orgwarden's tag", policy("orgwarden-require-mfa", [MANAGED_TAG]), "orgwarden"],
    ["orgwarden's prefix without its tag (an impostor)", policy("orgwarden-require-mfa"), "other"],
    ["Control Tower's name", policy("aws-guardrails-AbCdEf"), "control-tower"],
    [
      "Control Tower's name with the service tag",
      policy("aws-guardrails-x", [SERVICE_MANAGED_TAG]),
      "control-tower",
    ],
    ["LZA's tag", policy("AcceleratorGuardrails1", [LZA_TAG]), "landing-zone-accelerator"],
    [
      "LZA's tag under another accelerator prefix",
      policy("Guardrails", [{ Key: "AcmeAcceleratorManaged", Value: "Yes" }]),
      "landing-zone-accelerator",
    ],
    // Any <tool>Managed=Yes is not LZA's.
    [
      "another tool's Managed=Yes",
      policy("Guardrails", [{ Key: "TerraformManaged", Value: "Yes" }]),
      "other",
    ],
    ["LZA's key with another value", policy("Guardrails", [{ Key: LZA_TAG.Key, Value: "No" }]), "other"],
    ["an AWS service's tag", policy("s3-bpa-baseline", [SERVICE_MANAGED_TAG]), "aws-service"],
    ["nothing known", policy("team-deny-regions", [{ Key: "owner", Value: "platform" }]), "other"],
  ])("%s → %s", (_, p, owner) => {
    expect(policyOwner(p)).toBe(owner);
  });
});
