import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { OrgwardenError, pollUntil } from "@orgwarden/core";
import { type ExtraStandIn, startStandInProxy } from "./standin-proxy.js";

export interface MotoServer {
  /**
   * Where clients connect: the stand-in proxy (standin-proxy.ts), which answers what moto lacks and
   * passes every other request to moto.
   */
  endpoint: string;
  /** moto itself, without the stand-in. */
  motoEndpoint: string;
  port: number;
  /** Empties the whole server (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Where pip refuses to install into the system Python (PEP 668, "externally-managed-environment":
 * Debian, Ubuntu, Homebrew; https://peps.python.org/pep-0668/), pipx or a virtual environment works.
 */
export const MOTO_INSTALL_HINT =
  'Install the local AWS emulator (Python 3.9+) so that moto_server is on PATH: pipx install "moto[server]"; or, where pip refuses with "externally-managed-environment", in a virtual environment: python3 -m venv ~/.venvs/moto && ~/.venvs/moto/bin/pip install "moto[server]", then export PATH="$HOME/.venvs/moto/bin:$PATH".';

/** A free loopback port; the OS picks it, so parallel test files never collide. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export function motoInstalled(): boolean {
  return spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status === 0;
}

/** Installs moto with pip when it is missing and pip works; true when moto_server is there afterwards. */
export function installMoto(log: (line: string) => void): boolean {
  if (motoInstalled()) return true;
  log('moto_server not found: trying pip install "moto[server]"');
  for (const [cmd, args] of [
    ["python3", ["-m", "pip", "install", "--quiet", "moto[server]"]],
    ["pip", ["install", "--quiet", "moto[server]"]],
  ] as const) {
    const res = spawnSync(cmd, [...args], { stdio: "inherit" });
    if (res.status === 0 && motoInstalled()) return true;
  }
  return false;
}

/**
 * Starts one moto server on a free loopback port and waits until it answers. Each test file starts
 * its own, so files never see each other's organizations. Fails (never skips) when moto is missing,
 * as the start itself shows (no moto_server to run, or a shim that has none: exit 127) rather than
 * a `moto_server --help` first, which costs a whole Python start (about 0.7 s of CPU).
 * `standIns` are added behind the built-in stand-ins of the proxy in front of it.
 */
export async function startMoto(
  options: { startTimeoutMs?: number; standIns?: readonly ExtraStandIn[] } = {},
): Promise<MotoServer> {
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
      // orgwarden's only EC2 call is DescribeRegions: skip loading moto's AMI catalogue (seconds per
      // process) on an account's first EC2 request.
      env: { ...process.env, PYTHONUNBUFFERED: "1", MOTO_EC2_LOAD_DEFAULT_AMIS: "false" },
    });
    // A program that cannot be started emits 'error' and never runs (its exitCode ends the poll below).
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on("error", (err) => {
      spawnError = err;
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    try {
      await waitUntilUp(endpoint, child, () => stderr, startTimeoutMs);
      const standIn = await startStandInProxy(endpoint, options.standIns);
      return {
        endpoint: standIn.endpoint,
        motoEndpoint: endpoint,
        port,
        reset: () => resetEmulator(standIn.endpoint),
        stop: async () => {
          await standIn.stop();
          await stopChild(child);
        },
      };
    } catch (err) {
      await stopChild(child);
      if (spawnError?.code === "ENOENT" || child.exitCode === 127)
        throw new OrgwardenError("EMULATOR", "moto_server (the local AWS emulator) was not found", {
          hint: MOTO_INSTALL_HINT,
          cause: err,
        });
      lastError = err;
    }
  }
  throw lastError;
}

/** Empties moto and the stand-ins in front of it (POST /moto-api/reset); fails if the server refuses. */
export async function resetEmulator(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  if (!res.ok)
    throw new OrgwardenError("EMULATOR", `could not empty the emulator at ${endpoint}: HTTP ${res.status}`);
}

async function waitUntilUp(
  endpoint: string,
  child: ChildProcess,
  stderr: () => string,
  timeoutMs: number,
): Promise<void> {
  await pollUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr()}`);
      try {
        const res = await fetch(`${endpoint}/moto-api/data.json`);
        return res.ok ? true : undefined;
      } catch {
        return undefined; // not listening yet
      }
    },
    {
      timeoutMs,
      firstDelayMs: 100,
      maxDelayMs: 100,
      timedOut: () =>
        new OrgwardenError(
          "EMULATOR",
          `moto_server did not answer on ${endpoint} within ${timeoutMs / 1000} s: ${stderr()}`,
        ),
    },
  );
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}
