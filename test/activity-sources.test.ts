import { CloudTrailClient, StartQueryCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CloudTrailLakeSource,
  LookupEventsSource,
  type ReadScope,
  type RecordBatch,
  S3TrailSource,
} from "@orgwarden/activity";
import { AccountClients, ClientFactory, manualClock, RoleAssumer } from "@orgwarden/core";
import {
  clearCloudTrailEvents,
  cloudTrailStandInState,
  EMULATOR_CREDENTIALS,
  plantCloudTrailEvents,
  putTrailObjects,
} from "@orgwarden/emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";

// The sources of recorded activity end to end: the organization trail's gzipped files in moto's S3,
// LookupEvents and CloudTrail Lake through the emulator's CloudTrail stand-in (moto has neither).
// Nothing here waits on the wall clock: the paces and the Lake's waits run on manual clocks.

const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 3 } });
const REGIONS = ["us-east-1", "eu-west-1"];
const WINDOW = { start: new Date("2026-03-02T00:00:00Z"), end: new Date("2026-03-03T12:00:00Z") };
const HOUR = 3_600_000;

const accounts = () => org.accounts.map((a) => a.id);
const scope = (accountIds: string[], extra: Partial<ReadScope> = {}): ReadScope => ({
  organizationId: org.organizationId,
  accounts: accountIds,
  regions: REGIONS,
  window: WINDOW,
  ...extra,
});
const inWindow = (r: CloudTrailRecord) =>
  r.eventTime >= "2026-03-02T00:00:00Z" && r.eventTime <= "2026-03-03T12:00:00Z";
const ids = (batches: RecordBatch[]) =>
  batches.flatMap((b) => b.records.map((r) => (r as CloudTrailRecord).eventID)).sort();

interface CloudTrailRecord extends Record<string, unknown> {
  eventID: string;
  eventTime: string;
  recipientAccountId: string;
  awsRegion: string;
}

/** A role session's call, as CloudTrail records it; `n` makes the ids and the principals vary. */
function record(
  account: string,
  region: string,
  time: number,
  n: number,
  extra: Record<string, unknown> = {},
) {
  const role = n % 3 === 0 ? "ci-deploy" : "app-runtime";
  return {
    eventVersion: "1.10",
    userIdentity: {
      type: "AssumedRole",
      principalId: `AROAEXAMPLE${n % 7}:session-${n}`,
      arn: `arn:aws:sts::${account}:assumed-role/${role}/session-${n}`,
      accountId: account,
      accessKeyId: `ASIAEXAMPLE${n}`,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: `AROAEXAMPLE${n % 7}`,
          arn: `arn:aws:iam::${account}:role/${role}`,
          accountId: account,
          userName: role,
        },
        attributes: {
          creationDate: new Date(time - 60_000).toISOString().slice(0, 19) + "Z",
          mfaAuthenticated: String(n % 2 === 0),
        },
      },
    },
    eventTime: `${new Date(time).toISOString().slice(0, 19)}Z`,
    eventSource: "s3.amazonaws.com",
    eventName: "GetBucketPolicy",
    awsRegion: region,
    sourceIPAddress: `203.0.113.${n % 250}`,
    userAgent: "aws-cli/2.15.0",
    requestParameters: { bucketName: `bucket-${n % 5}` },
    responseElements: null,
    requestID: `REQ${n}`,
    eventID: `${account}-${region}-${n}`,
    readOnly: true,
    resources: [{ accountId: account, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::bucket-${n % 5}` }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: "Management",
    ...extra,
  } satisfies Record<string, unknown> as CloudTrailRecord;
}

describe("the organization trail's files in S3", () => {
  const BUCKET = "org-trail-logs";
  let s3: S3Client;
  /** Two events every six hours, 1-4 March, in each account and region. */
  const fixtures: CloudTrailRecord[] = [];
  let keys: string[] = [];

  beforeAll(async () => {
    s3 = new S3Client({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: EMULATOR_CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    let n = 0;
    for (const account of accounts())
      for (const region of REGIONS)
        for (
          let t = Date.parse("2026-03-01T00:00:00Z");
          t < Date.parse("2026-03-05T00:00:00Z");
          t += 6 * HOUR
        )
          for (const offset of [60_000, 120_000]) fixtures.push(record(account, region, t + offset, n++));
    keys = await putTrailObjects(s3, BUCKET, org.organizationId, fixtures, { prefix: "audit/" });
  });

  it("reads the window's days of the scope's accounts and regions, a batch per file, and nothing else", async () => {
    const [a1, a2] = accounts() as [string, string];
    const batches: RecordBatch[] = [];
    const result = await new S3TrailSource({ s3, bucket: BUCKET, prefix: "audit/" }).read(
      scope([a1, a2]),
      (b) => batches.push(b),
    );
    expect(result.failures).toEqual([]);
    const expected = fixtures.filter((r) => [a1, a2].includes(r.recipientAccountId) && inWindow(r));
    expect(ids(batches)).toEqual(expected.map((r) => r.eventID).sort());
    expect(result.records).toBe(expected.length);
    for (const b of batches) expect([a1, a2]).toContain(b.account);
    expect(result.accountsRead).toEqual([a1, a2]);
    expect(result.regionsRead).toEqual(REGIONS);
    expect(result.notes).toEqual([
      `read the organization trail's files under s3://${BUCKET}/audit/AWSLogs/${org.organizationId}/`,
    ]);
    // Only the files that can hold the window's events are read: delivered after it started, up to
    // an hour after it ended (the 4th of March is never listed).
    const stamp = (key: string) => {
      const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(key)?.slice(1).map(Number) as number[];
      return Date.UTC(m[0] as number, (m[1] as number) - 1, m[2], m[3], m[4]);
    };
    const filesRead = keys.filter(
      (k) =>
        [a1, a2].some((a) => k.includes(`/${a}/`)) &&
        stamp(k) + 60_000 > WINDOW.start.getTime() &&
        stamp(k) <= WINDOW.end.getTime() + HOUR,
    );
    // AWSLogs/, the organization's folder, each account's regions, each (account, region, day), each file.
    expect(result.requests).toBe(1 + 1 + 2 + 2 * 2 * 2 + filesRead.length);
  });

  it("a corrupt file is a failure naming it, and every other file is read", async () => {
    const [a1] = accounts() as [string];
    const corrupt = keys.find((k) => k.includes(`/${a1}/CloudTrail/eu-west-1/2026/03/02/`)) as string;
    const copy = corrupt.replace(/^audit\//, "corrupt/");
    await putTrailObjects(
      s3,
      BUCKET,
      org.organizationId,
      fixtures.filter((r) => r.recipientAccountId === a1),
      {
        prefix: "corrupt/",
      },
    );
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: copy, Body: '{"Records": [ not gzip' }));
    const batches: RecordBatch[] = [];
    const result = await new S3TrailSource({ s3, bucket: BUCKET, prefix: "corrupt/" }).read(
      scope([a1]),
      (b) => batches.push(b),
    );
    expect(result.failures).toEqual([
      {
        account: a1,
        region: "eu-west-1",
        location: `s3://${BUCKET}/${copy}`,
        reason: expect.stringMatching(/^not a gzipped log file/),
      },
    ]);
    const lost = fixtures.filter(
      (r) =>
        r.recipientAccountId === a1 &&
        r.awsRegion === "eu-west-1" &&
        inWindow(r) &&
        copy.includes(`_${fileStamp(r)}_`),
    );
    expect(lost.length).toBeGreaterThan(0);
    const expected = fixtures.filter((r) => r.recipientAccountId === a1 && inWindow(r) && !lost.includes(r));
    expect(ids(batches)).toEqual(expected.map((r) => r.eventID).sort());
    expect(result.accountsRead).toEqual([a1]);
  });

  it("an account trail's layout (no organization folder) is found; an account without a folder is a failure", async () => {
    const [a1, a2] = accounts() as [string, string];
    await putTrailObjects(
      s3,
      BUCKET,
      org.organizationId,
      fixtures.filter((r) => r.recipientAccountId === a1),
      {
        prefix: "own/",
        layout: "account",
      },
    );
    const batches: RecordBatch[] = [];
    const result = await new S3TrailSource({ s3, bucket: BUCKET, prefix: "own/" }).read(
      scope([a1, a2]),
      (b) => batches.push(b),
    );
    expect(result.notes).toEqual([
      `no folder of the organization ${org.organizationId} under s3://${BUCKET}/own/AWSLogs/: read the account trails' files there`,
    ]);
    expect(ids(batches)).toEqual(
      fixtures
        .filter((r) => r.recipientAccountId === a1 && inWindow(r))
        .map((r) => r.eventID)
        .sort(),
    );
    expect(result.failures).toEqual([
      expect.objectContaining({
        account: a2,
        location: `s3://${BUCKET}/own/AWSLogs/${a2}/`,
        reason: "no log files for this account under the trail's prefix",
      }),
    ]);
    expect(result.accountsRead).toEqual([a1]);
  });

  it("a bucket that does not exist is one failure, nothing read", async () => {
    const result = await new S3TrailSource({ s3, bucket: "no-such-trail-bucket", prefix: "" }).read(
      scope(accounts()),
      () => {},
    );
    expect(result.failures).toEqual([
      expect.objectContaining({
        location: "s3://no-such-trail-bucket/AWSLogs/",
        reason: expect.stringContaining("NoSuchBucket"),
      }),
    ]);
    expect(result.accountsRead).toEqual([]);
  });
});

/** The delivery stamp putTrailObjects gives a record's file (the end of its 5 minutes). */
function fileStamp(r: CloudTrailRecord): string {
  const delivered = new Date((Math.floor(Date.parse(r.eventTime) / 300_000) + 1) * 300_000).toISOString();
  return `${delivered.slice(0, 4)}${delivered.slice(5, 7)}${delivered.slice(8, 10)}T${delivered.slice(11, 13)}${delivered.slice(14, 16)}Z`;
}

/** Planted for LookupEvents and Lake: 300 events in a1 us-east-1 (6 pages), 30 in a1 eu-west-1, 60 in a2 us-east-1. */
function plantedEvents(a1: string, a2: string, a3: string): CloudTrailRecord[] {
  const spread = (account: string, region: string, count: number, from: number) =>
    Array.from({ length: count }, (_, i) =>
      record(
        account,
        region,
        WINDOW.start.getTime() + ((i + 1) * (WINDOW.end.getTime() - WINDOW.start.getTime())) / (count + 2),
        from + i,
      ),
    );
  return [
    ...spread(a1, "us-east-1", 300, 0),
    ...spread(a1, "eu-west-1", 30, 1000),
    ...spread(a2, "us-east-1", 60, 2000),
    // A denial, for errorsOnly.
    record(a2, "us-east-1", WINDOW.start.getTime() + HOUR, 3000, {
      errorCode: "AccessDenied",
      errorMessage: "explicit deny in a service control policy",
    }),
    // Outside the window, a data event (not in the event history), an account outside the scope.
    record(a1, "us-east-1", WINDOW.start.getTime() - HOUR, 4000),
    record(a1, "us-east-1", WINDOW.start.getTime() + 2 * HOUR, 4001, {
      managementEvent: false,
      eventCategory: "Data",
      readOnly: false,
      eventName: "PutObject",
    }),
    record(a3, "us-east-1", WINDOW.start.getTime() + HOUR, 4002),
  ];
}

describe("LookupEvents through the emulator's stand-in", () => {
  let cloudTrailFor: (account: string, region: string) => CloudTrailClient;
  let planted: CloudTrailRecord[];

  beforeAll(async () => {
    // As the job makes them: one factory, the member role assumed per account; retries as generous
    // as a test on a busy machine needs.
    const factory = new ClientFactory({ region: "us-east-1", endpoint: moto.endpoint, maxAttempts: 12 });
    const assumer = new RoleAssumer({
      factory,
      operatorCredentials: EMULATOR_CREDENTIALS,
      managementAccountId: org.managementAccountId,
    });
    const clients = new AccountClients(factory, assumer);
    cloudTrailFor = (account, region) => clients.get(CloudTrailClient, account, region);
    const [a1, a2, a3] = accounts() as [string, string, string];
    planted = plantedEvents(a1, a2, a3);
    await plantCloudTrailEvents(moto.endpoint, planted);
  });

  const expectedIds = (a1: string, a2: string) =>
    planted
      .filter((r) => [a1, a2].includes(r.recipientAccountId) && inWindow(r) && r.managementEvent !== false)
      .map((r) => r.eventID)
      .sort();

  it("pages each account and region with NextToken, 50 a page, management events of the window only", async () => {
    await plantCloudTrailEvents(moto.endpoint, [], { lookupEventsPerSecond: 0 });
    const [a1, a2] = accounts() as [string, string];
    const before = await cloudTrailStandInState(moto.endpoint);
    const batches: RecordBatch[] = [];
    const source = new LookupEventsSource({ cloudTrailFor, clock: manualClock(WINDOW.end.getTime() + HOUR) });
    const result = await source.read(scope([a1, a2]), (b) => batches.push(b));
    expect(result.failures).toEqual([]);
    expect(ids(batches)).toEqual(expectedIds(a1, a2));
    // a1 us-east-1: 6 pages, a1 eu-west-1: 1, a2 us-east-1: 2 (61 events), a2 eu-west-1: 1 (empty).
    expect(result.requests).toBe(6 + 1 + 2 + 1);
    const after = await cloudTrailStandInState(moto.endpoint);
    expect(after.lookupEventsRequests - before.lookupEventsRequests).toBe(10);
    expect(
      batches.filter((b) => b.account === a1 && b.region === "us-east-1").map((b) => b.records.length),
    ).toEqual([50, 50, 50, 50, 50, 50]);
    // Newest first, as LookupEvents answers.
    const first = batches.find((b) => b.account === a1 && b.region === "us-east-1")
      ?.records as CloudTrailRecord[];
    expect((first[0] as CloudTrailRecord).eventTime >= (first[1] as CloudTrailRecord).eventTime).toBe(true);
  });

  it("throttled past 2 requests per second per account-region: the retries get through, and are counted apart", async () => {
    await plantCloudTrailEvents(moto.endpoint, [], { lookupEventsPerSecond: 2 });
    const [a1, a2] = accounts() as [string, string];
    const before = await cloudTrailStandInState(moto.endpoint);
    const batches: RecordBatch[] = [];
    // No pace of its own: a1 us-east-1's six pages go back to back and meet AWS's quota.
    const source = new LookupEventsSource({
      cloudTrailFor,
      ratePerSecond: 0,
      clock: manualClock(WINDOW.end.getTime() + HOUR),
    });
    const result = await source.read(scope([a1, a2]), (b) => batches.push(b));
    expect(result.failures).toEqual([]);
    expect(ids(batches)).toEqual(expectedIds(a1, a2));
    const after = await cloudTrailStandInState(moto.endpoint);
    const throttled = after.lookupEventsThrottled - before.lookupEventsThrottled;
    expect(throttled).toBeGreaterThan(0);
    expect(after.lookupEventsRequests - before.lookupEventsRequests).toBe(result.requests + throttled);
    expect(result.requests).toBe(10);
  });

  it("an account that cannot be reached is a failure per region, and the others are read", async () => {
    await plantCloudTrailEvents(moto.endpoint, [], { lookupEventsPerSecond: 0 });
    const [a1, a2] = accounts() as [string, string];
    const unreachable = (region: string) =>
      new CloudTrailClient({
        endpoint: "http://127.0.0.1:9",
        region,
        credentials: EMULATOR_CREDENTIALS,
        maxAttempts: 1,
      });
    const source = new LookupEventsSource({
      cloudTrailFor: (account, region) =>
        account === a2 ? unreachable(region) : cloudTrailFor(account, region),
      clock: manualClock(WINDOW.end.getTime()),
    });
    const batches: RecordBatch[] = [];
    const result = await source.read(scope([a1, a2]), (b) => batches.push(b));
    expect(result.failures.map((f) => [f.account, f.region, f.location])).toEqual([
      [a2, "us-east-1", `LookupEvents ${a2} us-east-1`],
      [a2, "eu-west-1", `LookupEvents ${a2} eu-west-1`],
    ]);
    expect(result.failures[0]?.reason).toMatch(/cannot reach the AWS endpoint/);
    expect(result.accountsRead).toEqual([a1]);
    expect(batches.every((b) => b.account === a1)).toBe(true);
  });
});

describe("CloudTrail Lake through the emulator's stand-in", () => {
  const ARN = "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";
  let planted: CloudTrailRecord[];
  const lake = () =>
    new CloudTrailClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: EMULATOR_CREDENTIALS });

  beforeAll(async () => {
    const [a1, a2, a3] = accounts() as [string, string, string];
    planted = plantedEvents(a1, a2, a3);
    await clearCloudTrailEvents(moto.endpoint);
    await plantCloudTrailEvents(moto.endpoint, planted);
  });

  it("one query over the window, accounts and regions; each row rebuilt into the record's fields, data events included", async () => {
    const [a1, a2] = accounts() as [string, string];
    const before = await cloudTrailStandInState(moto.endpoint);
    const batches: RecordBatch[] = [];
    const source = new CloudTrailLakeSource({
      eventDataStoreArn: ARN,
      cloudTrailFor: () => lake(),
      clock: manualClock(),
    });
    const result = await source.read(scope([a1, a2]), (b) => batches.push(b));
    expect(result.failures).toEqual([]);
    const expected = planted.filter((r) => [a1, a2].includes(r.recipientAccountId) && inWindow(r));
    expect(ids(batches)).toEqual(expected.map((r) => r.eventID).sort());
    expect(result.accountsRead).toEqual([a1, a2]);
    const after = await cloudTrailStandInState(moto.endpoint);
    expect(after.lakeQueries - before.lakeQueries).toBe(1);
    // StartQuery, DescribeQuery until FINISHED (QUEUED, RUNNING, FINISHED), one page of results.
    expect(after.lakeRequests - before.lakeRequests).toBe(1 + 3 + 1);
    expect(result.requests).toBe(5);
    const byId = new Map(batches.flatMap((b) => b.records as CloudTrailRecord[]).map((r) => [r.eventID, r]));
    const sample = expected.find((r) => r.eventName === "PutObject") as CloudTrailRecord;
    const read = byId.get(sample.eventID) as Record<string, unknown>;
    const identity = sample.userIdentity as Record<string, Record<string, Record<string, unknown>>>;
    expect(read).toMatchObject({
      eventTime: sample.eventTime,
      eventSource: "s3.amazonaws.com",
      eventName: "PutObject",
      awsRegion: "us-east-1",
      sourceIPAddress: sample.sourceIPAddress,
      readOnly: false,
      managementEvent: false,
      eventCategory: "Data",
      recipientAccountId: a1,
      userIdentity: {
        type: "AssumedRole",
        arn: (sample.userIdentity as Record<string, unknown>).arn,
        sessionContext: {
          sessionIssuer: { arn: identity.sessionContext?.sessionIssuer?.arn },
          attributes: { mfaAuthenticated: identity.sessionContext?.attributes?.mfaAuthenticated },
        },
      },
      resources: [{ ARN: "arn:aws:s3:::bucket-1", type: "AWS::S3::Bucket" }],
    });
    // Access keys are never selected.
    expect((read.userIdentity as Record<string, unknown>).accessKeyId).toBeUndefined();
  });

  it("errorsOnly asks the query for the events that recorded an error", async () => {
    const [a1, a2] = accounts() as [string, string];
    const batches: RecordBatch[] = [];
    const source = new CloudTrailLakeSource({
      eventDataStoreArn: ARN,
      cloudTrailFor: () => lake(),
      clock: manualClock(),
    });
    await source.read(scope([a1, a2], { errorsOnly: true }), (b) => batches.push(b));
    expect(batches.flatMap((b) => b.records)).toEqual([
      expect.objectContaining({ errorCode: "AccessDenied", recipientAccountId: a2 }),
    ]);
  });

  it("the stand-in refuses SQL it does not know with the API's error", async () => {
    await expect(
      lake().send(new StartQueryCommand({ QueryStatement: "DELETE FROM eds" })),
    ).rejects.toMatchObject({
      name: "InvalidQueryStatementException",
    });
  });
});
