import { describe, expect, it } from "vitest";
import { parseContextFlags, type SimulateFlags, simulateSettings } from "./simulate-settings.js";

const CONNECTION = { roleName: "OrgwardenMemberRole", region: "eu-west-1" };
const QUESTION: SimulateFlags = {
  account: "111122223333",
  principal: "arn:aws:iam::111122223333:user/alice",
  action: "s3:ListAllMyBuckets",
};

describe("parseContextFlags: --context KEY=VALUE", () => {
  it("one value, a list (commas), a key taken out (nothing after =)", () => {
    expect(
      parseContextFlags([
        "aws:MultiFactorAuthPresent=true",
        "aws:PrincipalTag/team=platform",
        "s3:prefix=home/alice,home/shared",
        "aws:SecureTransport=",
      ]),
    ).toEqual([
      { key: "aws:MultiFactorAuthPresent", value: "true" },
      { key: "aws:PrincipalTag/team", value: "platform" },
      { key: "s3:prefix", value: ["home/alice", "home/shared"] },
      { key: "aws:SecureTransport", value: null },
    ]);
  });

  it("AWS's multivalued keys are lists even with one value; a value may hold = after the first", () => {
    expect(
      parseContextFlags(["aws:TagKeys=team", "aws:CalledVia=athena.amazonaws.com", "ec2:x=a=b"]),
    ).toEqual([
      { key: "aws:TagKeys", value: ["team"] },
      { key: "aws:CalledVia", value: ["athena.amazonaws.com"] },
      { key: "ec2:x", value: "a=b" },
    ]);
  });

  it("refuses an entry without =, a key that is no condition key, aws:PrincipalArn and a key given twice", () => {
    const refused = (raw: string[], message: RegExp) =>
      expect(() => parseContextFlags(raw)).toThrow(
        expect.objectContaining({ code: "INVALID_INPUT", message: expect.stringMatching(message) }),
      );
    refused(["aws:MultiFactorAuthPresent"], /is not KEY=VALUE/);
    refused(["=true"], /is not a condition key/);
    refused(["mfa=true"], /is not a condition key/);
    refused(["aws:PrincipalArn=arn:aws:iam::111122223333:user/bob"], /the principal is --principal/);
    refused(["aws:TagKeys=a", "AWS:TAGKEYS=b"], /given twice/);
  });
});

describe("simulateSettings: the question, checked before any AWS call", () => {
  it("the defaults: resource *, the home region, no planned policies, verify-with-aws auto", () => {
    const s = simulateSettings(QUESTION, CONNECTION);
    expect(s).toMatchObject({
      target: { flag: "--account", ref: "111122223333" },
      resource: "*",
      region: "eu-west-1",
      context: [],
      planned: undefined,
      awsCheck: { mode: "auto" },
    });
  });

  it("--with-planned renders with the SCP flags, as apply-scp --policy", () => {
    const s = simulateSettings(
      { ...QUESTION, withPlanned: ["deny-root-user"], blockAssumeRoot: true },
      CONNECTION,
    );
    expect(s.planned?.policies).toEqual(["deny-root-user"]);
    expect(s.planned?.params.ExemptAssumeRoot).toBe(false);
  });

  it("refuses both or neither of --account and --ou, a malformed account, action or resource, and render flags without --with-planned", () => {
    const refused = (flags: SimulateFlags, message: RegExp) =>
      expect(() => simulateSettings(flags, CONNECTION)).toThrow(
        expect.objectContaining({ code: "INVALID_INPUT", message: expect.stringMatching(message) }),
      );
    refused({ ...QUESTION, ou: "Root/Workloads" }, /one of --account and --ou/);
    refused({ ...QUESTION, account: undefined }, /one of --account and --ou/);
    refused({ ...QUESTION, account: "Root/Workloads" }, /not a 12-digit account id/);
    refused({ ...QUESTION, action: "s3:*" }, /not an action like s3:GetObject/);
    refused({ ...QUESTION, action: "ListBuckets" }, /not an action/);
    refused({ ...QUESTION, resource: "bucket" }, /not an ARN/);
    refused({ ...QUESTION, principal: "alice" }, /not an IAM user, role or root ARN/);
    refused({ ...QUESTION, exemptPrincipal: ["arn:aws:iam::*:role/Break"] }, /--exempt-principal shapes/);
    refused({ ...QUESTION, verifyWithAws: "always" }, /--verify-with-aws must be auto, on or off/);
  });
});
