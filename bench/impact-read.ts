// Reading recorded activity at an organization's scale. Run: pnpm bench:impact [--events 1000000]
//   [--accounts 500] [--regions us-east-1,eu-west-1] [--days 7] [--file-events 50] [--concurrency 16]
//   [--standin process|inline] [--lookup-account-regions 20] [--lookup-events 300]
//   [--lookup-latency-ms 100]
//
// 1. S3: the organization trail of N accounts (bench/synthetic-trail.ts), gzipped in memory before
//    the clock starts and served by an S3 stand-in (bench/s3-standin.ts) in a process of its own
//    (bench/trail-standin-process.ts; --standin inline: in this one), read by the S3 source through
//    the real SDK; each batch goes to @orgwarden/activity's CallAggregator when the package exports
//    it, else to a counter that keys each event by (account, principal, action, region, MFA,
//    address, endpoint) without JSON.stringify. Prints events, events/s, distinct tuples, wall, CPU
//    (this process's, and the stand-in's), peak RSS (this process's), files, requests.
// 2. LookupEvents: the emulator's CloudTrail stand-in (2 requests per second per account and region,
//    ThrottlingException past it) holding E events in each of K account-regions, read by the
//    LookupEvents source: the time against the rate bound (pages / 2 per second, account-regions in
//    parallel) and the ratio.
import { fork } from "node:child_process";
import { once } from "node:events";
import { Agent, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { S3Client } from "@aws-sdk/client-s3";
import * as activity from "@orgwarden/activity";
import { LookupEventsSource, type RecordBatch, S3TrailSource } from "@orgwarden/activity";
import { cloudTrailStandIn, cloudTrailStandInState, plantCloudTrailEvents } from "@orgwarden/emulator";
import { startS3StandIn } from "./s3-standin.js";
import { buildTrail, type TrailShape } from "./synthetic-trail.js";

// The SDK's notice about Node versions would interleave with the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "1000000" },
    accounts: { type: "string", default: "500" },
    regions: { type: "string", default: "us-east-1,eu-west-1" },
    days: { type: "string", default: "7" },
    "file-events": { type: "string", default: "50" },
    concurrency: { type: "string", default: "16" },
    standin: { type: "string", default: "process" },
    "lookup-account-regions": { type: "string", default: "20" },
    "lookup-events": { type: "string", default: "300" },
    "lookup-latency-ms": { type: "string", default: "100" },
  },
});
const ORG = "o-bench12345";
const BUCKET = "org-trail-bench";
const START = new Date("2026-03-01T00:00:00Z");
const accounts = Array.from({ length: Number(values.accounts) }, (_, i) => String(200000000000 + i));
const regions = values.regions.split(",");
const days = Number(values.days);
const credentials = { accessKeyId: "AKIABENCH", secretAccessKey: "bench" };
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

interface ServedTrail {
  endpoint: string;
  files: number;
  jsonBytes: number;
  gzippedBytes: number;
  inline: boolean;
  stats(): Promise<{ requests: number; cpuS: number }>;
  stop(): Promise<void>;
}

/** The synthetic trail behind an S3 stand-in: in a process of its own (default), or in this one (--standin inline). */
async function serveTrail(shape: TrailShape): Promise<ServedTrail> {
  if (values.standin === "inline") {
    const trail = await buildTrail(shape);
    const standIn = await startS3StandIn(BUCKET, trail.objects);
    return {
      endpoint: standIn.endpoint,
      files: trail.objects.size,
      jsonBytes: trail.jsonBytes,
      gzippedBytes: [...trail.objects.values()].reduce((a, b) => a + b.length, 0),
      inline: true,
      stats: async () => ({ requests: standIn.requests(), cpuS: 0 }),
      stop: standIn.stop,
    };
  }
  const child = fork(
    fileURLToPath(new URL("./trail-standin-process.ts", import.meta.url)),
    [JSON.stringify({ ...shape, bucket: BUCKET })],
    { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      child.once("message", (m) => resolve(m as T));
      child.once("exit", (code) => reject(new Error(`the S3 stand-in's process exited (${code})`)));
    });
  const ready = await next<{ endpoint: string; files: number; jsonBytes: number; gzippedBytes: number }>();
  return {
    endpoint: ready.endpoint,
    files: ready.files,
    jsonBytes: ready.jsonBytes,
    gzippedBytes: ready.gzippedBytes,
    inline: false,
    stats: async () => {
      const answer = next<{ requests: number; cpuS: number }>();
      child.send("stats");
      return answer;
    },
    stop: async () => {
      child.send("stop");
      await once(child, "exit");
    },
  };
}

/** The fields the counter keys an event by. */
interface RawEvent {
  userIdentity?: {
    accountId?: string;
    arn?: string;
    sessionContext?: { sessionIssuer?: { arn?: string }; attributes?: { mfaAuthenticated?: string } };
  };
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  vpcEndpointId?: string;
}

/** Where each batch goes: the parser and aggregator when the package has them, a counter until then. */
function callSink(): { add(batch: RecordBatch): void; tuples(): number; label: string } {
  // CallAggregator's shape (packages/activity/src/aggregate.ts); looked up by name so that the bench
  // runs before the package exports it.
  const Aggregator = (activity as Record<string, unknown>).CallAggregator as
    | (new () => {
        addRecords(records: readonly unknown[], options: { managementAccountId?: string }): void;
        tuples(): unknown[];
      })
    | undefined;
  if (Aggregator) {
    const aggregator = new Aggregator();
    return {
      add: (b) => aggregator.addRecords(b.records, {}),
      tuples: () => aggregator.tuples().length,
      label: "CallAggregator (each record parsed and counted per tuple)",
    };
  }
  const seen = new Set<string>();
  return {
    add(batch) {
      for (const raw of batch.records) {
        const r = raw as RawEvent;
        const id = r.userIdentity ?? {};
        const principal = id.sessionContext?.sessionIssuer?.arn ?? id.arn;
        const mfa = id.sessionContext?.attributes?.mfaAuthenticated;
        seen.add(
          `${id.accountId}|${principal}|${r.eventSource}:${r.eventName}|${r.awsRegion}|${mfa}|${r.vpcEndpointId ?? r.sourceIPAddress}`,
        );
      }
    },
    tuples: () => seen.size,
    label: "a counter (no CallAggregator exported yet: tuples keyed without the parser)",
  };
}

async function benchS3(): Promise<void> {
  console.log(
    `\n== S3: ${Number(values.events).toLocaleString("en")} events, ${accounts.length} accounts × ${regions.length} regions × ${days} days, ${values["file-events"]} events a file ==`,
  );
  const g0 = performance.now();
  const trail = await serveTrail({
    organizationId: ORG,
    accounts,
    regions,
    start: START,
    days,
    events: Number(values.events),
    fileEvents: Number(values["file-events"]),
  });
  console.log(
    `generated in ${((performance.now() - g0) / 1000).toFixed(1)} s (not timed): ${trail.files} files, ${mb(trail.jsonBytes)} MB of JSON (${(trail.jsonBytes / Number(values.events)).toFixed(0)} bytes an event), ${mb(trail.gzippedBytes)} MB gzipped, held in memory ${trail.inline ? "in this process" : "by the stand-in's own process"}; RSS now ${mb(process.memoryUsage().rss)} MB`,
  );
  // The generation's garbage collected before the clock starts (pnpm bench:impact runs with --expose-gc).
  (globalThis as { gc?: () => void }).gc?.();
  const standIn = trail;
  const s3 = new S3Client({
    endpoint: standIn.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
    // As core's ClientFactory makes every client: the middleware stack resolved once per command.
    cacheMiddleware: true,
  });
  const sink = callSink();
  let events = 0;
  const concurrency = Number(values.concurrency);
  const source = new S3TrailSource({
    s3,
    bucket: BUCKET,
    prefix: "",
    listConcurrency: concurrency,
    getConcurrency: concurrency,
  });
  const cpu0 = process.cpuUsage();
  const standInCpu0 = (await standIn.stats()).cpuS;
  const t0 = performance.now();
  const result = await source.read(
    {
      organizationId: ORG,
      accounts,
      regions,
      window: { start: START, end: new Date(START.getTime() + days * 86_400_000 - 1000) },
    },
    (batch) => {
      events += batch.records.length;
      sink.add(batch);
    },
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const tuples = sink.tuples();
  const served = await standIn.stats();
  await standIn.stop();
  s3.destroy();
  console.log(`handed to: ${sink.label}`);
  console.log(
    `events ${events.toLocaleString("en")} in ${wall.toFixed(1)} s = ${Math.round(events / wall).toLocaleString("en")} events/s; distinct tuples ${tuples.toLocaleString("en")}`,
  );
  console.log(
    trail.inline
      ? `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (reader and stand-in); peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB (the ${mb(trail.gzippedBytes)} MB trail and the generation included)`
      : `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (the stand-in's process: ${(served.cpuS - standInCpu0).toFixed(1)} s); peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
  );
  console.log(
    `files ${trail.files}; requests ${result.requests} (stand-in served ${served.requests}); failures ${result.failures.length}; accounts read ${result.accountsRead.length}`,
  );
}

async function benchLookupEvents(): Promise<void> {
  const pairs = Number(values["lookup-account-regions"]);
  const perPair = Number(values["lookup-events"]);
  const latency = Number(values["lookup-latency-ms"]);
  const pairCount = Math.ceil(pairs / regions.length) * regions.length;
  console.log(
    `\n== LookupEvents: ${pairCount} account-regions × ${perPair} events, ${latency} ms per request ==`,
  );
  const standIn = cloudTrailStandIn();
  // The caller's account is its access key's: BENCH<account id>.
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (req.url?.startsWith("/orgwarden-standin/cloudtrail-events"))
      return void standIn.control(req.method ?? "GET", body, res);
    await new Promise((r) => setTimeout(r, latency));
    const m = /Credential=BENCH(\d{12})\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization));
    const target = String(req.headers["x-amz-target"] ?? "");
    const account = m?.[1] ?? "";
    await standIn.handle(
      target.slice(target.lastIndexOf(".") + 1),
      body,
      { account: async () => account, region: m?.[2] ?? "" },
      res,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const lookupAccounts = Array.from({ length: Math.ceil(pairs / regions.length) }, (_, i) =>
    String(300000000000 + i),
  );
  // Within the last 90 days of the wall clock, which the pace runs on.
  const end = new Date(Date.now() - 3_600_000);
  const window = { start: new Date(end.getTime() - 86_400_000), end };
  const records = lookupAccounts.flatMap((account) =>
    regions.flatMap((region) =>
      Array.from({ length: perPair }, (_, i) => ({
        eventID: `${account}-${region}-${i}`,
        eventTime: `${new Date(window.start.getTime() + (i + 1) * 60_000).toISOString().slice(0, 19)}Z`,
        eventSource: "ec2.amazonaws.com",
        eventName: "DescribeInstances",
        awsRegion: region,
        recipientAccountId: account,
        userIdentity: {
          type: "AssumedRole",
          accountId: account,
          arn: `arn:aws:sts::${account}:assumed-role/ci/s`,
        },
      })),
    ),
  );
  await plantCloudTrailEvents(endpoint, records);
  const clients = new Map<string, CloudTrailClient>();
  const cloudTrailFor = (account: string, region: string) => {
    const key = `${account}/${region}`;
    let c = clients.get(key);
    if (!c) {
      c = new CloudTrailClient({
        endpoint,
        region,
        credentials: { accessKeyId: `BENCH${account}`, secretAccessKey: "bench" },
      });
      clients.set(key, c);
    }
    return c;
  };
  const count = lookupAccounts.length * regions.length;
  const source = new LookupEventsSource({ cloudTrailFor, concurrency: count });
  let events = 0;
  const t0 = performance.now();
  const result = await source.read(
    { organizationId: ORG, accounts: lookupAccounts, regions, window },
    (b) => {
      events += b.records.length;
    },
  );
  const wall = (performance.now() - t0) / 1000;
  const requests = result.requests;
  const pages = Math.ceil(perPair / 50);
  const bound = pages / 2;
  const state = await cloudTrailStandInState(endpoint);
  for (const c of clients.values()) c.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  console.log(
    `events ${events.toLocaleString("en")}; requests ${requests} (${pages} pages per account-region), throttled ${state.lookupEventsThrottled}; failures ${result.failures.length}`,
  );
  console.log(
    `wall ${wall.toFixed(2)} s; bound ${bound.toFixed(2)} s = ${pages} pages / 2 per second (account-regions in parallel); wall / bound = ${(wall / bound).toFixed(2)}`,
  );
}

await benchS3();
await benchLookupEvents();
