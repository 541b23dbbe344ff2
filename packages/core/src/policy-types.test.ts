import { EffectivePolicyType, PolicyType } from "@aws-sdk/client-organizations";
import { describe, expect, it } from "vitest";
import { isOrgwardenError } from "./errors.js";
import {
  POLICY_TYPE_CATALOGUE,
  POLICY_TYPES,
  parsePolicyTypes,
  policyQuotaOf,
  policyTypeEntry,
} from "./policy-types.js";

describe("the policy type catalogue", () => {
  it("is the SDK's PolicyType, every type once: a type AWS adds fails here until it is catalogued", () => {
    expect([...POLICY_TYPES].sort()).toEqual(Object.values(PolicyType).sort());
    expect(POLICY_TYPE_CATALOGUE.map((e) => e.type).sort()).toEqual([...POLICY_TYPES].sort());
  });

  it("marks exactly the SDK's EffectivePolicyType as having effective policies", () => {
    const effective = POLICY_TYPE_CATALOGUE.filter((e) => e.effectivePolicies).map((e) => e.type);
    expect(effective.sort()).toEqual(Object.values(EffectivePolicyType).sort());
  });

  it("gives every type a label, a page and quotas; an assumed figure says why", () => {
    const labels = new Set<string>();
    for (const e of POLICY_TYPE_CATALOGUE) {
      expect(e.page).toMatch(
        /^https:\/\/docs\.aws\.amazon\.com\/organizations\/latest\/userguide\/orgs_manage_policies_/,
      );
      expect(labels.has(e.label.toLowerCase()), e.label).toBe(false);
      labels.add(e.label.toLowerCase());
      for (const q of [e.perTarget, e.maxSize]) {
        expect(q.value).toBeGreaterThan(0);
        if (q.basis === "assumed") expect(q.why.length).toBeGreaterThan(20);
      }
    }
  });

  it("holds the figures of AWS's quotas page where it has them", () => {
    const perTarget = (t: (typeof POLICY_TYPES)[number]) => policyTypeEntry(t).perTarget;
    expect(perTarget("SERVICE_CONTROL_POLICY")).toEqual({ value: 10, basis: "documented" });
    expect(perTarget("RESOURCE_CONTROL_POLICY")).toEqual({ value: 5, basis: "documented" });
    expect(perTarget("TAG_POLICY")).toEqual({ value: 10, basis: "documented" });
    expect(perTarget("AISERVICES_OPT_OUT_POLICY")).toEqual({ value: 5, basis: "documented" });
    expect(perTarget("S3_POLICY").basis).toBe("assumed");
    expect(perTarget("GUARDDUTY_POLICY").basis).toBe("assumed");
  });
});

describe("parsePolicyTypes", () => {
  it("takes the SDK's names and the short labels, repeated or comma-separated, in any case", () => {
    expect(
      parsePolicyTypes(["scp,tag", "S3_POLICY", "s3 bpa", "s3", "declarative-ec2", "guardduty"]),
    ).toEqual([
      "SERVICE_CONTROL_POLICY",
      "TAG_POLICY",
      "S3_POLICY",
      "DECLARATIVE_POLICY_EC2",
      "GUARDDUTY_POLICY",
    ]);
  });

  it("refuses an unknown type as invalid input naming every type", () => {
    try {
      parsePolicyTypes(["scp", "firewall"]);
      expect.unreachable();
    } catch (err) {
      expect(isOrgwardenError(err) && err.code).toBe("INVALID_INPUT");
      expect((err as Error).message).toContain('"firewall"');
      expect(isOrgwardenError(err) && err.hint).toContain("GUARDDUTY_POLICY");
    }
  });
});

describe("policyQuotaOf: a Service Quotas quota of the organizations service, by name", () => {
  it.each([
    ["Maximum size of a service control policy document", "SERVICE_CONTROL_POLICY", "maxSize"],
    ["SCPs attached per root, OU or account", "SERVICE_CONTROL_POLICY", "perTarget"],
    ["Resource control policies attached per account", "RESOURCE_CONTROL_POLICY", "perTarget"],
    ["Tag policies attached to an entity", "TAG_POLICY", "perTarget"],
    ["Security Hub CSPM policies attached per OU", "SECURITYHUB_CSPM_POLICY", "perTarget"],
    ["Security Hub policies attached per OU", "SECURITYHUB_POLICY", "perTarget"],
    ["Maximum size of a declarative policy document (characters)", "DECLARATIVE_POLICY_EC2", "maxSize"],
  ])("%s → %s %s", (name, type, kind) => {
    expect(policyQuotaOf(name)).toEqual({ type, kind });
  });

  it.each([
    ["Number of OUs in an organization"],
    ["Number of policies of each type in an organization"],
    ["Policies attached per account"],
  ])("%s → none", (name) => {
    expect(policyQuotaOf(name)).toBeUndefined();
  });
});
