/**
 * The emulator benchmark: `pnpm bench:moto [--accounts 1000[,5000]] [--latency 50] [--concurrency 32] [--sample 40]`
 *
 * Seeds moto with N accounts over nested OUs, puts the latency proxy in front of it, times
 * `orgwarden report --source check,scp [--regions R,...]`, and prints wall time, API calls per account by service,
 * peak memory, the ideal time for that latency and concurrency and the ratio, and the speed-up over
 * an account-by-account scan (--concurrency 1, measured on a sample OU and scaled to N).
 */
import { parseArgs } from "node:util";
import { GetAccountSummaryCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  EMULATOR_CREDENTIALS,
  memberCredentials,
  nestedLayout,
  seedOrganization,
  startAwsProxy,
  startMoto,
} from "@orgwarden/emulator";
import pLimit from "p-limit";
import { printTable, runReport } from "./report-child.js";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "1000" },
    large: { type: "boolean", default: false },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string", default: "32" },
    sample: { type: "string", default: "40" },
    regions: { type: "string", default: "us-east-1" },
  },
});
// Regional controls (GuardDuty, the Config recorder) are judged in each of these regions.
const regionList = values.regions.split(",").filter(Boolean);
const sizes = (values.large ? "5000" : values.accounts).split(",").map(Number);
const concurrency = Number(values.concurrency);
const sampleSize = Number(values.sample);

/**
 * Requests per second moto serves for a member account's call. Measured after seeding, with a
 * member's assumed-role keys: moto finds the account of every request by scanning the access keys
 * of all accounts, so its capacity falls as the organization grows.
 */
async function emulatorCapacity(endpoint: string, accountId: string): Promise<number> {
  const credentials = await memberCredentials(endpoint, accountId);
  const iam = new IAMClient({ endpoint, region: "us-east-1", credentials });
  const limit = pLimit(16);
  await iam.send(new GetAccountSummaryCommand({}));
  const n = 400;
  const t = performance.now();
  await Promise.all(Array.from({ length: n }, () => limit(() => iam.send(new GetAccountSummaryCommand({})))));
  iam.destroy();
  return n / ((performance.now() - t) / 1000);
}

/** The Organizations walk's critical path in round trips: pages along the deepest chain, plus DescribeOrganization and ListRoots. */
function walkRoundTrips(layout: Record<string, number>): number {
  const paths = Object.keys(layout);
  const chain = (path: string): number => {
    const children = paths.filter((p) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes("/"));
    const pages = Math.max(1, Math.ceil((layout[path] ?? 0) / 20), Math.ceil(children.length / 20));
    return pages + Math.max(0, ...children.map(chain));
  };
  return 2 + chain("Root");
}

const table: string[] = [];
for (const n of sizes) {
  const moto = await startMoto();
  try {
    const layout = nestedLayout(n - sampleSize, 3);
    layout.ous["Root/Sample"] = sampleSize;
    let t = performance.now();
    const seeded = await seedOrganization(moto.endpoint, layout);
    const capacity = await emulatorCapacity(moto.endpoint, seeded.accounts[0]?.id ?? "");
    console.log(`\n== ${n} accounts (seeded in ${((performance.now() - t) / 1000).toFixed(1)} s) ==`);
    // Each account runs its checks in parallel: about 3.5 requests in flight per account. Keep the
    // emulator under half its measured capacity, raising the latency if needed.
    const inFlight = concurrency * 3.5;
    const minLatency = Math.ceil((inFlight / (capacity * 0.5)) * 1000);
    const latency = Math.max(Number(values.latency), minLatency);
    console.log(
      `emulator: ${capacity.toFixed(0)} req/s measured; latency ${latency} ms` +
        (latency > Number(values.latency)
          ? ` (raised from ${values.latency} ms so ~${inFlight.toFixed(0)} requests in flight stay under half the emulator's capacity)`
          : ""),
    );
    const proxy = await startAwsProxy({ target: moto.endpoint, latencyMs: latency });
    t = performance.now();
    const par = await runReport(
      proxy.endpoint,
      ["--concurrency", String(concurrency), "--regions", regionList.join(",")],
      EMULATOR_CREDENTIALS,
    );
    const totalCalls = Object.values(par.calls).reduce((a, b) => a + b, 0);
    const served = [...proxy.requests.values()].reduce((a, b) => a + b, 0);
    const orgCalls = par.calls.Organizations ?? 0;
    const accounts = par.accounts;
    const perAccount = Object.fromEntries(
      Object.entries(par.calls)
        .filter(([s]) => s !== "Organizations")
        .map(([s, c]) => [s, +(c / accounts).toFixed(2)]),
    );
    const checkCalls = Object.entries(par.operations)
      .filter(
        ([op]) =>
          !op.startsWith("Organizations.") && op !== "STS.AssumeRole" && !/CredentialReport$/.test(op),
      )
      .reduce((a, [, c]) => a + c, 0);
    const critical = walkRoundTrips(layout.ous) * latency;
    const ideal = ((totalCalls - orgCalls) * latency) / concurrency + critical;
    const utilisation = served / (par.wallMs / 1000) / capacity;
    console.log(
      `wall time: ${(par.wallMs / 1000).toFixed(1)} s (exit ${par.code}, ${par.rows} rows; inventory ${(par.inventoryMs / 1000).toFixed(1)} s)`,
    );
    console.log(
      `API calls: ${totalCalls} (${par.attempts} HTTP attempts); Organizations ${orgCalls}; per account:`,
      perAccount,
    );
    console.log(
      `check calls per account (AssumeRole and the credential report aside), ${regionList.length} region${regionList.length === 1 ? "" : "s"} (${regionList.join(" ")}): ${(checkCalls / accounts).toFixed(2)}`,
    );
    console.log(
      `orgwarden CPU: ${par.cpuS.toFixed(1)} s (${(((par.cpuS * 1000) / par.wallMs) * 100).toFixed(0)} % of one core)`,
    );
    console.log(`peak RSS: ${par.maxRssMb} MB (${((par.maxRssMb * 1024) / par.rows).toFixed(1)} KB per row)`);
    console.log(
      `ideal: ${(ideal / 1000).toFixed(1)} s = ${totalCalls - orgCalls} account calls × ${latency} ms / ${concurrency} + walk critical path ${(critical / 1000).toFixed(2)} s; measured / ideal = ${(par.wallMs / ideal).toFixed(2)}`,
    );
    console.log(`emulator load during the run: ${(utilisation * 100).toFixed(0)} % of its capacity`);
    const ser = await runReport(
      proxy.endpoint,
      ["--concurrency", "1", "--regions", regionList.join(","), "--ou", await sampleOu(moto.endpoint)],
      EMULATOR_CREDENTIALS,
    );
    const perAccountSerial = (ser.wallMs - ser.inventoryMs) / sampleSize;
    const serialEstimate = ser.inventoryMs + perAccountSerial * n;
    const speedup = serialEstimate / par.wallMs;
    console.log(
      `--concurrency 1: ${(perAccountSerial / 1000).toFixed(2)} s per account (measured on ${sampleSize} accounts) → ${(serialEstimate / 1000).toFixed(0)} s for ${n}; speed-up ${speedup.toFixed(1)}×`,
    );
    table.push(
      `| ${n} | ${latency} | ${concurrency} | ${(par.wallMs / 1000).toFixed(1)} | ${(ideal / 1000).toFixed(1)} | ${(par.wallMs / ideal).toFixed(2)} | ${(checkCalls / accounts).toFixed(2)} | ${(totalCalls / accounts).toFixed(2)} | ${(serialEstimate / 1000).toFixed(0)} | ${speedup.toFixed(1)}× | ${par.maxRssMb} | ${(utilisation * 100).toFixed(0)} % |`,
    );
    await proxy.stop();
  } finally {
    await moto.stop();
  }
}
printTable(
  [
    "accounts",
    "latency ms",
    "concurrency",
    "wall s",
    "ideal s",
    "ratio",
    "check calls/account",
    "all calls/account",
    "serial s (est.)",
    "speed-up",
    "peak RSS MB",
    "emulator load",
  ],
  table,
);

async function sampleOu(endpoint: string): Promise<string> {
  const { OrganizationsClient, ListRootsCommand, ListOrganizationalUnitsForParentCommand } = await import(
    "@aws-sdk/client-organizations"
  );
  const org = new OrganizationsClient({ endpoint, region: "us-east-1", credentials: EMULATOR_CREDENTIALS });
  const root = (await org.send(new ListRootsCommand({}))).Roots?.[0]?.Id;
  const ous = await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: root }));
  org.destroy();
  return ous.OrganizationalUnits?.find((o) => o.Name === "Sample")?.Id ?? "";
}
