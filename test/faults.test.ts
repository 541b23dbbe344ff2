import { type AwsProxy, nestedLayout, startAwsProxy } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { byName, snapshotScps } from "./support/org-snapshot.js";
import { runCli } from "./support/run-cli.js";

let proxy: AwsProxy;
let baseline: string[];
/** HTTP requests the fault-free report made. */
let cleanRequests = 0;
const served = () => [...proxy.requests.values()].reduce((a, b) => a + b, 0);

/** The report's rows without the evaluation time, which differs between runs. */
function rows(csv: string): string[] {
  return (
    csv
      .split("\r\n")
      .filter(Boolean)
      // evaluated_at (the tenth column) is the only cell that differs between runs.
      .map((l) => l.replace(/,\d{4}-\d{2}-\d{2}T[\d:.]+Z(?=,)/, ","))
  );
}

function report(...extra: string[]) {
  return runCli([
    "report",
    "--regions",
    "us-east-1",
    "--endpoint-url",
    proxy.endpoint,
    "--source",
    "check,scp",
    "--output",
    "csv",
    "--concurrency",
    "12",
    ...extra,
  ]);
}

const { moto, org } = useEmulatorOrg(nestedLayout(60, 3, 2));
beforeAll(async () => {
  proxy = await startAwsProxy({ target: moto.endpoint, seed: 7 });
  const res = await report();
  expect(res.code).toBe(0);
  baseline = rows(res.stdout);
  cleanRequests = served();
  expect(baseline).toHaveLength(1 + 61 * 17);
});
afterAll(async () => {
  await proxy?.stop();
});

describe("under throttling and faults", () => {
  it("20 % throttling and 5 % 5xx: the report is identical to the fault-free one, with bounded retries", async () => {
    proxy.requests.clear();
    proxy.setFaults({ throttlePct: 20, serverErrorPct: 5 });
    const res = await report();
    proxy.setFaults(undefined);
    // Every fault costs one retry and nothing more: at most 1.4× the fault-free requests (a quarter
    // of the requests fail once, a few twice), never a storm of retries.
    expect(served()).toBeGreaterThan(cleanRequests * 1.15);
    expect(served()).toBeLessThanOrEqual(cleanRequests * 1.4);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(rows(res.stdout)).toEqual(baseline);
    expect(proxy.injected.get("throttle")).toBeGreaterThan(50);
    expect(proxy.injected.get("5xx")).toBeGreaterThan(5);
  });

  it("reset connections and responses slower than the timeout are retried", async () => {
    proxy.injected.clear();
    // A slow answer takes three times the timeout, which is itself far above what moto needs even
    // on a busy machine: only the injected answers time out.
    proxy.setFaults({ resetPct: 5, slowPct: 3, slowMs: 15_000 });
    const res = await report("--request-timeout", "5");
    proxy.setFaults(undefined);
    expect(res.code).toBe(0);
    expect(rows(res.stdout)).toEqual(baseline);
    expect(proxy.injected.get("reset")).toBeGreaterThan(5);
    expect(proxy.injected.get("slow")).toBeGreaterThan(2);
  });

  it("denied accounts become ERROR rows and exit 3, every other account is right", async () => {
    const denied = org.accounts
      .filter((a) => a.state === "ACTIVE")
      .slice(0, 3)
      .map((a) => a.id);
    const deny = await startAwsProxy({ target: moto.endpoint, denyAssumeRoleInto: denied });
    try {
      const res = await runCli([
        "report",
        "--regions",
        "us-east-1",
        "--endpoint-url",
        deny.endpoint,
        "--source",
        "check,scp",
        "--output",
        "csv",
      ]);
      expect(res.code).toBe(3);
      const got = rows(res.stdout);
      expect(got).toHaveLength(baseline.length);
      for (const [i, line] of got.entries()) {
        const id = line.slice(0, 12);
        if (denied.includes(id) && line.includes(",check,")) {
          expect(line).toContain(",ERROR,");
          expect(line).toContain(`cannot assume arn:aws:iam::${id}:role/OrganizationAccountAccessRole`);
        } else {
          expect(line).toBe(baseline[i]);
        }
      }
    } finally {
      await deny.stop();
    }
  });

  it("apply-scp interrupted half-way converges on the next run, with no duplicate policy", async () => {
    const ou = org.ouIds["Root/Workloads"] as string;
    proxy.setFaults({ failOperation: { action: "AttachPolicy", from: 2, count: 1 } });
    const first = await runCli(["apply-scp", "--ou", ou, "--yes", "--endpoint-url", proxy.endpoint]);
    proxy.setFaults(undefined);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("attaching orgwarden-deny-root-user");
    const half = await snapshotScps(moto.endpoint);
    expect(byName(half, "orgwarden-require-mfa")?.targets).toEqual([ou]);
    expect(byName(half, "orgwarden-deny-root-user")?.targets).toEqual([]);

    const second = await runCli(["apply-scp", "--ou", ou, "--yes", "--endpoint-url", proxy.endpoint]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("+ attach orgwarden-deny-root-user");
    expect(second.stdout).not.toContain("+ create");
    const done = await snapshotScps(moto.endpoint);
    for (const name of ["orgwarden-require-mfa", "orgwarden-deny-root-user"]) {
      expect(done.filter((p) => p.name === name)).toHaveLength(1);
      expect(byName(done, name)?.targets).toEqual([ou]);
    }
    const third = await runCli(["apply-scp", "--ou", ou, "--yes", "--endpoint-url", proxy.endpoint]);
    expect(third.stdout).toContain("Nothing to do.");
  });
});
