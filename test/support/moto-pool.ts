/**
 * Part of the end-to-end lane's global setup (e2e-setup.ts): one moto server (with the root-access stand-in in
 * front of it) per worker, started once for the whole run instead of once per test file. A test file
 * takes the server of the worker it runs in (`VITEST_POOL_ID`, unique among the files running at the
 * same time) and empties it before seeding its own organization (`useEmulatorOrg`), so files never
 * see each other's organizations.
 */
import { type MotoServer, startMoto } from "@orgwarden/emulator";
import type { TestProject } from "vitest/node";

export interface PooledMoto {
  endpoint: string;
  motoEndpoint: string;
  port: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    motoPool: PooledMoto[];
  }
}

export default async function startMotoPool(project: TestProject): Promise<() => Promise<void>> {
  const size = Math.max(1, project.globalConfig.maxWorkers ?? 1);
  const servers: MotoServer[] = [];
  try {
    for (const server of await Promise.all(Array.from({ length: size }, () => startMoto())))
      servers.push(server);
  } catch (err) {
    await Promise.all(servers.map((s) => s.stop()));
    throw err;
  }
  project.provide(
    "motoPool",
    servers.map((s) => ({ endpoint: s.endpoint, motoEndpoint: s.motoEndpoint, port: s.port })),
  );
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
