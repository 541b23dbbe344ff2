import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
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
  it("installs into an empty folder from its tarball and runs --help, scp list, rules list and demo", async () => {
    const out = mkdtempSync(join(tmpdir(), "orgwarden-pack-"));
    const tarball = await packCli(out);
    expect(tarball).toMatch(/orgwarden-\d+\.\d+\.\d+\.tgz$/);
    const dir = mkdtempSync(join(tmpdir(), "orgwarden-install-"));
    execFileSync("cp", [tarball, dir]);
    // Exactly what a user types; the package has no dependencies to fetch.
    const install = spawnSync("bash", ["-c", "npm i --no-audit --no-fund ./orgwarden-*.tgz"], {
      cwd: dir,
      env,
      encoding: "utf8",
    });
    expect(install.status, install.stderr).toBe(0);

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

    // The demo loads the emulator chunk; --workers 1 runs the report's worker thread from the bundle.
    const demo = await npx(dir, ["demo", "--workers", "1", "--out-dir", join(dir, "demo")], 300_000);
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/orgwarden run: 21 accounts/);
    expect(demo.stdout).toContain("emulator stopped");
    for (const f of ["latest.csv", "latest.json", "latest.html"])
      expect(existsSync(join(dir, "demo", f))).toBe(true);
    expect(readFileSync(join(dir, "demo", "latest.html"), "utf8")).toMatch(/<script>[\s\S]*addEventListener/);
  }, 600_000);

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
