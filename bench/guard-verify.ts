// AWS's policy simulator on the lockout guard (--verify-with-aws): how many SimulateCustomPolicy
// requests a plan makes, and how long they take, for an OU of N accounts spread over P distinct SCP
// paths, with every library policy attached. AWS cannot be reached here: each request is answered by
// orgwarden's own evaluator after a fixed latency (the figures are the batching and the pace, not
// AWS's engine). Run: pnpm bench:guard [--accounts 500,5000] [--accounts-per-path 25] [--latency-ms 50]
//   [--rate 40] [--concurrency 8]
import { parseArgs } from "node:util";
import {
  type AccountPathGroup,
  AskedRequests,
  buildProbes,
  checkLockoutAcross,
  confirmWithAws,
  DEFAULT_VERIFY_CONCURRENCY,
  DEFAULT_VERIFY_RATE,
  type EvaluatedPolicy,
} from "@orgwarden/scp";
import { evaluatorSimulator } from "../test/support/evaluator-simulator.js";
import { FULL, inEffect, library, libraryOnOu, params } from "./library-on-ou.js";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "500,5000" },
    "accounts-per-path": { type: "string", default: "25" },
    "latency-ms": { type: "string", default: "50" },
    rate: { type: "string", default: String(DEFAULT_VERIFY_RATE) },
    concurrency: { type: "string", default: String(DEFAULT_VERIFY_CONCURRENCY) },
    regions: { type: "string", default: "us-east-1" },
  },
});
const latency = Number(values["latency-ms"]);
const rate = Number(values.rate);
const concurrency = Number(values.concurrency);
const regions = values.regions.split(",");
/** P paths: each distinct by an account-level SCP of its own (a team's own guardrail). */
function groups(accounts: number, paths: number): AccountPathGroup[] {
  return Array.from({ length: paths }, (_, p) => {
    const own: EvaluatedPolicy = {
      name: `team-${p}`,
      managed: false,
      document: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: `ec2:Team${p}`, Resource: "*" }],
      },
    };
    const accountIds = Array.from({ length: accounts }, (_, i) => String(300000000000 + i)).filter(
      (_, i) => i % paths === p,
    );
    return {
      accountIds,
      levels: [
        ...libraryOnOu,
        { nodeId: accountIds[0] as string, nodePath: `Root/Workloads/team-${p}`, policies: [FULL, own] },
      ],
    };
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const rows: string[] = [];
for (const accounts of values.accounts.split(",").map(Number)) {
  const paths = Math.max(1, Math.ceil(accounts / Number(values["accounts-per-path"])));
  const asked = new AskedRequests();
  const t0 = performance.now();
  checkLockoutAcross(
    groups(accounts, paths),
    (account) => buildProbes(params, inEffect, { regions, account }),
    asked.decide,
  );
  const guardMs = performance.now() - t0;
  const t1 = performance.now();
  const { confirmation } = await confirmWithAws(asked.all, {
    mode: "on",
    rate,
    concurrency,
    simulate: evaluatorSimulator({ onCall: () => sleep(latency) }),
  });
  const verifyS = (performance.now() - t1) / 1000;
  const bound = Math.max(confirmation.calls / rate, (confirmation.calls * latency) / 1000 / concurrency);
  rows.push(
    `| ${accounts.toLocaleString("en")} | ${paths} | ${confirmation.requests.toLocaleString("en")} | ${confirmation.calls.toLocaleString("en")} | ${(confirmation.calls / paths).toFixed(1)} | ${(guardMs / 1000).toFixed(1)} | **${verifyS.toFixed(1)}** | ${bound.toFixed(1)} | ${confirmation.agreed === confirmation.answered ? "yes" : "NO"} |`,
  );
}
process.stdout.write(
  [
    `AWS's policy simulator on the lockout guard: ${library.length} library policies on the target, ${regions.length} region(s), ${latency} ms per request, at most ${rate} requests/s and ${concurrency} at once`,
    "",
    "| accounts | distinct SCP paths | probe requests | SimulateCustomPolicy calls | calls per path | guard s | verification s | bound s (calls / rate, or calls × latency / concurrency) | all agree |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n"),
);
