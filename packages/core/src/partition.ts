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
 * The regions of the global endpoints in each partition: AWS Organizations signs in one region per
 * partition whatever region the caller works in (https://docs.aws.amazon.com/general/latest/gr/ao.html),
 * and IAM requests carry the region of IAM's endpoint as aws:RequestedRegion
 * (https://docs.aws.amazon.com/general/latest/gr/iam-service.html).
 */
const GLOBAL_ENDPOINT_REGIONS: Readonly<Record<string, { organizations: string; iam: string }>> = {
  aws: { organizations: "us-east-1", iam: "us-east-1" },
  "aws-us-gov": { organizations: "us-gov-west-1", iam: "us-gov-west-1" },
  "aws-cn": { organizations: "cn-northwest-1", iam: "cn-north-1" },
};

/** The region AWS Organizations signs in, for a caller working in `region`. */
export function organizationsRegion(region: string): string {
  return GLOBAL_ENDPOINT_REGIONS[partitionOfRegion(region)]?.organizations ?? region;
}

/** The region of IAM's global endpoint, for a caller working in `region`. */
export function iamRegion(region: string): string {
  return GLOBAL_ENDPOINT_REGIONS[partitionOfRegion(region)]?.iam ?? region;
}
