import { isRegionName, OrgwardenError } from "@orgwarden/core";
import type { SourceSpec } from "./event-source.js";

const FORMS =
  "Use lookup-events (each account's CloudTrail event history, 90 days), s3://BUCKET[/PREFIX] (the organization trail's bucket and the trail's S3 key prefix) or cloudtrail-lake:arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID.";

// S3's bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens, a letter
// or digit at each end, not shaped like an IP address.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;
const LAKE_ARN =
  /^arn:(aws|aws-us-gov|aws-cn):cloudtrail:([a-z0-9-]+):(\d{12}):eventdatastore\/([A-Za-z0-9-]+)$/;
/** Where a trail's own folders start: AWSLogs/, then the organization's id for an organization trail. */
const TRAIL_FOLDERS = /(^|\/)AWSLogs\/(o-[a-z0-9]{10,32}\/|\d{12}\/)?.*$/;

/**
 * `--source` as the user wrote it: `lookup-events`, `s3://bucket[/prefix]` or
 * `cloudtrail-lake:EVENT_DATA_STORE_ARN`. The S3 prefix is the trail's S3 key prefix, ending in "/"
 * (empty for none); a path the user copied from the console down into `AWSLogs/…` is cut back to it.
 */
export function parseSourceSpec(text: string): SourceSpec {
  const value = text.trim();
  if (value === "lookup-events") return { kind: "lookup-events" };
  if (value.startsWith("s3://")) return parseS3(value);
  if (value.startsWith("cloudtrail-lake:")) return parseLake(value);
  throw invalid(value, "is not a source of recorded activity");
}

/** The spec as `--source` takes it: what parseSourceSpec reads back to the same spec. */
export function formatSourceSpec(spec: SourceSpec): string {
  switch (spec.kind) {
    case "lookup-events":
      return "lookup-events";
    case "s3":
      return `s3://${spec.bucket}/${spec.prefix}`;
    case "cloudtrail-lake":
      return `cloudtrail-lake:${spec.eventDataStoreArn}`;
  }
}

function parseS3(value: string): SourceSpec {
  const rest = value.slice("s3://".length);
  const slash = rest.indexOf("/");
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  if (!BUCKET.test(bucket) || IP_ADDRESS.test(bucket) || bucket.includes(".."))
    throw invalid(value, `names no valid S3 bucket ("${bucket}")`);
  let prefix = slash < 0 ? "" : rest.slice(slash + 1);
  prefix = prefix.replace(TRAIL_FOLDERS, "$1");
  if (prefix.startsWith("/") || prefix.includes("//"))
    throw invalid(value, "has an empty folder name in its prefix");
  if (prefix !== "" && !prefix.endsWith("/")) prefix += "/";
  return { kind: "s3", bucket, prefix };
}

function parseLake(value: string): SourceSpec {
  const arn = value.slice("cloudtrail-lake:".length);
  const m = LAKE_ARN.exec(arn);
  if (!m || !isRegionName(m[2] as string))
    throw invalid(value, "does not name an event data store by its ARN");
  return { kind: "cloudtrail-lake", eventDataStoreArn: arn };
}

function invalid(value: string, why: string): OrgwardenError {
  return new OrgwardenError("INVALID_INPUT", `source "${value}" ${why}`, { hint: FORMS });
}
