/** How many requests per second moto serves, by client concurrency. `tsx bench/emulator-rps.ts` */
import { GetAccountSummaryCommand, IAMClient } from "@aws-sdk/client-iam";
import { startMoto } from "@orgwarden/cli/demo";
import pLimit from "p-limit";

const moto = await startMoto();
const iam = new IAMClient({
  endpoint: moto.endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
});
for (const c of [1, 8, 32, 64]) {
  const limit = pLimit(c);
  const n = 1500;
  const t = performance.now();
  await Promise.all(Array.from({ length: n }, () => limit(() => iam.send(new GetAccountSummaryCommand({})))));
  const s = (performance.now() - t) / 1000;
  console.log(`concurrency ${c}: ${(n / s).toFixed(0)} req/s`);
}
await moto.stop();
