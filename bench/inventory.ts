/**
 * How many Organizations calls the inventory of an N-account organization makes, and how long it
 * takes, on moto (optionally behind the latency proxy). `pnpm tsx bench/inventory.ts [N] [latencyMs]`
 */

import { ApiCallCounter, buildInventory, ClientFactory } from "@orgwarden/core";
import { nestedLayout, seedOrganization, startAwsProxy, startMoto } from "@orgwarden/emulator";
import { TEST_CREDENTIALS } from "../test/support/aws-env.js";

const n = Number(process.argv[2] ?? 1000);
const latencyMs = Number(process.argv[3] ?? 0);
const moto = await startMoto();
try {
  let t = Date.now();
  await seedOrganization(moto.endpoint, nestedLayout(n, 3));
  console.log(`seeded ${n} accounts in ${Date.now() - t} ms`);
  const proxy = latencyMs > 0 ? await startAwsProxy({ target: moto.endpoint, latencyMs }) : undefined;
  const counter = new ApiCallCounter();
  const factory = new ClientFactory({
    region: "us-east-1",
    endpoint: proxy?.endpoint ?? moto.endpoint,
    callCounter: counter,
  });
  t = Date.now();
  const inv = await buildInventory({ organizations: factory.organizations(TEST_CREDENTIALS) });
  const ms = Date.now() - t;
  console.log(
    `inventory: ${inv.accounts.length} accounts, ${inv.units.size - 1} OUs, ${inv.scps.size} SCPs in ${ms} ms` +
      (latencyMs ? ` (+${latencyMs} ms per request)` : ""),
  );
  console.log(`Organizations calls: ${counter.total()}`, counter.byOperation());
  factory.destroy();
  await proxy?.stop();
} finally {
  await moto.stop();
}
