import { describe, expect, it } from "vitest";
import {
  checkExemptPrincipal,
  examplePrincipalArn,
  findExemptExamples,
  findRoleArn,
} from "./exempt-principals.js";

// aws:PrincipalArn is the role ARN (with its path) for role sessions:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
describe("exempt principals are aws:PrincipalArn values", () => {
  it("accepts role, user and root ARN patterns, with paths and wildcards", () => {
    for (const arn of [
      "arn:aws:iam::*:role/BreakGlass",
      "arn:aws:iam::111122223333:role/emergency/BreakGlass",
      "arn:aws:iam::*:role/*BreakGlass",
      "arn:aws:iam::*:user/break-glass/*",
      "arn:aws:iam::*:root",
      "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*",
      "arn:aws-us-gov:iam::*:role/BreakGlass",
    ]) {
      expect(() => checkExemptPrincipal(arn), arn).not.toThrow();
    }
  });

  it("refuses an sts assumed-role ARN and names the role ARN to write instead", () => {
    expect(() => checkExemptPrincipal("arn:aws:sts::*:assumed-role/BreakGlass/*")).toThrow(
      expect.objectContaining({
        code: "INVALID_INPUT",
        hint: expect.stringContaining("arn:aws:iam::*:role/BreakGlass"),
      }),
    );
    expect(() =>
      checkExemptPrincipal(
        "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice",
      ),
    ).toThrow(
      expect.objectContaining({
        hint: expect.stringContaining(
          "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*",
        ),
      }),
    );
  });

  it("refuses an Identity Center role without its aws-reserved path, and anything that is no principal", () => {
    expect(() => checkExemptPrincipal("arn:aws:iam::*:role/AWSReservedSSO_Admin_*")).toThrow(
      expect.objectContaining({
        hint: expect.stringContaining(
          "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*",
        ),
      }),
    );
    for (const bad of [
      "BreakGlass",
      "arn:aws:s3:::bucket",
      "arn:aws:iam::*:group/admins",
      "arn:aws:iam::12:role/x",
    ]) {
      expect(() => checkExemptPrincipal(bad), bad).toThrow(/is not an IAM role, user or root ARN pattern/);
    }
  });

  it("probes a concrete principal, not the pattern itself", () => {
    expect(examplePrincipalArn("arn:aws:iam::*:role/BreakGlass", "111122223333")).toBe(
      "arn:aws:iam::111122223333:role/BreakGlass",
    );
    expect(
      examplePrincipalArn(
        "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*",
        "111122223333",
      ),
    ).toBe(
      "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef",
    );
    expect(examplePrincipalArn("arn:aws:iam::*:user/break-glass/*", "111122223333")).toBe(
      "arn:aws:iam::111122223333:user/break-glass/example",
    );
  });

  it("looks for real principals behind each pattern and warns about a pattern that matches none", async () => {
    const lister = async (account: string) => {
      if (account === "333333333333") throw Object.assign(new Error("denied"), { name: "AccessDenied" });
      return account === "111111111111"
        ? ["arn:aws:iam::111111111111:role/emergency/BreakGlass", "arn:aws:iam::111111111111:user/alice"]
        : [
            "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0a1b",
          ];
    };
    const found = await findExemptExamples(
      [
        "arn:aws:iam::*:role/*BreakGlass",
        "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*",
        "arn:aws:iam::*:role/BreakGlas",
      ],
      [
        { id: "111111111111", label: "the management account" },
        { id: "222222222222", label: "account 222222222222" },
        { id: "333333333333", label: "account 333333333333" },
      ],
      lister,
    );
    expect(found.examples.get("arn:aws:iam::*:role/*BreakGlass")).toBe(
      "arn:aws:iam::111111111111:role/emergency/BreakGlass",
    );
    expect(
      found.examples.get("arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*"),
    ).toBe(
      "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0a1b",
    );
    expect(found.notes).toEqual([
      "could not list the roles and users of account 333333333333 (AccessDenied): exempt principals were not checked there",
      expect.stringContaining(
        "warning: exempt principal arn:aws:iam::*:role/BreakGlas matches no role or user",
      ),
    ]);
  });
});

describe("names as IAM spells them", () => {
  it("findRoleArn finds orgwarden's role whatever the case of the name, with its path", () => {
    const arns = [
      "arn:aws:iam::111122223333:role/app-workload",
      "arn:aws:iam::111122223333:role/automation/OrgwardenRole",
      "arn:aws:iam::111122223333:user/orgwardenrole",
    ];
    expect(findRoleArn("orgwardenrole", arns)).toBe(
      "arn:aws:iam::111122223333:role/automation/OrgwardenRole",
    );
    expect(findRoleArn("OrgwardenRole", arns)).toBe(
      "arn:aws:iam::111122223333:role/automation/OrgwardenRole",
    );
    expect(findRoleArn("Missing", arns)).toBeUndefined();
  });

  it("an exempt pattern that matches a principal only when case is ignored is named, not called missing", async () => {
    const found = await findExemptExamples(
      ["arn:aws:iam::*:role/breakglass"],
      [{ id: "111122223333", label: "account 111122223333" }],
      async () => ["arn:aws:iam::111122223333:role/BreakGlass"],
    );
    expect(found.examples.size).toBe(0);
    expect(found.notes).toEqual([
      "warning: exempt principal arn:aws:iam::*:role/breakglass matches arn:aws:iam::111122223333:role/BreakGlass only when case is ignored: aws:PrincipalArn is compared case-sensitively, so this exemption exempts nobody; write the name as IAM has it",
    ]);
  });
});
