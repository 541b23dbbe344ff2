import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/run-cli.js";

/** Licences that would bind everyone who installs orgwarden; only devDependencies may carry them. */
const COPYLEFT = /\b(A?GPL|LGPL|SSPL)\b/i;
/** The independent IAM simulator of the differential test: AGPL-3.0, a root devDependency. */
const SIMULATOR = "@cloud-copilot/iam-simulate";

function licences(prodOnly: boolean): Record<string, Array<{ name: string }>> {
  const args = ["-r", "licenses", "list", "--json", ...(prodOnly ? ["--prod"] : [])];
  const out = spawnSync("pnpm", args, { cwd: REPO_ROOT, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`pnpm ${args.join(" ")} failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory())
      return name === "node_modules" || name === "dist" ? [] : sourceFiles(path);
    return /\.(ts|js|json)$/.test(name) ? [path] : [];
  });
}

describe("what an installed orgwarden ships", () => {
  it("has no copyleft licence among the production dependencies of any package", () => {
    const all = licences(false);
    // The listing does see the AGPL simulator (a devDependency), so the check below can fail.
    expect(
      Object.entries(all).some(([l, pkgs]) => COPYLEFT.test(l) && pkgs.some((p) => p.name === SIMULATOR)),
    ).toBe(true);
    const shipped = licences(true);
    const copyleft = Object.entries(shipped)
      .filter(([licence]) => COPYLEFT.test(licence))
      .flatMap(([licence, pkgs]) => pkgs.map((p) => `${p.name} (${licence})`));
    expect(copyleft).toEqual([]);
  });

  it("never imports the AGPL simulator from a package, and no package depends on it", () => {
    const offenders: string[] = [];
    for (const pkg of readdirSync(join(REPO_ROOT, "packages"))) {
      const dir = join(REPO_ROOT, "packages", pkg);
      for (const file of sourceFiles(dir)) {
        if (readFileSync(file, "utf8").includes(SIMULATOR)) offenders.push(relative(REPO_ROOT, file));
      }
    }
    expect(offenders).toEqual([]);
    const root = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    expect(root.devDependencies[SIMULATOR]).toBeDefined();
    expect(root.dependencies?.[SIMULATOR]).toBeUndefined();
  });
});
