/**
 * Runs `orgwarden report` as a user runs it (a child process of the built CLI) and reads back what
 * its log says: wall time, API calls by service and operation, HTTP attempts, CPU and peak RSS.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WaitSummary } from "@orgwarden/core";
import { CLI_BIN } from "../test/support/run-cli.js";

export interface ReportRun {
  wallMs: number;
  inventoryMs: number;
  calls: Record<string, number>;
  operations: Record<string, number>;
  attempts: number;
  maxRssMb: number;
  /** The main thread's heap at the end (the worker threads have their own). */
  heapMb: number;
  /** Where the waiting went (ApiCallCounter.waitSummary), when the report logs it. */
  waits: WaitSummary | undefined;
  cpuS: number;
  rows: number;
  accounts: number;
  code: number;
  out: string;
}

export function runReport(
  endpoint: string,
  args: readonly string[],
  credentials: { accessKeyId: string; secretAccessKey: string },
  options: { profileDir?: string | undefined } = {},
): Promise<ReportRun> {
  const out = join(mkdtempSync(join(tmpdir(), "orgwarden-bench-")), "report.json");
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [
        // Every thread writes its own profile into the folder (bench/cpu-profile-summary.ts sums them).
        ...(options.profileDir ? ["--cpu-prof", "--cpu-prof-dir", options.profileDir] : []),
        CLI_BIN,
        "report",
        "--source",
        "check,scp",
        "--out",
        out,
        "--log-level",
        "info",
        "--endpoint-url",
        endpoint,
        ...args,
      ],
      {
        env: {
          PATH: process.env.PATH,
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_REGION: "us-east-1",
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const wallMs = performance.now() - t0;
      const lines = stderr
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const inv = lines.find((l) => l.msg === "inventory built");
      const done = lines.find((l) => l.msg === "report done");
      if (!done) return reject(new Error(`report failed (exit ${code}): ${stderr.slice(-2000)}`));
      resolve({
        wallMs,
        inventoryMs: Number(inv?.ms ?? 0),
        calls: done.calls as Record<string, number>,
        operations: done.operations as Record<string, number>,
        attempts: Number(done.attempts),
        maxRssMb: Number(done.maxRssMb),
        heapMb: Number(done.heapMb),
        waits: done.waits as WaitSummary | undefined,
        cpuS: Number(done.cpuS),
        rows: Number(done.rows),
        accounts: Number(done.accounts),
        code: code ?? -1,
        out,
      });
    });
  });
}

/** Prints a Markdown table: the header, its rule, then the rows (each already `| a | b |`). */
export function printTable(header: readonly string[], rows: readonly string[]): void {
  console.log(`\n| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---|").join("")}`);
  for (const row of rows) console.log(row);
}
