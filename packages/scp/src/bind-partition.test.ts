import { describe, expect, it } from "vitest";
import { bindPartition } from "./bind-partition.js";
import { loadPolicyLibrary } from "./policy-library.js";
import { renderPolicy } from "./render-policy.js";
import { scpParameters } from "./scp-parameters.js";

describe("bindPartition", () => {
  const library = loadPolicyLibrary();

  it.each(["aws-us-gov", "aws-cn"])(
    "moves orgwarden's role, the audit automation and every rendered ARN to %s",
    (partition) => {
      const params = bindPartition(
        scpParameters({ roleName: "OrgwardenRole", exemptPrincipals: ["arn:*:iam::*:role/BreakGlass"] }),
        partition,
      );
      expect(params.Partition).toBe(partition);
      expect(params.ExemptPrincipalArns).toEqual([
        `arn:${partition}:iam::*:role/OrgwardenRole`,
        "arn:*:iam::*:role/BreakGlass",
      ]);
      expect(params.AuditAutomationArns.every((a) => a.startsWith(`arn:${partition}:iam::*:role/`))).toBe(
        true,
      );
      for (const template of library.values()) {
        let content: string;
        try {
          content = renderPolicy(template, params).content;
        } catch {
          continue; // needs a parameter not given here (restrict-source-ip's networks)
        }
        // Every ARN the policies write is in the organization's partition (or any partition).
        for (const arn of content.match(/arn:[\w*-]+:/g) ?? [])
          expect([`arn:${partition}:`, "arn:*:"]).toContain(arn);
      }
    },
  );

  it("refuses an exempt principal written for another partition, naming the one to write", () => {
    const params = scpParameters({
      roleName: "OrgwardenRole",
      exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
    });
    expect(() => bindPartition(params, "aws-us-gov")).toThrow(/another partition/);
    expect(() => bindPartition(params, "aws-us-gov")).toThrow(
      expect.objectContaining({ hint: expect.stringContaining("arn:aws-us-gov:iam::*:role/BreakGlass") }),
    );
  });

  it("leaves parameters already in the partition as they are", () => {
    const params = scpParameters({ roleName: "OrgwardenRole" });
    expect(bindPartition(params, "aws")).toBe(params);
  });
});
