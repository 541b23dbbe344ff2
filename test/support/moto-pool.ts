/**
 * Part of the end-to-end lane's global setup (e2e-setup.ts): one moto server (with the stand-ins in
 * front of it, the tests' IAM policy simulator among them: simulate-policy-standin.ts) per worker,
 * started once for the whole run instead of once per test file. A test file takes the server of the
 * worker it runs in (`VITEST_POOL_ID`, unique among the files running at the same time) and empties
 * it before seeding its own organization (`useEmulatorOrg`), so files never see each other's
 * organizations.
 */
import { startMoto } from "@orgwarden/emulator";
import type { TestProject } from "vitest/node";
import { simulatePolicyStandIn } from "./simulate-policy-standin.js";

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
  // Started side by side on a machine that is also building the bundle: a generous bound each. One
  // that fails stops the others, so no server outlives a run that could not start.
  const started = await Promise.allSettled(
    Array.from({ length: size }, () =>
      startMoto({ startTimeoutMs: 90_000, standIns: [simulatePolicyStandIn()] }),
    ),
  );
  const servers = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = started.find((r) => r.status === "rejected");
  if (failed?.status === "rejected") {
    await Promise.all(servers.map((s) => s.stop()));
    throw failed.reason;
  }
  project.provide(
    "motoPool",
    servers.map((s) => ({ endpoint: s.endpoint, motoEndpoint: s.motoEndpoint, port: s.port })),
  );
  return async () => {
    await Promise.all(servers.map((s) => s.stop()));
  };
}
