import { OrgwardenError } from "./errors.js";

/**
 * The partition of an ARN (`aws`, `aws-us-gov`, `aws-cn`, …): every ARN orgwarden builds for an
 * organization (roles, policies, root-task policies, SCP resources) takes the organization's own,
 * read from its ARN, so nothing in GovCloud or China points at the commercial partition.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function partitionOfArn(arn: string): string {
  const match = /^arn:(aws(?:-[a-z]+)*):/.exec(arn);
  if (!match?.[1]) {
    throw new OrgwardenError("AWS_ERROR", `"${arn}" is not an ARN: its partition cannot be read`, {
      hint: "orgwarden reads the partition from the organization's ARN (DescribeOrganization). Check the endpoint and credentials point at AWS Organizations.",
    });
  }
  return match[1];
}

/** The partition a region is in: `us-gov-*` GovCloud, `cn-*` China, the rest the commercial one. */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-iso-")) return "aws-iso";
  return "aws";
}

/**
 * The region AWS Organizations signs in: one global endpoint per partition, whatever region the
 * caller works in. https://docs.aws.amazon.com/general/latest/gr/ao.html
 */
export function organizationsRegion(region: string): string {
  switch (partitionOfRegion(region)) {
    case "aws-us-gov":
      return "us-gov-west-1";
    case "aws-cn":
      return "cn-northwest-1";
    case "aws":
      return "us-east-1";
    default:
      return region;
  }
}

/**
 * The region of IAM's global endpoint in the partition, which IAM requests carry as
 * aws:RequestedRegion. https://docs.aws.amazon.com/general/latest/gr/iam-service.html
 */
export function iamRegion(region: string): string {
  switch (partitionOfRegion(region)) {
    case "aws-us-gov":
      return "us-gov-west-1";
    case "aws-cn":
      return "cn-north-1";
    case "aws":
      return "us-east-1";
    default:
      return region;
  }
}
