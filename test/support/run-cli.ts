import { fileURLToPath } from "node:url";
import { inject } from "vitest";
import { TEST_ENV } from "./aws-env.js";
import { type Captured, spawnCapture } from "./spawn-capture.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI_BIN = fileURLToPath(new URL("../../packages/cli/dist/bin.js", import.meta.url));

export type CliResult = Captured;

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  /** Run through `pnpm orgwarden` as the README does, instead of node on the built bin. */
  viaPnpm?: boolean;
  timeoutMs?: number;
}

/**
 * The orgwarden CLI a test starts with node: the bundle the npm package ships when the end-to-end
 * lane built one (test/support/cli-bundle.ts; about a third of the CPU to start), the workspace's
 * build otherwise.
 */
export function cliEntryPoint(): string {
  return inject("cliBundle") ?? CLI_BIN;
}

/** Runs the real orgwarden CLI in a child process, as a user would, and captures what they would see. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const [cmd, argv] = options.viaPnpm
    ? ["pnpm", ["-s", "orgwarden", ...args]]
    : [process.execPath, [cliEntryPoint(), ...args]];
  return spawnCapture(cmd, argv, {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...TEST_ENV, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}
