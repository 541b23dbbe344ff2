import { describe, expect, it } from "vitest";
import { iamRegion, organizationsRegion, partitionOfArn, partitionOfRegion } from "./partition.js";

describe("partitionOfArn", () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: aws, aws-cn, aws-us-gov.
  it.each([
    ["arn:aws:organizations::111111111111:organization/o-exampleorgid", "aws"],
    ["arn:aws-us-gov:organizations::111111111111:organization/o-exampleorgid", "aws-us-gov"],
    ["arn:aws-cn:organizations::111111111111:organization/o-exampleorgid", "aws-cn"],
    ["arn:aws-iso-b:organizations::111111111111:organization/o-exampleorgid", "aws-iso-b"],
  ])("reads the partition of %s", (arn, partition) => {
    expect(partitionOfArn(arn)).toBe(partition);
  });

  it("refuses what is not an ARN", () => {
    expect(() => partitionOfArn("o-exampleorgid")).toThrow(/not an ARN/);
  });
});

describe("global endpoints per partition", () => {
  // https://docs.aws.amazon.com/general/latest/gr/ao.html, …/iam-service.html
  it.each([
    ["eu-west-1", "aws", "us-east-1", "us-east-1"],
    ["us-gov-east-1", "aws-us-gov", "us-gov-west-1", "us-gov-west-1"],
    ["cn-north-1", "aws-cn", "cn-northwest-1", "cn-north-1"],
  ])("%s is in %s; Organizations signs in %s, IAM in %s", (region, partition, orgs, iam) => {
    expect(partitionOfRegion(region)).toBe(partition);
    expect(organizationsRegion(region)).toBe(orgs);
    expect(iamRegion(region)).toBe(iam);
  });
});
