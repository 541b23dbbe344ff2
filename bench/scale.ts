/**
 * The scale benchmark:
 * `pnpm bench [--accounts 1000,5000[,20000]] [--latency 50] [--concurrency 64] [--workers N]
 *   [--throttle PCT] [--server-errors PCT] [--args="--more --orgwarden --options"]`
 *
 * Times `orgwarden report --source check,scp` (the built CLI, a child process) against the scale
 * stand-in (packages/emulator/src/scale-standin/): a synthetic organization of N member accounts in varied
 * states, answered in constant time per request after a fixed latency, in each service's wire
 * protocol. moto stays the emulator for correctness (`pnpm bench:moto`), but its cost per request
 * grows with the organization, so it cannot measure orgwarden at thousands of accounts.
 *
 * Prints wall time, orgwarden's CPU (and per account), peak RSS, the walk's time, calls per account,
 * the latency bound (account calls × latency / concurrency, plus the walk's critical path) and the
 * ratio to it, and whether the first AssumeRole came before the walk's last listing call.
 */
import { parseArgs } from "node:util";
import { startScaleStandIn } from "@orgwarden/emulator";
import { printTable, runReport } from "./report-child.js";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "1000,5000" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "64" },
    regions: { type: "string", default: "us-east-1" },
    throttle: { type: "string", default: "0" },
    "server-errors": { type: "string", default: "0" },
    workers: { type: "string" },
    args: { type: "string", default: "" },
  },
});
const sizes = values.accounts.split(",").map(Number);
const latency = Number(values.latency);
const concurrency = Number(values.concurrency);
// --workers N is passed on to orgwarden (default: its own, one per core past 200 accounts).
const extraArgs = [
  ...(values.workers !== undefined ? ["--workers", values.workers] : []),
  ...values.args.split(" ").filter(Boolean),
];
const OPERATOR = { accessKeyId: "AKIAOPERATORSTANDIN0", secretAccessKey: "standin" };
const DEPTH = 3;
const FANOUT = 4;

const table: string[] = [];
for (const n of sizes) {
  const faults =
    Number(values.throttle) || Number(values["server-errors"])
      ? {
          throttlePct: Number(values.throttle),
          serverErrorPct: Number(values["server-errors"]),
          maxFaultsPerRequest: 2,
        }
      : undefined;
  const standIn = await startScaleStandIn({
    accounts: n,
    depth: DEPTH,
    fanout: FANOUT,
    latencyMs: latency,
  });
  // With faults, a fault-free run first on the same stand-in: the faulty/clean ratios are printed.
  let clean: { wallMs: number; requests: number } | undefined;
  if (faults) {
    const c = await runReport(
      standIn.endpoint,
      ["--concurrency", String(concurrency), "--regions", values.regions, ...extraArgs],
      OPERATOR,
    );
    clean = { wallMs: c.wallMs, requests: [...standIn.requests.values()].reduce((a, b) => a + b, 0) };
    console.log(
      `\n== ${n} accounts without faults: ${(c.wallMs / 1000).toFixed(1)} s, ${clean.requests} requests ==`,
    );
    standIn.resetCounts();
    standIn.setFaults(faults);
  }
  try {
    console.log(`\n== ${n} accounts, ${latency} ms per request, --concurrency ${concurrency} ==`);
    // The stand-in runs in this process, on the same cores as orgwarden: its CPU is printed too.
    const standInCpu = process.cpuUsage();
    const r = await runReport(
      standIn.endpoint,
      ["--concurrency", String(concurrency), "--regions", values.regions, ...extraArgs],
      OPERATOR,
    );
    const totalCalls = Object.values(r.calls).reduce((a, b) => a + b, 0);
    const orgCalls = r.calls.Organizations ?? 0;
    const accountCalls = totalCalls - orgCalls;
    const accounts = r.accounts;
    // The walk's critical path: DescribeOrganization, ListRoots, one page of child OUs per level,
    // then the deepest OU's pages of accounts.
    const perLeaf = Math.ceil(n / FANOUT ** DEPTH);
    const chain = 2 + DEPTH + Math.max(1, Math.ceil(perLeaf / 20));
    const bound = (accountCalls * latency) / concurrency + chain * latency;
    const requests = [...standIn.requests.values()].reduce((a, b) => a + b, 0);
    const used = process.cpuUsage(standInCpu);
    const standInCpuS = (used.user + used.system) / 1e6;
    const overlap = standIn.timeline.firstAssumeRoleAt < standIn.timeline.lastWalkCallAt;
    console.log(
      `wall ${(r.wallMs / 1000).toFixed(1)} s (exit ${r.code}, ${r.rows} rows, ${accounts} accounts); walk ${(r.inventoryMs / 1000).toFixed(1)} s; first AssumeRole ${overlap ? "before" : "after"} the walk's last listing call`,
    );
    console.log(
      `CPU ${r.cpuS.toFixed(1)} s = ${((r.cpuS * 1000) / accounts).toFixed(1)} ms per account (the stand-in, on the same cores: ${standInCpuS.toFixed(1)} s); peak RSS ${r.maxRssMb} MB`,
    );
    console.log(
      `calls: ${totalCalls} (${(accountCalls / accounts).toFixed(2)} per account, Organizations ${orgCalls}); HTTP requests served ${requests}${standIn.injected.size ? `; faults injected ${JSON.stringify(Object.fromEntries(standIn.injected))}` : ""}`,
    );
    console.log(
      `bound ${(bound / 1000).toFixed(1)} s = ${accountCalls} account calls × ${latency} ms / ${concurrency} + walk critical path ${chain} × ${latency} ms; wall / bound = ${(r.wallMs / bound).toFixed(2)}`,
    );
    if (clean)
      console.log(
        `faulty / clean: wall ${(r.wallMs / clean.wallMs).toFixed(2)}×, requests ${(requests / clean.requests).toFixed(2)}×`,
      );
    table.push(
      `| ${n.toLocaleString("en")} | ${concurrency} | ${(r.wallMs / 1000).toFixed(1)} | ${r.cpuS.toFixed(1)} | ${standInCpuS.toFixed(1)} | ${((r.cpuS * 1000) / accounts).toFixed(1)} | ${r.maxRssMb} | ${(r.inventoryMs / 1000).toFixed(1)} | ${(accountCalls / accounts).toFixed(2)} | ${requests} | ${(bound / 1000).toFixed(1)} | ${(r.wallMs / bound).toFixed(2)} | ${overlap ? "yes" : "no"} |`,
    );
  } finally {
    await standIn.stop();
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
    "peak RSS MB",
    "walk s",
    "calls/account",
    "requests",
    "bound s",
    "wall/bound",
    "walk overlaps",
  ],
  table,
);
