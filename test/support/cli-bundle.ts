/**
 * Part of the end-to-end lane's global setup (e2e-setup.ts): the CLI as the npm package ships it (one esbuild
 * bundle with the policy library and the rule catalogue next to it, `bundleCli` of
 * scripts/pack-cli.ts), built once from packages/*\/dist for the run. `runCli` runs it: the same
 * code a user installs, started in about half the time of the workspace's hundreds of modules.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { bundleCli } from "../../scripts/pack-cli.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundled CLI's entry point, dist/orgwarden.js. */
    cliBundle: string;
  }
}

export default async function buildCliBundle(project: TestProject): Promise<() => void> {
  const stage = mkdtempSync(join(tmpdir(), "orgwarden-cli-"));
  await bundleCli(stage);
  writeFileSync(join(stage, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  project.provide("cliBundle", join(stage, "dist", "orgwarden.js"));
  return () => rmSync(stage, { recursive: true, force: true });
}
