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
 * Regions every account has enabled and cannot disable: those launched before 20 March 2019 (the
 * "default Regions"), and the GovCloud and China regions, which have no opt-in.
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
const ENABLED_IN_EVERY_ACCOUNT: ReadonlySet<string> = new Set([
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "us-gov-west-1",
  "us-gov-east-1",
  "cn-north-1",
  "cn-northwest-1",
]);

/** True when every chosen region is one no account can disable: no need to ask the account. */
export function chosenRegionsAlwaysEnabled(chosen: readonly string[] | undefined): boolean {
  return !!chosen?.length && chosen.every((r) => ENABLED_IN_EVERY_ACCOUNT.has(r));
}

/**
 * The account's enabled regions (DescribeRegions without AllRegions: default regions plus the opt-in
 * regions it opted into), read once per account, limited to `chosen` when given. When the list
 * cannot be read, the chosen regions are used as they are; without chosen regions there is no
 * silent fallback to one region: the regional controls say ERROR with the reason. When every chosen
 * region is a default one (enabled in every account, never disabled), nothing is asked: that is
 * one call fewer per account for the usual `--regions us-east-1,eu-west-1`.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
 */
export async function accountRegions(
  ec2: () => Promise<EC2Client>,
  homeRegion: string,
  chosen: readonly string[] | undefined,
): Promise<AccountRegions> {
  if (chosenRegionsAlwaysEnabled(chosen)) return { regions: [...(chosen ?? [])], notEnabled: [] };
  let enabled: Set<string>;
  // Loaded on first use (see evaluate-account.ts): EC2's client is a megabyte of code.
  const { DescribeRegionsCommand } = await import("@aws-sdk/client-ec2");
  try {
    const out = await (await ec2()).send(new DescribeRegionsCommand({}));
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
