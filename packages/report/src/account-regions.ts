import type { EC2Client } from "@aws-sdk/client-ec2";
import { describeAwsError } from "@orgwarden/core";

/** The regions an account's regional controls are judged in, or why they could not be listed. */
export interface AccountRegions {
  regions: string[];
  /** Chosen regions the account has not enabled (an opt-in region it never opted into). */
  notEnabled: string[];
  error?: string;
}

/**
 * The account's enabled regions (DescribeRegions without AllRegions: default regions plus the opt-in
 * regions it opted into), read once per account, limited to `chosen` when given. When the list
 * cannot be read, the chosen regions are used as they are; without chosen regions there is no
 * silent fallback to one region: the regional controls say ERROR with the reason.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 */
export async function accountRegions(
  ec2: EC2Client,
  homeRegion: string,
  chosen: readonly string[] | undefined,
): Promise<AccountRegions> {
  let enabled: Set<string>;
  // Loaded on first use (see evaluate-account.ts): EC2's client is a megabyte of code.
  const { DescribeRegionsCommand } = await import("@aws-sdk/client-ec2");
  try {
    const out = await ec2.send(new DescribeRegionsCommand({}));
    enabled = new Set((out.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])));
  } catch (err) {
    const e = describeAwsError(err, "EC2");
    if (chosen?.length) return { regions: [...chosen], notEnabled: [] };
    return {
      regions: [],
      notEnabled: [],
      error: `could not list the account's enabled regions (ec2:DescribeRegions): ${e.message}${e.hint ? ` (${e.hint})` : ""}; allow ec2:DescribeRegions to orgwarden's role, or pass --regions`,
    };
  }
  if (enabled.size === 0) enabled.add(homeRegion);
  if (!chosen?.length) return { regions: [...enabled].sort(), notEnabled: [] };
  return {
    regions: chosen.filter((r) => enabled.has(r)),
    notEnabled: chosen.filter((r) => !enabled.has(r)),
  };
}
