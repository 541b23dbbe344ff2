import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AwsProxy, startAwsProxy } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { TEST_ENV } from "./support/aws-env.js";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runsWith } from "./support/required-tool.js";
import { cliEntryPoint, REPO_ROOT, runCli } from "./support/run-cli.js";
import { syntheticReport } from "./support/synthetic-report.js";

/**
 * A full disk never gives a report that looks finished: every file is written to a temporary name,
 * flushed and renamed, so a failed write is exit 1 with the path and the cause, and nothing is left
 * under the final name (the scheduled task uploads only what orgwarden finished). The disk is a
 * small tmpfs (root only: CI runs as root, where a missing permission fails the test) and /dev/full.
 */
const work = mkdtempSync(join(tmpdir(), "orgwarden-full-disk-"));
const mounts: string[] = [];

/** A tmpfs of `size` at a new folder; undefined when this user cannot mount. */
function smallDisk(size: string): string | undefined {
  const dir = join(work, `disk-${mounts.length}`);
  mkdirSync(dir);
  const r = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir]);
  if (r.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}
const canMount = (() => {
  const probe = smallDisk("16k");
  return probe !== undefined;
})();

afterAll(() => {
  for (const dir of mounts) spawnSync("umount", [dir]);
});

/** A shard file of report --shard 1/1 (300 accounts: its JSON is far larger than the small disk). */
function shardOf(n: number): string {
  const report = syntheticReport(n);
  const accounts = [...new Set(report.rows.map((r) => r.accountId))];
  const file = join(work, `shard-${n}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      ...report,
      shard: { index: 1, count: 1, scope: "organization", scopeAccounts: accounts.length, accounts },
    }),
  );
  return file;
}

/** `orgwarden report merge SHARD --output json` with its standard output on `fd` (closed here). */
async function mergeWithStdoutTo(
  fd: number,
  shard: string,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [cliEntryPoint(), "report", "merge", shard, "--output", "json"], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...TEST_ENV },
    stdio: ["ignore", fd, "pipe"],
  });
  closeSync(fd);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const code = await new Promise<number | null>((r) => child.on("close", r));
  return { code, stderr };
}

function expectOneError(stderr: string, message: RegExp): void {
  const lines = stderr.trim().split("\n");
  expect(lines[0], stderr).toMatch(message);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe.runIf(runsWith(canMount))("a full disk", () => {
  it("report --out: exit 1 with the path and the cause, no 'wrote' line, nothing under the final name", async () => {
    const disk = smallDisk("64k") as string;
    const out = join(disk, "report.json");
    const res = await runCli(["report", "merge", shardOf(300), "--out", out]);
    expect(res.code, res.stderr).toBe(1);
    expectOneError(
      res.stderr,
      /^orgwarden: cannot write the report to .*report\.json: no space left on the device \(ENOSPC\)$/,
    );
    expect(res.stderr).toContain("hint: Free space on that file system");
    expect(res.stderr).not.toContain("wrote");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(disk)).toEqual([]);
  });

  it("report > a file on it: exit 1 with one line, never exit 0 with half the report", async () => {
    const disk = smallDisk("64k") as string;
    const out = join(disk, "redirected.json");
    const { code, stderr } = await mergeWithStdoutTo(openSync(out, "w"), shardOf(300));
    expect(code, stderr).toBe(1);
    expect(stderr).toContain(
      "orgwarden: cannot write to standard output: no space left on the device (ENOSPC)\n",
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("a report that fits is written whole on the same disk", async () => {
    const disk = smallDisk("64k") as string;
    const out = join(disk, "report.csv");
    const res = await runCli(["report", "merge", shardOf(2), "--out", out]);
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(disk)).toEqual(["report.csv"]);
  });
});

describe("stdout that cannot be written (/dev/full)", () => {
  it("one line saying so and exit 1, not a stack trace", async () => {
    // Two accounts without an ERROR row: the failed write is the only thing to say.
    const { code, stderr } = await mergeWithStdoutTo(openSync("/dev/full", "w"), shardOf(2));
    expect(code, stderr).toBe(1);
    expect(stderr).toBe("orgwarden: cannot write to standard output: no space left on the device (ENOSPC)\n");
  });
});

describe.runIf(runsWith(canMount))("run on a full disk", () => {
  const { moto } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 6 } });
  let proxy: AwsProxy;
  beforeAll(async () => {
    proxy = await startAwsProxy({ target: moto.endpoint });
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  it("exit 1 naming the file; no report file is left cut short under its name", async () => {
    const disk = smallDisk("16k") as string;
    const config = join(work, "run.yaml");
    writeFileSync(
      config,
      stringify({
        connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: proxy.endpoint },
        report: {
          sources: ["check", "scp"],
          formats: ["csv", "json", "html"],
          outputDir: disk,
          failOn: "none",
        },
      }),
    );
    const res = await runCli(["run", "--config", config]);
    expect(res.code, res.stderr).toBe(1);
    const failed = /cannot write the report to (\S+): no space left on the device \(ENOSPC\)/.exec(
      res.stderr,
    );
    expect(failed, res.stderr).not.toBeNull();
    expect(existsSync(failed?.[1] as string)).toBe(false);
    expect(readdirSync(disk).filter((f) => f.includes("orgwarden-tmp"))).toEqual([]);
  });
});
