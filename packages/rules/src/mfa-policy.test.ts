import { describe, expect, it } from "vitest";
import { mfaPolicyArn, mfaPolicyDocument } from "./mfa-policy.js";

describe("the MFA policy in each partition", () => {
  // An arn:aws: resource in GovCloud or China matches nothing: the users could not enrol a device.
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
  it.each(["aws", "aws-us-gov", "aws-cn"])("writes every resource ARN in %s", (partition) => {
    const text = JSON.stringify(mfaPolicyDocument(partition));
    const arns = text.match(/arn:[\w-]+:/g) ?? [];
    expect(arns.length).toBeGreaterThan(0);
    expect(new Set(arns)).toEqual(new Set([`arn:${partition}:`]));
    expect(mfaPolicyArn("111111111111", "Mfa", partition)).toBe(
      `arn:${partition}:iam::111111111111:policy/Mfa`,
    );
  });

  it("keeps AWS's deny-unless-MFA statement whatever the partition", () => {
    const deny = mfaPolicyDocument("aws-cn").Statement.find((s) => s.Effect === "Deny");
    expect(deny?.Condition).toEqual({ BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
  });
});
