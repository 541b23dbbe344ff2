import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_COMPLIANT_ACCOUNTS } from "@orgwarden/emulator";
import type { ReportRow } from "@orgwarden/report";
import { beforeAll, describe, expect, it } from "vitest";
import { packCli } from "../scripts/pack-cli.js";
import { REPO_ROOT } from "./support/run-cli.js";
import { spawnCapture } from "./support/spawn-capture.js";

/** A user's shell: not pnpm's npm_config_* settings (npm warns about them), no AWS keys. */
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
};

/** `npx orgwarden ARGS` in `dir`, as a user of the installed package runs it. */
function npx(dir: string, args: string[], timeoutMs = 120_000) {
  return spawnCapture("npx", ["--no-install", "orgwarden", ...args], { cwd: dir, env, timeoutMs });
}

describe("the npm package", () => {
  /** The folder the tarball was installed into, as a user's empty project folder. */
  let dir: string;
  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), "orgwarden-pack-"));
    const tarball = await packCli(out);
    expect(tarball).toMatch(/orgwarden-\d+\.\d+\.\d+\.tgz$/);
    dir = mkdtempSync(join(tmpdir(), "orgwarden-install-"));
    execFileSync("cp", [tarball, dir]);
    // Exactly what a user types; the package has no dependencies to fetch.
    const install = spawnSync("bash", ["-c", "npm i --no-audit --no-fund ./orgwarden-*.tgz"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(install.status, install.stderr).toBe(0);
  }, 300_000);

  it("installs into an empty folder from its tarball and runs --help, scp list and rules list", async () => {
    const installed = join(dir, "node_modules", "orgwarden");
    const pkg = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    expect(pkg.dependencies ?? {}).toEqual({});
    // The policy library and the rule catalogue are inside the package, not found next to a checkout.
    expect(existsSync(join(installed, "scp", "require-mfa.json"))).toBe(true);
    expect(existsSync(join(installed, "config-rules", "iam-policy-in-use.json"))).toBe(true);
    expect(readdirSync(join(installed, "dist"))).toEqual(
      expect.arrayContaining(["orgwarden.js", "evaluation-worker.js"]),
    );
    expect(readFileSync(join(installed, "THIRD_PARTY_LICENSES.md"), "utf8")).toMatch(
      /@aws-sdk\/client-organizations/,
    );

    const help = await npx(dir, ["--help"]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: orgwarden/);
    for (const command of ["apply-scp", "detach-scp", "deploy-rules", "report", "run", "demo"])
      expect(help.stdout).toContain(command);

    const scp = await npx(dir, ["scp", "list"]);
    expect(scp.code, scp.stderr).toBe(0);
    for (const name of ["require-mfa", "deny-root-user"]) expect(scp.stdout).toContain(name);

    const rules = await npx(dir, ["rules", "list"]);
    expect(rules.code, rules.stderr).toBe(0);
    for (const name of ["iam-policy-in-use", "root-account-mfa-enabled"])
      expect(rules.stdout).toContain(name);
  });

  // The one run of `orgwarden demo` in the suite, from the installed package: the bundle's emulator
  // chunk, and (--workers 1) the report's worker thread from the bundle.
  it("orgwarden demo starts the emulator, seeds an organization, runs the whole flow and writes the reports", async () => {
    const out = join(dir, "demo");
    const res = await npx(dir, ["demo", "--workers", "1", "--out-dir", out], 300_000);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/AWS emulator \(moto\) listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(res.stdout).toMatch(/orgwarden run: 21 accounts/);
    expect(res.stdout).toMatch(/\(enforce\): 5 change\(s\) applied/);
    expect(res.stdout).toMatch(/\(detect\): DRIFT: \+ attach orgwarden-require-mfa/);
    expect(res.stdout).toMatch(
      /root ou-\S+ \(enforce\): \d+ root credential\(s\) removed or MFA deactivated in \d+ account\(s\)/,
    );
    expect(res.stdout).toMatch(/root ou-\S+ \(detect\): ROOT CREDENTIALS in \d+ account\(s\)/);
    expect(res.stdout).toContain("emulator stopped");
    // orgwarden policies after the job: every type, each owner the demo seeded, the invalid account.
    expect(res.stdout).toContain("15 policy types: 6 enabled, 9 not enabled");
    // The job enforces the data perimeter on Workloads and reports its drift on Sandbox.
    expect(res.stdout).toMatch(/rcp ou-\S+ \(enforce\): 9 change\(s\) applied/);
    expect(res.stdout).toMatch(/rcp ou-\S+ \(detect\): DRIFT: \+ attach orgwarden-identity-perimeter/);
    for (const owned of [
      "aws-guardrails-DemoAuditBucket (control-tower)",
      "AcceleratorGuardrails1 (landing-zone-accelerator)",
      "s3-account-public-access-guard (aws-service)",
      "orgwarden-deny-root-user (orgwarden)",
      "FullAWSAccess (aws-managed)",
      "s3-block-public-access (other)",
    ])
      expect(res.stdout).toContain(owned);
    expect(res.stdout).toMatch(/sandbox-01 \(\d{12}\)\s+tag\s+ELEMENTS_TOO_MANY/);
    for (const f of ["latest.csv", "latest.json", "latest.html", "orgwarden.yaml"])
      expect(existsSync(join(out, f))).toBe(true);
    const csv = readFileSync(join(out, "latest.csv"), "utf8").split("\r\n").filter(Boolean);
    // 11 direct checks, 2 SCP and 4 RCP controls and the 2 controls of the Config rules the demo deploys.
    expect(csv).toHaveLength(1 + 21 * 19);
    expect(csv.some((l) => l.includes(",SKIPPED,") && l.includes("account is SUSPENDED"))).toBe(true);
    expect(csv.some((l) => /,password-policy,check,COMPLIANT,/.test(l))).toBe(true);
    expect(csv.some((l) => /,password-policy,check,NON_COMPLIANT,.*minimum length 6 < 14/.test(l))).toBe(
      true,
    );
    // Two regions in the demo's config: GuardDuty is judged in both, the failing one named.
    expect(csv.some((l) => /,guardduty-enabled,check,NON_COMPLIANT,.*eu-west-1/.test(l))).toBe(true);
    const report = JSON.parse(readFileSync(join(out, "latest.json"), "utf8")) as { rows: ReportRow[] };
    // AWS Config's results, evaluated by the emulator from the seeded state: they agree with the direct checks.
    const config = report.rows.filter((r) => r.source === "config" && r.status !== "SKIPPED");
    expect(new Set(config.map((r) => r.status))).toEqual(
      new Set(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]),
    );
    for (const r of config) {
      const check = report.rows.find(
        (c) => c.source === "check" && c.accountId === r.accountId && c.control === r.control,
      );
      expect(`${r.accountName} ${r.control} ${r.status}`).toBe(
        `${r.accountName} ${r.control} ${check?.status}`,
      );
    }
    // Contrast: the accounts seeded to pass pass every control, and the page counts them.
    for (const name of DEMO_COMPLIANT_ACCOUNTS) {
      const rows = report.rows.filter((r) => r.accountName === name);
      expect(rows, name).toHaveLength(19);
      expect(
        rows.filter((r) => r.status !== "COMPLIANT" && r.status !== "NOT_APPLICABLE").map((r) => r.control),
        name,
      ).toEqual([]);
    }
    const page = readFileSync(join(out, "latest.html"), "utf8");
    expect(page).toMatch(/<script>[\s\S]*addEventListener/);
    expect(page).toMatch(new RegExp(`data-standing="compliant"><b>${DEMO_COMPLIANT_ACCOUNTS.length}</b>`));
    expect(page.indexOf('<section id="act-today">')).toBeLessThan(page.indexOf('<section id="headline">'));
  }, 300_000);

  it("the container image: two stages, pnpm pinned by packageManager, the bundle installed where the entrypoint runs it", () => {
    const dockerfile = readFileSync(join(REPO_ROOT, "deploy/Dockerfile"), "utf8");
    const stages = dockerfile.match(/^FROM /gm) ?? [];
    expect(stages).toHaveLength(2);
    // corepack uses package.json's packageManager (pnpm@x.y.z), never a floating pnpm@10.
    expect(dockerfile).toMatch(/^RUN corepack enable$/m);
    expect(dockerfile).not.toMatch(/npm (i|install) -g pnpm/);
    expect(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).packageManager).toMatch(
      /^pnpm@\d+\.\d+\.\d+$/,
    );
    // The run stage installs the tarball (production only) and nothing from the workspace.
    const run = dockerfile.slice(dockerfile.lastIndexOf("FROM "));
    expect(run).toMatch(/npm install .*--omit=dev .*orgwarden-\*\.tgz/);
    expect(run).not.toMatch(/COPY \. /);
    const bin = /ORGWARDEN_BIN=(\S+)/.exec(run)?.[1];
    expect(bin).toBe("/opt/orgwarden/node_modules/orgwarden/dist/orgwarden.js");
    expect(readFileSync(join(REPO_ROOT, "deploy/entrypoint.sh"), "utf8")).toContain(
      `\${ORGWARDEN_BIN:-${bin}}`,
    );
    const ignore = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8").split("\n");
    for (const p of [".git", "**/node_modules", "**/dist"]) expect(ignore).toContain(p);
  });

  it("a checkout's bin is a committed file, so pnpm links it on the first install (before dist/ is built)", () => {
    const cli = JSON.parse(readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8"));
    const bin = join(REPO_ROOT, "packages/cli", cli.bin.orgwarden);
    expect(existsSync(bin)).toBe(true);
    expect(cli.bin.orgwarden).not.toMatch(/^\.?\/?dist\//);
    const tracked = spawnSync("git", ["ls-files", "--error-unmatch", bin], { cwd: REPO_ROOT });
    expect(tracked.status).toBe(0);
    expect(readFileSync(bin, "utf8")).toMatch(/^#!\/usr\/bin\/env node/);
  });
});
