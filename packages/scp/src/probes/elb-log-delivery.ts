import { partitionOfRegion } from "@orgwarden/core";

/**
 * Who writes Elastic Load Balancing's access logs into a bucket, per Region, as AWS's page lists it:
 * in the Regions opened before August 2022, an AWS account of ELB's own (a principal outside the
 * organization, which an identity perimeter must trust by account); in the others, the service
 * principal logdelivery.elasticloadbalancing.amazonaws.com, which sends no aws:SourceOrgID.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-access-logs.html
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "ap-east-1": "754344448648",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-south-1": "718504428378",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
};

export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Partitions the page covers: a Region of theirs it does not list delivers as the service principal. */
const LISTED_PARTITIONS = ["aws", "aws-us-gov"];

/** ELB's log writer in a Region; "unknown" where AWS's page says nothing (the China Regions, …). */
export function elbLogDelivery(
  region: string,
): { kind: "account"; account: string } | { kind: "service" } | { kind: "unknown" } {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  if (account) return { kind: "account", account };
  return LISTED_PARTITIONS.includes(partitionOfRegion(region)) ? { kind: "service" } : { kind: "unknown" };
}
