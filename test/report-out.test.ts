import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_ENV } from "./support/aws-env.js";
import { cliEntryPoint, REPO_ROOT, runCli } from "./support/run-cli.js";
import { syntheticReport } from "./support/synthetic-report.js";

/** report --out: the format a file name stands for, and what is said about the file (no AWS: report merge). */
const dir = mkdtempSync(join(tmpdir(), "orgwarden-report-out-"));
const shard = join(dir, "shard-1-of-1.json");
const report = syntheticReport(3);
const accounts = [...new Set(report.rows.map((r) => r.accountId))];
writeFileSync(
  shard,
  JSON.stringify({
    ...report,
    shard: { index: 1, count: 1, scope: "organization", scopeAccounts: 3, accounts },
  }),
);

describe("report --out", () => {
  it("says where it wrote the report, and -q silences that line", async () => {
    const loud = await runCli(["report", "merge", shard, "--out", join(dir, "loud.csv")]);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stderr).toBe(
      `orgwarden: wrote ${report.rows.length} rows for 3 accounts to ${join(dir, "loud.csv")}\n`,
    );
    const quiet = await runCli(["report", "merge", shard, "--out", join(dir, "quiet.csv"), "-q"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe("");
    expect(readFileSync(join(dir, "quiet.csv"), "utf8")).toBe(readFileSync(join(dir, "loud.csv"), "utf8"));
  });

  it("an extension that names no format is refused (exit 2) with the known ones, and nothing is written", async () => {
    for (const name of ["report.txt", "report"]) {
      const out = join(dir, name);
      const res = await runCli(["report", "merge", shard, "--out", out]);
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain(`cannot tell the report's format from --out ${out}`);
      expect(res.stderr).toContain(
        "known: .csv (csv), .json (json), .html (html), .table (table), .jsonl (ocsf)",
      );
      expect(res.stderr).toContain("--output csv|json|html|table|ocsf");
      expect(existsSync(out)).toBe(false);
    }
  });

  it("--output says the format whatever the extension", async () => {
    const res = await runCli(["report", "merge", shard, "--out", join(dir, "named.txt"), "--output", "csv"]);
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(dir, "named.txt"), "utf8")).toMatch(/^account_id,account_name,ou_path,/);
  });

  it("report refuses the extension before any AWS call (exit 2, not 'cannot reach')", async () => {
    const res = await runCli(["report", "--out", join(dir, "r.txt"), "--max-attempts", "1"], {
      env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
    });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toContain("cannot tell the report's format");
  });
});

describe("report as a table", () => {
  // A reason of 1,600 characters, as an SDK error with a long ARN list can give.
  const long = join(dir, "long-reason.json");
  const reason = `${"access denied to arn:aws:iam::200000000000:role/OrganizationAccountAccessRole ".repeat(20)}end`;
  writeFileSync(
    long,
    JSON.stringify({
      ...report,
      rows: report.rows.map((r, i) => (i === 0 ? { ...r, status: "ERROR", reason } : r)),
      shard: { index: 1, count: 1, scope: "organization", scopeAccounts: 3, accounts },
    }),
  );

  it("on a terminal, fits its width: long reasons wrap, no line is longer than the terminal", () => {
    // script(1) gives the CLI a terminal of 100 columns, as a shell would (the summary's seven
    // status headers alone need 91).
    const command = `stty cols 100 rows 40; '${process.execPath}' '${cliEntryPoint()}' report merge '${long}' --output table`;
    const res = spawnSync("script", ["-qefc", command, "/dev/null"], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: "dumb", ...TEST_ENV },
      encoding: "utf8",
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI styles start with ESC.
    const lines = res.stdout.replace(/\u001b\[[0-9;]*m/g, "").split(/\r?\n/);
    expect(lines.some((l) => l.includes("access denied to"))).toBe(true);
    expect(lines.filter((l) => l.length > 100)).toEqual([]);
    // Nothing is lost: the wrapped pieces join back into the whole reason.
    expect(lines.join("").replace(/\s+/g, "")).toContain(reason.replace(/\s+/g, ""));
  });

  it("piped (--output table into a file), every reason stays whole on its line", async () => {
    const res = await runCli(["report", "merge", long, "--output", "table"]);
    expect(res.stdout.split("\n").some((l) => l.endsWith(reason))).toBe(true);
  });
});
