import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRecorder } from "@orgwarden/emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { REPO_ROOT, runCli } from "./support/run-cli.js";

/**
 * Issue 28, item 15, as a user meets it: each command merges its settings the same way (flag >
 * orgwarden.yaml > default, one merge per family in packages/job/src/settings/), and orgwarden.yaml
 * names an OU the way every --ou does. The full table of fields is
 * packages/job/src/settings/settings-precedence.test.ts; here the commands that got it wrong.
 */
const dir = mkdtempSync(join(tmpdir(), "orgwarden-settings-"));

const { moto, org } = useEmulatorOrg({
  ous: { Root: 0, "Root/Workloads": 2, "Root/Sandbox": 1 },
});
beforeAll(async () => {
  for (const a of org.accounts.filter((x) => x.ouPath.startsWith("Root/Workloads"))) {
    await startRecorder(moto.endpoint, a.id, "us-east-1");
    await startRecorder(moto.endpoint, a.id, "eu-west-1");
  }
});

function config(name: string, doc: Record<string, unknown>): string {
  const file = join(dir, name);
  const connection = { region: "us-east-1", endpointUrl: moto.endpoint, concurrency: 4 };
  writeFileSync(
    file,
    stringify({ ...doc, connection: { ...connection, ...(doc.connection as object | undefined) } }),
  );
  return file;
}

const cli = (...args: string[]) => runCli(args);
const accountsIn = (prefix: string) =>
  org.accounts.filter((a) => a.ouPath === prefix || a.ouPath.startsWith(`${prefix}/`)).map((a) => a.id);

describe("deploy-rules reads connection.regions, as apply-scp and report do", () => {
  it("regional rules are planned in the file's regions; --regions overrides them", async () => {
    const file = config("regions.yaml", { connection: { regions: ["us-east-1", "eu-west-1"] } });
    const plan = (...extra: string[]) =>
      cli(
        "deploy-rules",
        "--config",
        file,
        "--ou",
        "Root/Workloads",
        "--rule",
        "guardduty-enabled-centralized",
        "--dry-run",
        ...extra,
      );
    const fromFile = await plan();
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toMatch(/eu-west-1/);
    expect(fromFile.stdout).toMatch(/us-east-1/);
    const fromFlag = await plan("--regions", "us-east-1");
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
    expect(fromFlag.stdout).not.toMatch(/eu-west-1/);
  });
});

describe("report --config honours the report: section", () => {
  interface Row {
    accountId: string;
    source: string;
    status: string;
  }
  const rowsOf = (stdout: string) => (JSON.parse(stdout) as { rows: Row[] }).rows;
  const file = () =>
    config("report.yaml", {
      report: { ou: "Root/Sandbox", sources: ["scp"], failOn: "non-compliant" },
    });

  it("report.ou (a path), report.sources and report.failOn apply; exit 4 on the file's failOn", async () => {
    const res = await cli("report", "--config", file(), "--output", "json");
    expect(res.code, res.stderr).toBe(4);
    const rows = rowsOf(res.stdout);
    expect(new Set(rows.map((r) => r.accountId))).toEqual(new Set(accountsIn("Root/Sandbox")));
    expect(new Set(rows.map((r) => r.source))).toEqual(new Set(["scp"]));
    expect(rows.some((r) => r.status === "NON_COMPLIANT")).toBe(true);
  });

  it("flags win over the file: --ou, --source, --fail-on none", async () => {
    const res = await cli(
      "report",
      "--config",
      file(),
      "--output",
      "json",
      "--ou",
      "root/workloads",
      "--source",
      "scp",
      "--fail-on",
      "none",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(new Set(rowsOf(res.stdout).map((r) => r.accountId))).toEqual(
      new Set(accountsIn("Root/Workloads")),
    );
  });
});

describe("orgwarden.yaml names OUs as --ou does", () => {
  it("run with OU paths in scp:, rules: and report: works on exactly those accounts", async () => {
    const outputDir = join(dir, "run-reports");
    const file = config("paths.yaml", {
      connection: { regions: ["us-east-1"] },
      scp: [{ ou: "Root/Workloads", policies: ["require-mfa"], mode: "detect" }],
      rules: [{ ou: "root/workloads", rules: ["root-account-mfa-enabled"] }],
      report: { ou: "Root/Workloads", sources: ["scp"], formats: ["json"], outputDir },
    });
    const res = await cli("run", "--config", file);
    expect(res.code, res.stderr).toBe(0);
    // The rules went to the two Workloads accounts (one rule each), not to none of them.
    expect(res.stdout).toMatch(/rules root\/workloads \(accounts\): 2 change\(s\)/);
    const report = JSON.parse(readFileSync(join(outputDir, "latest.json"), "utf8")) as {
      rows: Array<{ accountId: string }>;
    };
    expect(new Set(report.rows.map((r) => r.accountId))).toEqual(new Set(accountsIn("Root/Workloads")));
    expect(readdirSync(outputDir)).toContain("latest.json");
  });

  it("an OU that is neither an id nor a path from the root is refused before any AWS call (exit 2)", async () => {
    const file = config("bad-ou.yaml", { report: { ou: "Workloads" } });
    const res = await cli("run", "--config", file);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/report\.ou: must be an OU id .*or a path from the root like Root\/Workloads/);
  });
});

describe("commands read orgwarden.yaml only through the settings merges", () => {
  it("no command file reads a field of the config file itself", () => {
    const dirOf = join(REPO_ROOT, "packages/cli/src/commands");
    for (const name of readdirSync(dirOf).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))) {
      const text = readFileSync(join(dirOf, name), "utf8");
      // Passing ctx.runConfig to a merge is the way; reading ctx.runConfig?.report.ou is a fourth merge.
      expect(text, name).not.toMatch(/ctx\.runConfig\??\.[a-z]/);
    }
  });
});
