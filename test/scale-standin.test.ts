import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ScaleStandIn, startScaleStandIn } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

// The report's scale machinery, run as a user runs it, against the constant-time stand-in
// (moto's cost per request grows with the organization; the stand-in's does not).
let standIn: ScaleStandIn;
const out = mkdtempSync(join(tmpdir(), "orgwarden-scale-"));
const ACCOUNTS = 150;
// The stand-in suspends one account in 97: those are not assumed into.
const SUSPENDED = Math.floor(ACCOUNTS / 97);

beforeAll(async () => {
  standIn = await startScaleStandIn({ accounts: ACCOUNTS, latencyMs: 10 });
});
afterAll(() => standIn.stop());

const report = (...args: string[]) =>
  runCli(
    [
      "report",
      "--source",
      "check,scp",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      standIn.endpoint,
      ...args,
    ],
    {
      env: { AWS_ACCESS_KEY_ID: "AKIAOPERATORSTANDIN0", AWS_SECRET_ACCESS_KEY: "standin" },
      timeoutMs: 120_000,
    },
  );

interface JsonReport {
  rows: Array<Record<string, string>>;
  summary: unknown;
  shard?: { accounts: string[] };
}
const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as JsonReport;
/** Rows without their evaluation time, which differs from run to run. */
const comparable = (r: JsonReport) => r.rows.map(({ evaluatedAt: _t, ...rest }) => rest);
const logLine = (stderr: string, msg: string) =>
  stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.msg === msg);

describe("report at scale: the walk, the attachments read, worker threads, shards", () => {
  let whole: JsonReport;
  /** API calls by service of the one-thread report. */
  let oneThreadCalls: Record<string, number>;

  it("starts account work while the walk still lists accounts, and lists only orgwarden's SCP targets", async () => {
    standIn.resetCounts();
    const r = await report("--workers", "0", "--out", join(out, "whole.json"), "--log-level", "info");
    expect(r.code, r.stderr).toBe(0);
    whole = read(join(out, "whole.json"));
    expect(new Set(whole.rows.map((x) => x.accountId)).size).toBe(ACCOUNTS + 1);
    // The first AssumeRole came before the walk's last listing call: the work overlapped the walk.
    expect(standIn.timeline.firstAssumeRoleAt).toBeGreaterThan(0);
    expect(standIn.timeline.firstAssumeRoleAt).toBeLessThan(standIn.timeline.lastWalkCallAt);
    // FullAWSAccess targets every OU and account (12 pages of 20 here) and a foreign SCP the root;
    // the report reads only the targets of orgwarden's two policies, one page each.
    expect(standIn.requests.get("organizations.ListTargetsForPolicy")).toBe(2);
    oneThreadCalls = logLine(r.stderr, "report done")?.calls as Record<string, number>;
    // One AssumeRole per active member, and the operator's GetCallerIdentity (its own account).
    expect(oneThreadCalls).toMatchObject({ STS: ACCOUNTS - SUSPENDED + 1 });
    // Alone, this thread keeps the credentials of the members it assumed into (the rows may act as them).
    expect(logLine(r.stderr, "report done")?.credentialsHeld).toBe(ACCOUNTS - SUSPENDED);
  });

  it("--workers 2 evaluates in worker threads and gives the same report and call counts", async () => {
    standIn.resetCounts();
    const r = await report("--workers", "2", "--out", join(out, "workers.json"), "--log-level", "info");
    expect(r.code, r.stderr).toBe(0);
    expect(logLine(r.stderr, "evaluation workers started")?.workers).toBe(2);
    expect(comparable(read(join(out, "workers.json")))).toEqual(comparable(whole));
    // Calls made in the workers are counted in the command's total, once each; and nothing is read
    // twice because there are threads: the organization trails and root-access features are read
    // once by the main thread, so every service's count equals the one-thread report's.
    const calls = logLine(r.stderr, "report done")?.calls as Record<string, number>;
    const served = [...standIn.requests].filter(([k]) => k.startsWith("iam.")).reduce((a, [, n]) => a + n, 0);
    expect(calls.IAM).toBe(served);
    expect(calls).toEqual(oneThreadCalls);
  });

  it("--workers 1: this thread evaluates its share beside the worker, the same report, each account once", async () => {
    standIn.resetCounts();
    const r = await report("--workers", "1", "--out", join(out, "beside.json"), "--log-level", "info");
    expect(r.code, r.stderr).toBe(0);
    expect(logLine(r.stderr, "evaluation workers started")?.workers).toBe(1);
    // Both threads took accounts (the fan-out keeps more in flight than one share), and none twice.
    const shares = logLine(r.stderr, "evaluation workers closed")?.accounts as {
      thisThread: number;
      workers: number;
    };
    expect(shares.thisThread).toBeGreaterThan(0);
    expect(shares.workers).toBeGreaterThan(0);
    expect(shares.thisThread + shares.workers).toBe(ACCOUNTS + 1);
    expect(comparable(read(join(out, "beside.json")))).toEqual(comparable(whole));
    // This thread forgets an account's credentials once evaluated, as a worker does; nothing is
    // assumed twice for it (the calls equal the one-thread report's).
    const done = logLine(r.stderr, "report done");
    expect(done?.credentialsHeld).toBe(0);
    expect(done?.calls).toEqual(oneThreadCalls);
  });

  it("three shards, merged, are the whole report; a missing shard is refused", async () => {
    const files = [1, 2, 3].map((k) => join(out, `shard-${k}.json`));
    const runs = await Promise.all(files.map((f, i) => report("--shard", `${i + 1}/3`, "--out", f)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const counts = files.map((f) => read(f).shard?.accounts.length ?? 0);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(ACCOUNTS + 1);
    const merged = await runCli(["report", "merge", ...files, "--output", "json"]);
    expect(merged.code, merged.stderr).toBe(0);
    const m = JSON.parse(merged.stdout) as JsonReport;
    expect(comparable(m)).toEqual(comparable(whole));
    expect(m.summary).toEqual(whole.summary);
    expect(m.shard).toBeUndefined();

    const missing = await runCli(["report", "merge", files[0] as string, files[2] as string]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing shard 2/3");
    expect(missing.stderr).toContain("--shard 2/3");
  });

  it("a shard writes JSON: another format is refused before any call", async () => {
    standIn.resetCounts();
    const r = await report("--shard", "1/2", "--output", "csv");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--shard writes the JSON that report merge reads");
    expect(standIn.requests.size).toBe(0);
  });
});
