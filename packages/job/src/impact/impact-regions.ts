import { describeAwsError, OrgwardenError } from "@orgwarden/core";
import type { JobSession } from "../session/session.js";

/**
 * The regions whose activity is read: --regions (or connection.regions) when given, else every
 * region the management account has enabled (ec2:DescribeRegions), so a team working in a region a
 * region deny leaves out is seen.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 */
export async function impactRegions(
  session: JobSession,
  given: readonly string[] | undefined,
): Promise<string[]> {
  if (given?.length) return [...given];
  // Loaded on first use: EC2's client is a megabyte of code.
  const { DescribeRegionsCommand, EC2Client } = await import("@aws-sdk/client-ec2");
  const ec2 = session.factory.create(EC2Client, {
    scope: "operator",
    credentials: session.operatorCredentials,
  });
  try {
    const out = await ec2.send(new DescribeRegionsCommand({}));
    const regions = (out.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])).sort();
    return regions.length > 0 ? regions : [session.options.region];
  } catch (err) {
    const e = describeAwsError(err, "EC2");
    throw new OrgwardenError(
      "AWS_ERROR",
      `could not list the enabled regions (ec2:DescribeRegions): ${e.message}`,
      {
        hint: "Pass --regions with the regions to read (e.g. --regions us-east-1,eu-west-1), or allow ec2:DescribeRegions to the operator.",
      },
    );
  }
}
