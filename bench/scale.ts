/**
 * The scale benchmark:
 * `pnpm bench [--accounts 1000,5000,20000] [--latency 50] [--concurrency 64[,128]] [--workers N]
 *   [--throttle PCT] [--server-errors PCT] [--profile] [--args="--more --orgwarden --options"]`
 *
 * Times `orgwarden report --source check,scp` (the built CLI, a child process) against the scale
 * stand-in (packages/emulator/src/scale-standin/): a synthetic organization of N member accounts in varied
 * states, answered in constant time per request after a fixed latency, in each service's wire
 * protocol. moto stays the emulator for correctness (`pnpm bench:moto`), but its cost per request
 * grows with the organization, so it cannot measure orgwarden at thousands of accounts.
 *
 * Prints, for each size and concurrency: wall time, orgwarden's CPU (every thread, and per
 * account), calls per account, the walk's time, peak RSS, the latency bound (account calls ×
 * latency / concurrency, plus the walk's critical path) and the ratio to it, and whether the first
 * AssumeRole came before the walk's last listing call, and the requests in flight as the stand-in
 * saw them. With faults, a clean run first and the ratios, where the waiting went (back-offs, paused
 * scopes, each account's span), and whether the two reports have the same rows. With
 * --profile, the 10 functions with the most self time over every thread (the profiler's own cost
 * is in that run's CPU figure).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { WaitSummary } from "@orgwarden/core";
import { startScaleStandIn } from "@orgwarden/emulator";
import { printProfile } from "./cpu-profile-summary.js";
import { printTable, type ReportRun, runReport } from "./report-child.js";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "1000,5000,20000" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "64" },
    regions: { type: "string", default: "us-east-1" },
    throttle: { type: "string", default: "0" },
    "server-errors": { type: "string", default: "0" },
    workers: { type: "string" },
    profile: { type: "boolean", default: false },
    args: { type: "string", default: "" },
  },
});
const sizes = values.accounts.split(",").map(Number);
const concurrencies = values.concurrency.split(",").map(Number);
const latency = Number(values.latency);
// --workers N is passed on to orgwarden (default: its own).
const extraArgs = [
  ...(values.workers !== undefined ? ["--workers", values.workers] : []),
  ...values.args.split(" ").filter(Boolean),
];
const OPERATOR = { accessKeyId: "AKIAOPERATORSTANDIN0", secretAccessKey: "standin" };
const DEPTH = 3;
const FANOUT = 4;
const faults =
  Number(values.throttle) || Number(values["server-errors"])
    ? {
        throttlePct: Number(values.throttle),
        serverErrorPct: Number(values["server-errors"]),
        maxFaultsPerRequest: 2,
      }
    : undefined;

const table: string[] = [];
for (const n of sizes) {
  for (const concurrency of concurrencies) {
    const standIn = await startScaleStandIn({
      accounts: n,
      depth: DEPTH,
      fanout: FANOUT,
      latencyMs: latency,
    });
    const args = ["--concurrency", String(concurrency), "--regions", values.regions, ...extraArgs];
    const served = () => [...standIn.requests.values()].reduce((a, b) => a + b, 0);
    try {
      // With faults, a fault-free run first on the same stand-in: the faulty/clean ratios are printed.
      let clean: { run: ReportRun; requests: number; inFlight: { mean: number; max: number } } | undefined;
      if (faults) {
        const run = await runReport(standIn.endpoint, args, OPERATOR);
        clean = { run, requests: served(), inFlight: standIn.inFlight() };
        console.log(
          `\n== ${n} accounts without faults: ${(run.wallMs / 1000).toFixed(1)} s, ${clean.requests} requests, in flight ${inFlightText(clean.inFlight)} ==`,
        );
        printWaits(run.waits);
        standIn.resetCounts();
        standIn.setFaults(faults);
      }
      console.log(`\n== ${n} accounts, ${latency} ms per request, --concurrency ${concurrency} ==`);
      // The stand-in runs in this process, on the same cores as orgwarden: its CPU is printed too.
      const standInCpu = process.cpuUsage();
      const profileDir = values.profile ? mkdtempSync(join(tmpdir(), "orgwarden-profile-")) : undefined;
      const r = await runReport(standIn.endpoint, args, OPERATOR, { profileDir });
      const totalCalls = Object.values(r.calls).reduce((a, b) => a + b, 0);
      const orgCalls = r.calls.Organizations ?? 0;
      const accountCalls = totalCalls - orgCalls;
      const accounts = r.accounts;
      // The walk's critical path: DescribeOrganization, ListRoots, one page of child OUs per level,
      // then the deepest OU's pages of accounts.
      const perLeaf = Math.ceil(n / FANOUT ** DEPTH);
      const chain = 2 + DEPTH + Math.max(1, Math.ceil(perLeaf / 20));
      const bound = (accountCalls * latency) / concurrency + chain * latency;
      const requests = served();
      const used = process.cpuUsage(standInCpu);
      const standInCpuS = (used.user + used.system) / 1e6;
      const overlap = standIn.timeline.firstAssumeRoleAt < standIn.timeline.lastWalkCallAt;
      const cpuMs = (r.cpuS * 1000) / accounts;
      console.log(
        `wall ${(r.wallMs / 1000).toFixed(1)} s (exit ${r.code}, ${r.rows} rows, ${accounts} accounts); walk ${(r.inventoryMs / 1000).toFixed(1)} s; first AssumeRole ${overlap ? "before" : "after"} the walk's last listing call`,
      );
      console.log(
        `CPU ${r.cpuS.toFixed(1)} s = ${cpuMs.toFixed(1)} ms per account at ${(accountCalls / accounts).toFixed(2)} calls per account (the stand-in, on the same cores: ${standInCpuS.toFixed(1)} s); peak RSS ${r.maxRssMb} MB${values.profile ? " (profiled run: the profiler's cost included)" : ""}`,
      );
      console.log(
        `calls: ${totalCalls} (Organizations ${orgCalls}); HTTP requests served ${requests}, in flight ${inFlightText(standIn.inFlight())}${standIn.injected.size ? `; faults injected ${JSON.stringify(Object.fromEntries(standIn.injected))}` : ""}`,
      );
      console.log(
        `bound ${(bound / 1000).toFixed(1)} s = ${accountCalls} account calls × ${latency} ms / ${concurrency} + walk critical path ${chain} × ${latency} ms; wall / bound = ${(r.wallMs / bound).toFixed(2)}`,
      );
      printWaits(r.waits);
      if (clean) {
        console.log(
          `faulty / clean: wall ${(r.wallMs / clean.run.wallMs).toFixed(2)}×, requests ${(requests / clean.requests).toFixed(2)}×, median account span ${ratio(r.waits?.accountSpanMs.p50, clean.run.waits?.accountSpanMs.p50)}; ${sameRows(clean.run.out, r.out)}`,
        );
      }
      if (profileDir) printProfile(profileDir, 10);
      table.push(
        `| ${n.toLocaleString("en")} | ${concurrency} | ${(r.wallMs / 1000).toFixed(1)} | ${r.cpuS.toFixed(1)} | ${standInCpuS.toFixed(1)} | ${cpuMs.toFixed(1)} | ${(accountCalls / accounts).toFixed(2)} | ${r.maxRssMb} | ${(r.inventoryMs / 1000).toFixed(1)} | ${requests} | ${(bound / 1000).toFixed(1)} | ${(r.wallMs / bound).toFixed(2)} | ${overlap ? "yes" : "no"} |`,
      );
    } finally {
      await standIn.stop();
    }
  }
}
printTable(
  [
    "accounts",
    "concurrency",
    "wall s",
    "orgwarden CPU s",
    "stand-in CPU s",
    "CPU ms/account",
    "calls/account",
    "peak RSS MB",
    "walk s",
    "requests",
    "bound s",
    "wall/bound",
    "walk overlaps",
  ],
  table,
);

/** Where the waiting went: retries and their back-off, paused scopes, and how long an account's calls took. */
function printWaits(w: WaitSummary | undefined): void {
  if (!w) return;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `waits: ${w.retries.throttling} throttling retries (${s(w.backoffMs.throttling)} of back-off), ${w.retries.transient} transient (${s(w.backoffMs.transient)}); ${w.pauses} calls held by a throttled scope (${s(w.pauseMs)}); an account's calls, first to last: median ${s(w.accountSpanMs.p50)}, p90 ${s(w.accountSpanMs.p90)}, max ${s(w.accountSpanMs.max)}`,
  );
}

function ratio(a: number | undefined, b: number | undefined): string {
  return a !== undefined && b ? `${(a / b).toFixed(2)}×` : "n/a";
}

/** Whether two reports have the same rows, but for when each was evaluated. */
function sameRows(aPath: string, bPath: string): string {
  const rows = (path: string) =>
    (JSON.parse(readFileSync(path, "utf8")) as { rows: Array<Record<string, unknown>> }).rows.map(
      ({ evaluatedAt: _at, ...row }) => JSON.stringify(row),
    );
  const a = rows(aPath);
  const b = rows(bPath);
  const differ = a.filter((row, i) => row !== b[i]).length + Math.abs(a.length - b.length);
  return differ === 0
    ? `identical reports (${a.length} rows)`
    : `REPORTS DIFFER: ${differ} of ${a.length} rows`;
}

function inFlightText({ mean, max }: { mean: number; max: number }): string {
  return `${mean.toFixed(1)} on average, at most ${max}`;
}
