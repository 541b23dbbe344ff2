import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";

/**
 * CloudTrail's log files in S3, written as a trail delivers them, for the demo and the tests:
 * `PREFIX/AWSLogs/O-ID/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`
 * (an account trail's without `O-ID/`), each a gzipped `{"Records":[…]}`, named and filed by the
 * time it was delivered, after the events it holds.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
 */
export interface TrailObjectsOptions {
  /** The trail's S3 key prefix, ending in "/" (default: none). */
  prefix?: string;
  /** An organization trail's layout (default) or an account trail's. */
  layout?: "organization" | "account";
  /** One file per account, region and this many minutes of events (CloudTrail delivers about every 5). */
  fileMinutes?: number;
}

/** The key of one log file. */
export function trailObjectKey(
  organizationId: string | undefined,
  account: string,
  region: string,
  delivered: Date,
  unique: string,
  prefix = "",
): string {
  const iso = delivered.toISOString();
  const day = iso.slice(0, 10).replace(/-/g, "/");
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
  const org = organizationId ? `${organizationId}/` : "";
  return `${prefix}AWSLogs/${org}${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

/**
 * Writes `records` into `bucket` as the organization `organizationId`'s trail would: grouped by
 * recipientAccountId, awsRegion and delivery period, each group one gzipped file. The keys written.
 */
export async function putTrailObjects(
  s3: S3Client,
  bucket: string,
  organizationId: string,
  records: readonly Record<string, unknown>[],
  options: TrailObjectsOptions = {},
): Promise<string[]> {
  const period = (options.fileMinutes ?? 5) * 60_000;
  const files = new Map<string, { account: string; region: string; delivered: number; records: unknown[] }>();
  for (const r of records) {
    const account = String(r.recipientAccountId);
    const region = String(r.awsRegion);
    const delivered = (Math.floor(Date.parse(String(r.eventTime)) / period) + 1) * period;
    const id = `${account}/${region}/${delivered}`;
    const file = files.get(id) ?? { account, region, delivered, records: [] };
    file.records.push(r);
    files.set(id, file);
  }
  const limit = pLimit(8);
  const org = options.layout === "account" ? undefined : organizationId;
  return Promise.all(
    [...files.entries()].map(([id, f]) =>
      limit(async () => {
        const unique = createHash("sha256").update(id).digest("hex").slice(0, 16).toUpperCase();
        const key = trailObjectKey(org, f.account, f.region, new Date(f.delivered), unique, options.prefix);
        const body = gzipSync(JSON.stringify({ Records: f.records }));
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "application/json" }),
        );
        return key;
      }),
    ),
  );
}
