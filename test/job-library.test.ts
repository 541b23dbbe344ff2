import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@orgwarden/core";
import { EMULATOR_CREDENTIALS, startRecorder } from "@orgwarden/emulator";
import {
  applyJob,
  ExitCode,
  type JobSession,
  openSession,
  planJob,
  prepareJob,
  type RunConfig,
  runJob,
  validateRunConfig,
} from "@orgwarden/job";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";

/**
 * The scheduled job as a library: what a Lambda handler or another program does, without commander
 * or the CLI. planJob makes every plan and writes nothing; applyJob makes the changes and the report.
 */
const dir = mkdtempSync(join(tmpdir(), "orgwarden-job-"));
const WRITE = /\.(Create|Update|Put|Delete|Attach|Detach|Enable|Tag|Untag)/;

const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 3, "Root/Sandbox": 2 } });
beforeAll(async () => {
  for (const a of org.accounts.filter((x) => x.ouPath === "Root/Workloads"))
    await startRecorder(moto.endpoint, a.id);
});

function config(outputDir: string): RunConfig {
  const { config, problems } = validateRunConfig({
    connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: moto.endpoint, concurrency: 4 },
    scp: [{ ou: org.ouIds["Root/Workloads"], policies: ["require-mfa"], mode: "enforce" }],
    rules: [{ ou: org.ouIds["Root/Workloads"], rules: ["root-account-mfa-enabled"] }],
    report: { sources: ["check", "scp"], formats: ["json"], outputDir },
  });
  expect(problems).toEqual([]);
  return config as RunConfig;
}

function session(): JobSession {
  return openSession(
    {
      region: "us-east-1",
      endpointUrl: moto.endpoint,
      roleName: "OrganizationAccountAccessRole",
      concurrency: 4,
      organizationsRate: 20,
      maxAttempts: 3,
      requestTimeout: 30,
      logLevel: "silent",
    },
    { logger: silentLogger(), operatorCredentials: EMULATOR_CREDENTIALS },
  );
}

function writeCalls(s: JobSession): number {
  return Object.entries(s.callCounter.byOperation())
    .filter(([op]) => WRITE.test(op))
    .reduce((n, [, c]) => n + c, 0);
}

describe("@orgwarden/job without the CLI", () => {
  it("planJob plans every entry and writes nothing; applyJob then applies and reports", async () => {
    const s = session();
    try {
      const cfg = config(join(dir, "planned"));
      const plan = await planJob(cfg, await s.inventory(), { session: s });
      expect(plan.scpPlans).toHaveLength(1);
      expect(plan.scpPlans[0]?.changes).toBeGreaterThan(0);
      expect(writeCalls(s)).toBe(0);
      expect(existsSync(join(dir, "planned"))).toBe(false);

      const notices: string[] = [];
      const summary = await applyJob(plan, { session: s, hooks: { notice: (l) => notices.push(l) } });
      expect(summary.exitCode).toBe(ExitCode.ok);
      expect(summary.scp[0]?.applied).toBe(plan.scpPlans[0]?.changes);
      expect(summary.rules[0]?.written).toBe(3);
      expect(summary.report?.files.some((f) => f.endsWith(".json"))).toBe(true);
      expect(existsSync(join(dir, "planned", "latest.json"))).toBe(true);
      expect(summary.writeCalls).toBeGreaterThan(0);
    } finally {
      s.close();
    }
  });

  it("runJob a second time has nothing to do; an invalid entry is refused before any AWS call", async () => {
    const s = session();
    try {
      const summary = await runJob(config(join(dir, "again")), { session: s });
      expect(summary.scp[0]?.changes).toBe(0);
      expect(summary.rules[0]?.changes).toBe(0);
      expect(summary.writeCalls).toBe(0);
    } finally {
      s.close();
    }
    const fresh = session();
    try {
      const bad = {
        ...config(join(dir, "bad")),
        scp: [{ ...config(dir).scp[0], policies: ["no-such-policy"] }],
      };
      expect(() => prepareJob(bad as RunConfig, fresh)).toThrow(/no policy named "no-such-policy"/);
      expect(Object.keys(fresh.callCounter.byOperation())).toEqual([]);
    } finally {
      fresh.close();
    }
  });
});
