/**
 * Vitest global setup of the end-to-end lane: the moto pool and the bundled CLI, built at the same
 * time (moto's start is mostly Python importing itself, the bundle mostly esbuild).
 */
import type { TestProject } from "vitest/node";
import buildCliBundle from "./cli-bundle.js";
import startMotoPool from "./moto-pool.js";

export default async function e2eSetup(project: TestProject): Promise<() => Promise<void>> {
  const [pool, bundle] = await Promise.allSettled([startMotoPool(project), buildCliBundle(project)]);
  const teardowns = [pool, bundle].flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = [pool, bundle].find((r) => r.status === "rejected");
  const teardown = async () => {
    for (const t of teardowns) await t();
  };
  if (failed?.status === "rejected") {
    await teardown();
    throw failed.reason;
  }
  return teardown;
}
