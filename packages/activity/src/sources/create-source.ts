import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Clock } from "@orgwarden/core";
import { CloudTrailLakeSource } from "./cloudtrail-lake-source.js";
import type { ActivitySource, SourceSpec } from "./event-source.js";
import { LookupEventsSource } from "./lookup-events-source.js";
import { S3TrailSource } from "./s3-trail-source.js";

/** The clients a source may need; only the chosen source's are made. */
export interface SourceClients {
  /** CloudTrail acting in a member account (its role) or the operator's own account: LookupEvents. */
  cloudTrailFor: (account: string, region: string) => CloudTrailClient;
  /** S3 that can read the trail's bucket (the operator's credentials or --source-role). */
  s3: () => S3Client;
  /** CloudTrail in the event data store's region, with the operator's credentials: CloudTrail Lake. */
  lakeCloudTrail: (region: string) => CloudTrailClient;
  /** Paces and waits (tests pass a manual clock). */
  clock?: Clock;
  /** Account-regions (LookupEvents) or folders and files (S3) read at once. */
  concurrency?: number;
}

/** The source `--source` names, over the caller's clients. */
export function createActivitySource(spec: SourceSpec, clients: SourceClients): ActivitySource {
  const clock = clients.clock ? { clock: clients.clock } : {};
  switch (spec.kind) {
    case "lookup-events":
      return new LookupEventsSource({
        cloudTrailFor: clients.cloudTrailFor,
        ...clock,
        ...(clients.concurrency ? { concurrency: clients.concurrency } : {}),
      });
    case "s3":
      return new S3TrailSource({
        s3: clients.s3(),
        bucket: spec.bucket,
        prefix: spec.prefix,
        ...(clients.concurrency
          ? { listConcurrency: clients.concurrency, getConcurrency: clients.concurrency }
          : {}),
      });
    case "cloudtrail-lake":
      return new CloudTrailLakeSource({
        eventDataStoreArn: spec.eventDataStoreArn,
        cloudTrailFor: clients.lakeCloudTrail,
        ...clock,
      });
  }
}
