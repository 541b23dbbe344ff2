import {
  CloudTrailClient,
  LookupEventsCommand,
  type LookupEventsCommandInput,
} from "@aws-sdk/client-cloudtrail";
import { manualClock } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { RecordBatch } from "./event-source.js";
import { LookupEventsSource } from "./lookup-events-source.js";

// LookupEvents is paced per account and region on the source's clock, never on the wall clock:
// each request is stamped with the manual clock's time when it is sent.
const NOW = Date.parse("2026-06-01T00:00:00Z");
const DAY = 86_400_000;
const WINDOW = { start: new Date(NOW - 14 * DAY), end: new Date(NOW) };
const mock = mockClient(CloudTrailClient);
afterEach(() => mock.reset());

/** One client per (account, region), and the requests each received, with the clock's time. */
function clients(clock: { now(): number }, events: Record<string, number>, fail: Record<string, Error> = {}) {
  const byClient = new Map<CloudTrailClient, string>();
  const sent: { key: string; at: number; input: LookupEventsCommandInput }[] = [];
  mock
    .on(LookupEventsCommand)
    .callsFake((input: LookupEventsCommandInput, getClient: () => CloudTrailClient) => {
      const key = byClient.get(getClient()) as string;
      sent.push({ key, at: clock.now(), input });
      if (fail[key]) throw fail[key];
      const total = events[key] ?? 0;
      const offset = Number(input.NextToken ?? 0);
      const size = Math.min(input.MaxResults ?? 50, total - offset);
      return {
        Events: Array.from({ length: size }, (_, i) => ({
          EventId: `e${offset + i}`,
          CloudTrailEvent: JSON.stringify({
            eventID: `${key}/${offset + i}`,
            errorCode: i % 2 ? "AccessDenied" : undefined,
          }),
        })),
        ...(offset + size < total ? { NextToken: String(offset + size) } : {}),
      };
    });
  const cloudTrailFor = (account: string, region: string) => {
    const client = new CloudTrailClient({ region, credentials: { accessKeyId: "a", secretAccessKey: "s" } });
    byClient.set(client, `${account}/${region}`);
    return client;
  };
  return { cloudTrailFor, sent };
}

describe("LookupEventsSource", () => {
  it("pages every account and region with NextToken, 50 a page, each account-region at 2 requests per second from its own bucket", async () => {
    const clock = manualClock(NOW);
    const { cloudTrailFor, sent } = clients(clock, {
      "111/us-east-1": 120,
      "111/eu-west-1": 30,
      "222/us-east-1": 101,
    });
    const source = new LookupEventsSource({ cloudTrailFor, clock });
    const batches: RecordBatch[] = [];
    const result = await source.read(
      {
        organizationId: "o-x",
        accounts: ["111", "222"],
        regions: ["us-east-1", "eu-west-1"],
        window: WINDOW,
      },
      (b) => batches.push(b),
    );
    expect(result.failures).toEqual([]);
    expect(result.records).toBe(251);
    expect(result.requests).toBe(3 + 1 + 3 + 1);
    expect(result.accountsRead).toEqual(["111", "222"]);
    expect(result.regionsRead).toEqual(["us-east-1", "eu-west-1"]);
    expect(result.notes).toEqual([]);
    expect(batches.map((b) => `${b.account}/${b.region}:${b.records.length}`).sort()).toEqual(
      [
        "111/eu-west-1:30",
        "111/us-east-1:50",
        "111/us-east-1:50",
        "111/us-east-1:20",
        "222/us-east-1:50",
        "222/us-east-1:50",
        "222/us-east-1:1",
      ].sort(),
    );
    for (const s of sent) {
      expect(s.input.StartTime).toEqual(WINDOW.start);
      expect(s.input.EndTime).toEqual(WINDOW.end);
      expect(s.input.MaxResults).toBe(50);
    }
    const times = (key: string) => sent.filter((s) => s.key === key).map((s) => s.at - NOW);
    // The first request of every account-region goes at once (side by side), the next ones 500 ms apart.
    for (const key of ["111/us-east-1", "111/eu-west-1", "222/us-east-1", "222/eu-west-1"])
      expect(times(key)[0]).toBe(0);
    for (const key of ["111/us-east-1", "222/us-east-1"]) {
      const t = times(key);
      for (let i = 1; i < t.length; i++)
        expect((t[i] as number) - (t[i - 1] as number)).toBeGreaterThanOrEqual(500);
    }
  });

  it("errorsOnly hands over only the events that recorded an error", async () => {
    const clock = manualClock(NOW);
    const { cloudTrailFor } = clients(clock, { "111/us-east-1": 10 });
    const result = await new LookupEventsSource({ cloudTrailFor, clock }).read(
      { organizationId: "o-x", accounts: ["111"], regions: ["us-east-1"], window: WINDOW, errorsOnly: true },
      () => {},
    );
    expect(result.records).toBe(5);
  });

  it("a window older than 90 days is clipped with a note that names the S3 source", async () => {
    const clock = manualClock(NOW);
    const { cloudTrailFor, sent } = clients(clock, { "111/us-east-1": 3 });
    const source = new LookupEventsSource({ cloudTrailFor, clock });
    const scope = { organizationId: "o-x", accounts: ["111"], regions: ["us-east-1"] };
    const clipped = await source.read(
      { ...scope, window: { start: new Date(NOW - 120 * DAY), end: WINDOW.end } },
      () => {},
    );
    expect(clipped.window.start).toEqual(new Date(NOW - 90 * DAY));
    expect(sent[0]?.input.StartTime).toEqual(new Date(NOW - 90 * DAY));
    expect(clipped.notes).toEqual([
      "LookupEvents reaches back 90 days: read from 2026-03-03 00:00 UTC, not from 2026-02-01 00:00; --source s3://BUCKET/PREFIX reads the organization trail's log files at any age",
    ]);
    const before = sent.length;
    const none = await source.read(
      { ...scope, window: { start: new Date(NOW - 200 * DAY), end: new Date(NOW - 100 * DAY) } },
      () => {},
    );
    expect(sent.length).toBe(before);
    expect(none.records).toBe(0);
    expect(none.notes[0]).toMatch(
      /the whole window .* is older, nothing was read; --source s3:\/\/BUCKET\/PREFIX/,
    );
  });

  it("a failed region, and an account whose role cannot be assumed, are failures; the rest is read", async () => {
    const clock = manualClock(NOW);
    const denied = Object.assign(new Error("User is not authorized to perform: cloudtrail:LookupEvents"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    const { OrgwardenError } = await import("@orgwarden/core");
    const noRole = new OrgwardenError(
      "ASSUME_ROLE_FAILED",
      "cannot assume arn:aws:iam::333:role/OrganizationAccountAccessRole",
      {
        hint: "Check the role's trust policy.",
      },
    );
    const { cloudTrailFor } = clients(
      clock,
      { "111/us-east-1": 60 },
      { "111/eu-west-1": denied, "333/us-east-1": noRole, "333/eu-west-1": noRole },
    );
    const result = await new LookupEventsSource({ cloudTrailFor, clock, concurrency: 1 }).read(
      {
        organizationId: "o-x",
        accounts: ["111", "333"],
        regions: ["us-east-1", "eu-west-1"],
        window: WINDOW,
      },
      () => {},
    );
    expect(result.records).toBe(60);
    expect(result.accountsRead).toEqual(["111"]);
    expect(result.regionsRead).toEqual(["us-east-1"]);
    expect(result.failures).toEqual([
      {
        account: "111",
        region: "eu-west-1",
        location: "LookupEvents 111 eu-west-1",
        reason:
          "CloudTrail: AccessDeniedException: User is not authorized to perform: cloudtrail:LookupEvents",
        hint: expect.stringContaining("docs/permissions"),
      },
      {
        account: "333",
        location: "LookupEvents 333 (every region)",
        reason: "cannot assume arn:aws:iam::333:role/OrganizationAccountAccessRole",
        hint: "Check the role's trust policy.",
      },
    ]);
  });

  it("a region an account has not enabled is a note when its other regions answered; an account no region knows is a failure", async () => {
    const clock = manualClock(NOW);
    const unknownToken = () =>
      Object.assign(new Error("The security token included in the request is invalid."), {
        name: "UnrecognizedClientException",
        $metadata: { httpStatusCode: 400 },
      });
    const { cloudTrailFor, sent } = clients(
      clock,
      { "111/us-east-1": 3, "111/eu-west-1": 2, "222/us-east-1": 4 },
      {
        "111/eu-south-2": unknownToken(),
        "222/eu-south-2": unknownToken(),
        "333/us-east-1": unknownToken(),
        "333/eu-west-1": unknownToken(),
        "333/eu-south-2": unknownToken(),
      },
    );
    const result = await new LookupEventsSource({ cloudTrailFor, clock }).read(
      {
        organizationId: "o-x",
        accounts: ["111", "222", "333"],
        regions: ["us-east-1", "eu-west-1", "eu-south-2"],
        window: WINDOW,
      },
      () => {},
    );
    // Every region of every account was asked: a rejection does not stop the account's other regions.
    expect(new Set(sent.map((s) => s.key)).size).toBe(9);
    expect(result.records).toBe(9);
    expect(result.accountsRead).toEqual(["111", "222"]);
    expect(result.regionsRead).toEqual(["us-east-1", "eu-west-1"]);
    expect(result.notes).toEqual([
      "eu-south-2 is not enabled in 2 accounts (111, 222): LookupEvents answered UnrecognizedClientException there while the account's other regions answered; nothing can be called in a region an account has not enabled, so there is nothing to read",
    ]);
    expect(result.failures).toEqual([
      {
        account: "333",
        location: "LookupEvents 333 (every region)",
        reason:
          "CloudTrail: UnrecognizedClientException: The security token included in the request is invalid.",
        hint: expect.stringContaining("credentials"),
      },
    ]);
  });
});
