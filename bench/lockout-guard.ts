// The lockout guard's cost per distinct set of SCPs below a target ("account group"): every library
// policy on the path, four regions, one exempt principal. Run: pnpm exec tsx bench/lockout-guard.ts
import { buildProbes, checkLockout, type PolicyLevel } from "@orgwarden/scp";
import { FULL, inEffect, library, libraryOnOu, params } from "./library-on-ou.js";

const levels: PolicyLevel[] = [
  ...libraryOnOu,
  { nodeId: "111122223333", nodePath: "Root/Workloads/app", policies: [FULL] },
];
const regions = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const groups = 200;
const requests = buildProbes(params, inEffect, { regions }).reduce((n, p) => n + p.requests.length, 0);
const t0 = performance.now();
for (let i = 0; i < groups; i++) {
  checkLockout(levels, buildProbes(params, inEffect, { regions, account: String(100000000000 + i) }));
}
const ms = (performance.now() - t0) / groups;
process.stdout.write(
  `${library.length} policies, ${regions.length} regions: ${requests} probe requests per account group, ${ms.toFixed(2)} ms per group (${groups} groups)\n`,
);
