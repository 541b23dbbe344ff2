import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_ENV } from "./aws-env.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI_BIN = fileURLToPath(new URL("../../packages/cli/dist/bin.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  /** Run through `pnpm orgwarden` as the README does, instead of node on the built bin. */
  viaPnpm?: boolean;
  timeoutMs?: number;
}

/** Runs the real orgwarden CLI in a child process, as a user would, and captures what they would see. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const [cmd, argv] = options.viaPnpm
    ? ["pnpm", ["-s", "orgwarden", ...args]]
    : [process.execPath, [CLI_BIN, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...TEST_ENV, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
