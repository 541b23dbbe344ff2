/**
 * `useEmulatorOrg(layout)`: the one setup of an end-to-end test file. It registers the file's
 * `beforeAll` (take this worker's moto server from the pool, empty it, seed the organization) and,
 * when no pool was started, its own server and the `afterAll` that stops it; so the file says only
 * what it tests:
 *
 *   const { moto, org, cli, ou } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 3 } });
 *   const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--dry-run");
 *
 * `moto` and `org` are filled in before the file's own `beforeAll` hooks run (vitest runs them in
 * the order they are registered); read them inside hooks and tests, not at the top of the file.
 */
import {
  type MotoServer,
  type OrgLayout,
  resetEmulator,
  type SeededOrg,
  seedOrganization,
  startMoto,
} from "@orgwarden/emulator";
import { afterAll, beforeAll, inject } from "vitest";
import type { PooledMoto } from "./moto-pool.js";
import { type CliResult, runCli } from "./run-cli.js";
import { simulatePolicyStandIn } from "./simulate-policy-standin.js";

/** A moto server a test file may use but not stop: it belongs to the pool when there is one. */
export type EmulatorServer = Omit<MotoServer, "stop">;

export interface EmulatorOrg {
  moto: EmulatorServer;
  org: SeededOrg;
  /** The real CLI with `--endpoint-url` set to this file's emulator. */
  cli: (...args: string[]) => Promise<CliResult>;
  /** The id of the seeded OU at `path` ("Root/Workloads"); an unknown path fails the test by name. */
  ou: (path: string) => string;
}

export function useEmulatorOrg(layout: OrgLayout): EmulatorOrg {
  const moto = {} as EmulatorServer;
  const org = {} as SeededOrg;
  let own: MotoServer | undefined;
  beforeAll(async () => {
    const pooled = pooledServer();
    if (pooled) {
      Object.assign(moto, pooled, { reset: () => resetEmulator(pooled.endpoint) });
    } else {
      own = await startMoto({ standIns: [simulatePolicyStandIn()] });
      Object.assign(moto, {
        endpoint: own.endpoint,
        motoEndpoint: own.motoEndpoint,
        port: own.port,
        reset: own.reset,
      });
    }
    await moto.reset();
    for (const key of Object.keys(org)) delete (org as unknown as Record<string, unknown>)[key];
    Object.assign(org, await seedOrganization(moto.endpoint, layout));
  });
  afterAll(async () => {
    await own?.stop();
    own = undefined;
  });
  const cli = (...args: string[]) => runCli([...args, "--endpoint-url", moto.endpoint]);
  const ou = (path: string) => {
    const id = org.ouIds[path];
    if (id === undefined)
      throw new Error(`no OU ${path} in this file's layout: ${Object.keys(org.ouIds).join(", ")}`);
    return id;
  };
  return { moto, org, cli, ou };
}

/** This worker's server, when the end-to-end lane started a pool (test/support/moto-pool.ts). */
function pooledServer(): PooledMoto | undefined {
  const pool = inject("motoPool");
  const id = Number(process.env.VITEST_POOL_ID);
  if (!pool || !Number.isInteger(id) || id < 1) return undefined;
  const server = pool[(id - 1) % pool.length];
  return server;
}
