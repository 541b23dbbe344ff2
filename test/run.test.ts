import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DetachPolicyCommand, UpdatePolicyCommand } from "@aws-sdk/client-organizations";
import { type AwsProxy, orgClient, startAwsProxy, startRecorder } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { byName, snapshotScps } from "./support/org-snapshot.js";
import { runCli } from "./support/run-cli.js";

let proxy: AwsProxy;
const dir = mkdtempSync(join(tmpdir(), "orgwarden-run-"));
const WRITE = /^(Create|Update|Put|Delete|Attach|Detach|Enable|Start|Stop|Tag|Untag)/;

const { moto, org } = useEmulatorOrg({
  ous: {
    Root: 0,
    "Root/Workloads": 2,
    "Root/Workloads/Prod": 3,
    "Root/Workloads/Prod/Payments": 2,
    "Root/Sandbox": 2,
  },
});
beforeAll(async () => {
  for (const a of org.accounts.filter((x) => x.ouPath.startsWith("Root/Workloads")))
    await startRecorder(moto.endpoint, a.id);
  proxy = await startAwsProxy({ target: moto.endpoint });
});
afterAll(async () => {
  await proxy?.stop();
});

function writeConfig(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, stringify(config));
  return file;
}

function baseConfig(mode: "enforce" | "detect", failOn = "none") {
  return {
    connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: proxy.endpoint, concurrency: 8 },
    scp: [{ ou: org.ouIds["Root/Workloads"], policies: ["require-mfa", "deny-root-user"], mode }],
    rules: [{ ou: org.ouIds["Root/Workloads"], rules: ["iam-policy-in-use", "root-account-mfa-enabled"] }],
    report: {
      sources: ["check", "scp"],
      formats: ["csv", "json", "html"],
      outputDir: join(dir, "reports"),
      failOn,
    },
  };
}

function writes(): number {
  let n = 0;
  for (const [action, count] of proxy.requests) if (WRITE.test(action)) n += count;
  return n;
}

describe("orgwarden run --config", () => {
  it("enforce: applies SCPs, deploys rules and writes timestamped and latest report files", async () => {
    const res = await runCli(["run", "--config", writeConfig("enforce.yaml", baseConfig("enforce"))]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/scp ou-\S+ \(enforce\): 5 change\(s\) applied/);
    expect(res.stdout).toMatch(/rules ou-\S+ \(accounts\): 14 change\(s\)/);
    const logLines = res.stderr
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { step?: string; msg: string; durationMs?: number });
    expect(logLines.filter((l) => l.step).map((l) => l.step)).toEqual([
      "inventory",
      "scp",
      "rules",
      "report",
    ]);
    for (const l of logLines.filter((x) => x.step)) expect(typeof l.durationMs).toBe("number");
    expect(res.stderr).not.toMatch(/secretAccessKey|sessionToken/i);
    const files = readdirSync(join(dir, "reports"));
    for (const ext of ["csv", "json", "html"]) {
      expect(files).toContain(`latest.${ext}`);
      expect(files.some((f) => new RegExp(`^orgwarden-report-\\d{8}T\\d{6}Z\\.${ext}$`).test(f))).toBe(true);
    }
    // The report sees the SCPs this run attached, without a second walk of the tree.
    const report = JSON.parse(readFileSync(join(dir, "reports", "latest.json"), "utf8")) as {
      rows: Array<{ ouPath: string; control: string; status: string }>;
    };
    const workloadScp = report.rows.filter(
      (r) => r.ouPath.startsWith("Root/Workloads") && r.control === "scp-require-mfa",
    );
    expect(workloadScp.length).toBeGreaterThan(0);
    for (const r of workloadScp) expect(r.status).toBe("COMPLIANT");
    // One walk of the tree: one ListOrganizationalUnitsForParent per node (root + 4 OUs).
    expect(proxy.requests.get("ListOrganizationalUnitsForParent")).toBe(5);
  });

  it("a second enforce run has nothing to do and makes no write call to AWS", async () => {
    proxy.requests.clear();
    const res = await runCli(["run", "--config", join(dir, "enforce.yaml")]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("(enforce): nothing to do");
    expect(res.stdout).toContain("AWS write calls: 0");
    expect(writes()).toBe(0);
    expect(proxy.requests.get("DescribeOrganization")).toBe(1);
  });

  it("detect: reports a drifted SCP and repairs nothing; exit 4 with failOn non-compliant", async () => {
    const snap = await snapshotScps(moto.endpoint);
    const client = orgClient(moto.endpoint);
    await client.send(
      new DetachPolicyCommand({
        PolicyId: byName(snap, "orgwarden-deny-root-user")?.id,
        TargetId: org.ouIds["Root/Workloads"],
      }),
    );
    await client.send(
      new UpdatePolicyCommand({
        PolicyId: byName(snap, "orgwarden-require-mfa")?.id,
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "s3:GetObject", Resource: "*" }],
        }),
      }),
    );
    client.destroy();
    const drifted = await snapshotScps(moto.endpoint);
    proxy.requests.clear();
    const res = await runCli([
      "run",
      "--config",
      writeConfig("detect.yaml", baseConfig("detect", "non-compliant")),
    ]);
    expect(res.code).toBe(4);
    expect(res.stdout).toContain("(detect): DRIFT:");
    expect(res.stdout).toContain("~ update orgwarden-require-mfa");
    expect(res.stdout).toContain("+ attach orgwarden-deny-root-user");
    // The HTML page of the run shows the drift it found.
    const page = readFileSync(join(dir, "reports", "latest.html"), "utf8");
    const drift = page.slice(page.indexOf('<section id="scp-drift">'));
    expect(drift).toContain(`OU Root/Workloads (${org.ouIds["Root/Workloads"]})`);
    expect(drift).toContain("~ update orgwarden-require-mfa");
    expect(drift).toContain("+ attach orgwarden-deny-root-user");
    expect(await snapshotScps(moto.endpoint)).toEqual(drifted);
    expect(proxy.requests.get("UpdatePolicy") ?? 0).toBe(0);
    expect(proxy.requests.get("AttachPolicy") ?? 0).toBe(0);
  });

  it("an invalid config exits 2, lists every problem with its path, and makes no AWS call", async () => {
    proxy.requests.clear();
    const file = writeConfig("bad.yaml", {
      connection: { concurrency: 0, endpointUrl: proxy.endpoint },
      scp: [{ ou: "not-an-ou", mode: "sometimes" }],
      report: { formats: ["pdf"] },
      surprise: true,
    });
    const res = await runCli(["run", "--config", file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("has 5 problems");
    for (const path of [
      "connection.concurrency",
      "scp.0.ou",
      "scp.0.mode",
      "report.formats.0",
      "(top level)",
    ]) {
      expect(res.stderr).toContain(`- ${path}:`);
    }
    expect(proxy.requests.size).toBe(0);
    const yamlError = join(dir, "broken.yaml");
    writeFileSync(yamlError, "scp: [\n  - ou: x\n");
    const broken = await runCli(["run", "--config", yamlError]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("is not valid YAML");
    expect((await runCli(["run", "--config", join(dir, "missing.yaml")])).code).toBe(2);
  });

  it("the committed orgwarden.schema.json is what the zod schema generates, and the example validates", async () => {
    const res = await runCli(["schema"]);
    const committed = readFileSync(new URL("../orgwarden.schema.json", import.meta.url), "utf8");
    expect(res.stdout).toBe(committed);
    const example = new URL("../orgwarden.example.yaml", import.meta.url);
    expect(existsSync(example)).toBe(true);
    const { validateRunConfig } = await import("@orgwarden/job");
    const { parse } = await import("yaml");
    expect(validateRunConfig(parse(readFileSync(example, "utf8"))).problems).toEqual([]);
  });

  it("per-OU parameters get their own variant; deleteUnusedScps removes the variant a parameter change left behind", async () => {
    const config = (exempt: string) => ({
      connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: moto.endpoint, concurrency: 8 },
      deleteUnusedScps: true,
      scp: [
        { ou: org.ouIds["Root/Workloads"], policies: ["require-mfa"], mode: "enforce" },
        {
          ou: org.ouIds["Root/Sandbox"],
          policies: ["require-mfa"],
          mode: "enforce",
          exemptPrincipals: [exempt],
        },
      ],
      report: { sources: ["scp"], formats: ["json"], outputDir: join(dir, "variant-reports") },
    });
    const first = await runCli([
      "run",
      "--config",
      writeConfig("variants-1.yaml", config("arn:aws:iam::*:role/SandboxAdmin")),
    ]);
    expect(first.code, first.stderr).toBe(0);
    const afterFirst = await snapshotScps(moto.endpoint);
    const onSandbox = (p: { name: string; targets: string[] }) =>
      p.name.startsWith("orgwarden-") && p.targets.includes(org.ouIds["Root/Sandbox"] as string);
    const sandboxVariant = afterFirst.find(onSandbox);
    expect(sandboxVariant?.name).toMatch(/^orgwarden-require-mfa-[0-9a-f]{10}$/);
    expect(sandboxVariant?.content).toContain("SandboxAdmin");
    const workloads = byName(afterFirst, "orgwarden-require-mfa");
    expect(workloads?.targets).toContain(org.ouIds["Root/Workloads"]);
    expect(workloads?.content).not.toContain("SandboxAdmin");

    const second = await runCli([
      "run",
      "--config",
      writeConfig("variants-2.yaml", config("arn:aws:iam::*:role/SandboxOwner")),
    ]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`scp: deleted unused ${sandboxVariant?.name}`);
    const afterSecond = await snapshotScps(moto.endpoint);
    expect(afterSecond.find((p) => p.id === sandboxVariant?.id)).toBeUndefined();
    const now = afterSecond.find(onSandbox);
    expect(now?.content).toContain("SandboxOwner");
    expect(byName(afterSecond, "orgwarden-require-mfa")).toEqual(workloads);
  });
});

describe("orgwarden run with several scp: entries", () => {
  const payments = () => org.ouIds["Root/Workloads/Prod/Payments"] as string;
  const entriesConfig = (name: string, scp: unknown[], extra: Record<string, unknown> = {}) =>
    writeConfig(name, {
      connection: {
        region: "us-east-1",
        regions: ["us-east-1"],
        endpointUrl: proxy.endpoint,
        concurrency: 8,
      },
      scp,
      report: { sources: ["scp"], formats: ["json"], outputDir: join(dir, name.replace(".yaml", "")) },
      ...extra,
    });

  it("a per-target quota only both entries together exceed is refused before the first write (exit 2)", async () => {
    proxy.requests.clear();
    const res = await runCli([
      "run",
      "--config",
      entriesConfig(
        "quota-together.yaml",
        [
          {
            ou: payments(),
            policies: ["require-mfa"],
            mode: "enforce",
            exemptPrincipals: ["arn:aws:iam::*:role/PayOps"],
          },
          { ou: payments(), policies: ["deny-root-user"], mode: "enforce" },
        ],
        // FullAWSAccess + one policy fits; the second entry's makes three.
        { quotas: { maxPoliciesPerTarget: 2 } },
      ),
    ]);
    expect(res.code, res.stdout).toBe(2);
    expect(res.stderr).toContain("attaching 1 more would make 3, over the limit of 2");
    expect(res.stderr).toContain("orgwarden-require-mfa-");
    expect(writes()).toBe(0);
  });

  it("two entries that would replace each other's variant on one OU are refused before the first write (exit 2)", async () => {
    proxy.requests.clear();
    const res = await runCli([
      "run",
      "--config",
      entriesConfig("variant-fight.yaml", [
        { ou: payments(), policies: ["require-mfa"], mode: "enforce" },
        {
          ou: payments(),
          policies: ["require-mfa"],
          mode: "enforce",
          exemptPrincipals: ["arn:aws:iam::*:role/PayOps"],
        },
      ]),
    ]);
    expect(res.code, res.stdout).toBe(2);
    expect(res.stderr).toContain("scp: entries 1 and 2 conflict on Root/Workloads/Prod/Payments");
    expect(res.stderr).toContain("merge them into one scp: entry");
    expect(writes()).toBe(0);
  });

  it("--dry-run prints the plan of every entry, the second seeing the first's pending changes, and writes nothing", async () => {
    proxy.requests.clear();
    const variant = {
      policies: ["require-mfa"],
      mode: "enforce",
      exemptPrincipals: ["arn:aws:iam::*:role/DryRunOps"],
    };
    const file = entriesConfig("dry.yaml", [
      { ou: org.ouIds["Root/Workloads/Prod"], ...variant },
      { ou: payments(), ...variant },
    ]);
    const res = await runCli(["run", "--config", file, "--dry-run"]);
    expect(res.code, res.stderr).toBe(0);
    const [first, second] = res.stdout.split(/\n(?= {2}scp )/).slice(1);
    expect(first).toMatch(/^ {2}scp Root\/Workloads\/Prod \(ou-\S+\) \(enforce\): \d change\(s\)/);
    expect(first).toMatch(/\+ create orgwarden-require-mfa-[0-9a-f]{10}/);
    // The variant entry 1 creates is already there for entry 2: attached, not created twice.
    expect(second).toMatch(/^ {2}scp Root\/Workloads\/Prod\/Payments \(ou-\S+\) \(enforce\): 1 change\(s\)/);
    expect(second).toMatch(/\+ attach orgwarden-require-mfa-[0-9a-f]{10} to ou-/);
    expect(second).not.toContain("+ create");
    expect(res.stdout).toContain("Dry run: nothing was changed, and no report was written.");
    expect(writes()).toBe(0);
    expect(existsSync(join(dir, "dry"))).toBe(false);
  });

  it("a step that fails after earlier writes: STOPPED, every change made is listed, exit 1, never 'Nothing was changed'", async () => {
    const flaky = await startAwsProxy({
      target: moto.endpoint,
      faults: { failOperation: { action: "AttachPolicy", from: 1, count: 1000 } },
    });
    try {
      const file = writeConfig("stopped.yaml", {
        connection: {
          region: "us-east-1",
          regions: ["us-east-1"],
          endpointUrl: flaky.endpoint,
          concurrency: 8,
        },
        scp: [
          {
            ou: payments(),
            policies: ["require-mfa"],
            mode: "enforce",
            exemptPrincipals: ["arn:aws:iam::*:role/PaymentsBreakGlass"],
          },
        ],
        report: { sources: ["scp"], formats: ["json"], outputDir: join(dir, "stopped") },
      });
      const res = await runCli(["run", "--config", file]);
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toContain("STOPPED: ");
      expect(res.stdout).toContain("Changed before it stopped (1):");
      expect(res.stdout).toMatch(
        /scp Root\/Workloads\/Prod\/Payments: \+ create orgwarden-require-mfa-[0-9a-f]{10}/,
      );
      expect(`${res.stdout}${res.stderr}`).not.toMatch(/nothing was changed/i);
      expect(existsSync(join(dir, "stopped"))).toBe(false);

      // apply-scp stopped the same way: what was done is listed, the error says how far it got.
      const apply = await runCli(
        [
          "apply-scp",
          "--ou",
          payments(),
          "--policy",
          "require-mfa",
          "--exempt-principal",
          "arn:aws:iam::*:role/ApplyOps",
          "--yes",
        ],
        { env: { AWS_ENDPOINT_URL: flaky.endpoint } },
      );
      expect(apply.code).toBe(1);
      expect(apply.stdout).toMatch(/\[1\/2\] done: \+ create orgwarden-require-mfa-[0-9a-f]{10}/);
      expect(apply.stderr).toContain("stopped after 1 change of 2 (listed above as done)");
      expect(apply.stderr).toContain("run the command again to finish");
      expect(apply.stderr).not.toMatch(/nothing was changed/i);
    } finally {
      await flaky.stop();
    }
  });
});
