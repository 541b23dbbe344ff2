import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { S3Client } from "@aws-sdk/client-s3";
import { type ActivitySource, createActivitySource, type SourceSpec } from "@orgwarden/activity";
import { AccountClients, type RoleAssumer } from "@orgwarden/core";
import type { JobSession } from "../session/session.js";

/**
 * The source `--source` names, over the session's clients: LookupEvents in each member account
 * with orgwarden's member role (one AssumeRole per account, as every command), the trail's bucket
 * and CloudTrail Lake with the operator's credentials.
 */
export function openActivitySource(
  session: JobSession,
  spec: SourceSpec,
  assumer: RoleAssumer,
): ActivitySource {
  const members = new AccountClients(session.factory, assumer);
  const operator = { scope: "operator", credentials: session.operatorCredentials };
  return createActivitySource(spec, {
    cloudTrailFor: (account, region) => members.get(CloudTrailClient, account, region),
    s3: () => session.factory.create(S3Client, operator),
    lakeCloudTrail: (region) => session.factory.create(CloudTrailClient, { ...operator, region }),
    concurrency: Math.min(session.options.concurrency, 16),
  });
}
