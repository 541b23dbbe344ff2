import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Captured, spawnCapture } from "./spawn-capture.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumInstalled(): boolean {
  return spawnSync(CHROMIUM, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Flags for a headless Chromium that never reaches for the network (this machine has none). */
function flags(): string[] {
  return [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${mkdtempSync(join(tmpdir(), "orgwarden-chromium-"))}`,
  ];
}

function run(args: string[]): Promise<Captured> {
  return spawnCapture(CHROMIUM, [...flags(), ...args], { timeoutMs: 60_000 });
}

/** The DOM after Chromium loaded and rendered the file. */
export async function dumpDom(file: string): Promise<string> {
  const res = await run(["--dump-dom", `file://${file}`]);
  if (res.code !== 0) throw new Error(`chromium exited ${res.code}: ${res.stderr.slice(-2000)}`);
  return res.stdout;
}

export async function screenshot(file: string, png: string, size = "1400,1000"): Promise<void> {
  const res = await run([`--screenshot=${png}`, `--window-size=${size}`, `file://${file}`]);
  if (res.code !== 0) throw new Error(`chromium exited ${res.code}: ${res.stderr.slice(-2000)}`);
}
