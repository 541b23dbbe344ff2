import { readdirSync, readFileSync } from "node:fs";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { CallAggregator } from "./aggregate.js";
import type { ObservedCall, ParsedEvent, RecordedDenial } from "./observed-call.js";
import { parseRecord } from "./parse-record.js";

const ACCOUNT = "111122223333";
const CI = `arn:aws:iam::${ACCOUNT}:user/ci/ci-publisher`;

const call = (eventId: string, eventTime: string, fields: Partial<ObservedCall> = {}): ParsedEvent => ({
  kind: "call",
  call: {
    eventId,
    eventTime,
    account: ACCOUNT,
    principalArn: CI,
    principalKind: "user",
    action: "s3:PutObject",
    region: "eu-west-1",
    mfa: undefined,
    sourceIp: "203.0.113.45",
    viaAwsService: false,
    resource: "arn:aws:s3:::example-release-artifacts/app.zip",
    resourceGuessed: false,
    ...fields,
  },
});
const denial = (message: string): RecordedDenial => ({
  errorCode: "AccessDenied",
  kind: "explicit",
  policyType: "service-control-policy",
  message,
});
const unmapped = (eventSource: string, eventName: string): ParsedEvent => ({
  kind: "skip",
  reason: "no-action-mapped",
  eventSource,
  eventName,
});

describe("CallAggregator", () => {
  it("counts calls per tuple with first and last seen, the three earliest samples and the last denial", () => {
    const aggregator = new CallAggregator();
    // Arrival order is not time order: sources read accounts and regions in parallel.
    aggregator.add(call("e5", "2026-11-03T12:00:00Z"));
    aggregator.add(call("e2", "2026-11-03T09:00:00Z", { denial: denial("first denial") }));
    aggregator.add(call("e9", "2026-11-05T08:00:00Z", { denial: denial("last denial") }));
    aggregator.add(call("e1", "2026-11-03T09:00:00Z"));
    aggregator.add(call("e3", "2026-11-04T10:00:00Z", { denial: denial("middle denial") }));
    expect(aggregator.tuples()).toEqual([
      {
        account: ACCOUNT,
        principalArn: CI,
        principalKind: "user",
        action: "s3:PutObject",
        region: "eu-west-1",
        mfa: undefined,
        sourceIp: "203.0.113.45",
        viaAwsService: false,
        resource: "arn:aws:s3:::example-release-artifacts/app.zip",
        resourceGuessed: false,
        count: 5,
        firstSeen: "2026-11-03T09:00:00Z",
        lastSeen: "2026-11-05T08:00:00Z",
        // The earliest three by time (e1 and e2 tie on time: by id), not the first three to arrive.
        sampleEventIds: ["e1", "e2", "e5"],
        denied: 3,
        lastDenial: denial("last denial"),
      },
    ]);
  });

  it("gives the same tuples whatever order the events arrive in", () => {
    const events = [
      call("a", "2026-11-03T09:00:00Z", { denial: denial("a") }),
      call("b", "2026-11-03T09:00:00Z", { denial: denial("b") }),
      call("c", "2026-11-02T09:00:00Z"),
      call("d", "2026-11-04T09:00:00Z"),
    ];
    const forward = new CallAggregator();
    const backward = new CallAggregator();
    for (const e of events) forward.add(e);
    for (const e of [...events].reverse()) backward.add(e);
    expect(backward.tuples()).toEqual(forward.tuples());
    // A tie on time goes to the larger event id.
    expect(forward.tuples()[0]?.lastDenial?.message).toBe("b");
    expect(forward.tuples()[0]?.sampleEventIds).toEqual(["c", "a", "b"]);
  });

  it("keeps apart calls that differ in any key an SCP can test", () => {
    const aggregator = new CallAggregator();
    const variants: Partial<ObservedCall>[] = [
      {},
      { mfa: true },
      { mfa: false },
      { sourceIp: "198.51.100.1" },
      { sourceIp: undefined, sourceVpce: "vpce-0a1b2c3d4e5f6a7b8" },
      { sourceIp: undefined, viaAwsService: true, invokedBy: "cloudformation.amazonaws.com" },
      { region: "us-east-1" },
      { action: "s3:GetObject" },
      { resource: "arn:aws:s3:::example-release-artifacts/other.zip" },
      { account: "444455556666" },
      { principalArn: `arn:aws:iam::${ACCOUNT}:role/deploy`, principalKind: "role" },
    ];
    variants.forEach((fields, i) => {
      aggregator.add(call(`x${i}`, "2026-11-03T09:00:00Z", fields));
      aggregator.add(call(`y${i}`, "2026-11-03T10:00:00Z", fields));
    });
    const tuples = aggregator.tuples();
    expect(tuples).toHaveLength(variants.length);
    expect(tuples.every((t) => t.count === 2)).toBe(true);
    expect(aggregator.counts()).toMatchObject({ eventsRead: 22, evaluated: 22 });
  });

  it("counts every skip by reason and lists the most frequent unmapped calls", () => {
    const aggregator = new CallAggregator();
    aggregator.add(call("e1", "2026-11-03T09:00:00Z"));
    aggregator.add({ kind: "skip", reason: "service-linked-role" });
    aggregator.add({ kind: "skip", reason: "service-linked-role" });
    aggregator.add({ kind: "skip", reason: "management-account" });
    for (let i = 0; i < 3; i++) aggregator.add(unmapped("gremlins.amazonaws.com", "Feed"));
    aggregator.add(unmapped("ec2.amazonaws.com", "LaunchRocket"));
    aggregator.add(unmapped("acme.amazonaws.com", "Zap"));
    // A skip that lost its names takes them from the caller.
    aggregator.add(
      { kind: "skip", reason: "no-action-mapped" },
      { eventSource: "acme.amazonaws.com", eventName: "Zap" },
    );
    expect(aggregator.counts()).toEqual({
      eventsRead: 10,
      evaluated: 1,
      skipped: {
        "no-action-mapped": 6,
        "needs-no-permission": 0,
        "service-linked-role": 2,
        "aws-service-principal": 0,
        "management-account": 1,
        "not-an-api-call": 0,
        "recorded-for-another-account": 0,
        "no-principal": 0,
        unreadable: 0,
      },
      unmapped: [
        { eventSource: "gremlins.amazonaws.com", eventName: "Feed", count: 3 },
        { eventSource: "acme.amazonaws.com", eventName: "Zap", count: 2 },
        { eventSource: "ec2.amazonaws.com", eventName: "LaunchRocket", count: 1 },
      ],
    });
  });

  it("lists at most 20 unmapped calls", () => {
    const aggregator = new CallAggregator();
    for (let i = 0; i < 25; i++)
      for (let n = 0; n <= i; n++)
        aggregator.add(unmapped("acme.amazonaws.com", `Op${String(i).padStart(2, "0")}`));
    const { unmapped: listed } = aggregator.counts();
    expect(listed).toHaveLength(20);
    expect(listed[0]).toEqual({ eventSource: "acme.amazonaws.com", eventName: "Op24", count: 25 });
    expect(listed.at(-1)).toEqual({ eventSource: "acme.amazonaws.com", eventName: "Op05", count: 6 });
  });

  it("hands out copies: what a caller does with a result does not change the counts", () => {
    const aggregator = new CallAggregator();
    aggregator.add(call("e1", "2026-11-03T09:00:00Z"));
    aggregator.tuples()[0]?.sampleEventIds.push("tampered");
    aggregator.counts().skipped.unreadable = 99;
    expect(aggregator.tuples()[0]?.sampleEventIds).toEqual(["e1"]);
    expect(aggregator.counts().skipped.unreadable).toBe(0);
  });

  it("parses and counts raw records (the fixture corpus) with addRecords", () => {
    const dir = new URL("../../../test/fixtures/cloudtrail/", import.meta.url);
    const records = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")));
    const aggregator = new CallAggregator();
    aggregator.addRecords(records, { managementAccountId: "777788889999" });
    const counts = aggregator.counts();
    expect(counts.eventsRead).toBe(records.length);
    expect(counts.skipped).toMatchObject({
      "service-linked-role": 1,
      "aws-service-principal": 1,
      "management-account": 1,
      "not-an-api-call": 2,
      "recorded-for-another-account": 1,
      "needs-no-permission": 1,
      "no-principal": 1,
      unreadable: 0,
      "no-action-mapped": 0,
    });
    expect(counts.evaluated).toBe(records.length - 8);
    const deploy = aggregator
      .tuples()
      .filter((t) => t.principalArn === "arn:aws:iam::111122223333:role/deploy" && t.denied > 0)
      .map((t) => [t.action, t.region, t.lastDenial?.kind, t.lastDenial?.policyType]);
    expect(deploy).toEqual([
      ["cloudtrail:StopLogging", "eu-west-1", "explicit", "service-control-policy"],
      ["ec2:RunInstances", "ap-southeast-2", "unknown", undefined],
      ["iam:DeleteRole", "us-east-1", "explicit", "service-control-policy"],
    ]);
  });

  it("keeps one copy of each account, ARN, action, region and address: a tuple costs well under 1 KB", () => {
    // Every parsed record brings its own copies of the strings; 10,000 tuples of 5 events each, as a
    // trail's records: 50 accounts, 20 roles, 10 objects, 3 addresses.
    const record = (t: number, e: number) => {
      const account = String(200000000000 + (t % 50));
      const role = `arn:aws:iam::${account}:role/app/workload-${Math.floor(t / 50) % 20}`;
      return JSON.stringify({
        eventTime: `2026-03-0${1 + e}T10:${String(t % 60).padStart(2, "0")}:00Z`,
        eventSource: "s3.amazonaws.com",
        eventName: "PutObject",
        awsRegion: "eu-west-1",
        sourceIPAddress: `203.0.113.${t % 3}`,
        eventID: `3f9c2a7e-5b1d-4c8a-${String(t).padStart(4, "0")}-${String(e).padStart(12, "0")}`,
        eventType: "AwsApiCall",
        userIdentity: {
          type: "AssumedRole",
          accountId: account,
          sessionContext: { sessionIssuer: { arn: role }, attributes: { mfaAuthenticated: "false" } },
        },
        resources: [{ ARN: `arn:aws:s3:::bucket-${account}/key-${Math.floor(t / 1000)}` }],
      });
    };
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = getHeapStatistics().used_heap_size;
    const aggregator = new CallAggregator();
    for (let t = 0; t < 10_000; t++)
      for (let e = 0; e < 5; e++) aggregator.add(parseRecord(JSON.parse(record(t, e)), {}));
    gc();
    const perTuple = (getHeapStatistics().used_heap_size - before) / 10_000;
    expect(aggregator.tuples()).toHaveLength(10_000);
    // With a long key and fresh copies of every string per tuple it was about 1.3 KB.
    expect(perTuple).toBeLessThan(900);
  });
});
