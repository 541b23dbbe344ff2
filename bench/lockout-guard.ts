// The lockout guard's cost per distinct set of SCPs below a target ("account group"): every library
// policy on the path, four regions, one exempt principal. Run: pnpm exec tsx bench/lockout-guard.ts
import {
  buildProbes,
  checkLockout,
  type EvaluatedPolicy,
  loadPolicyLibrary,
  type PolicyLevel,
  renderPolicy,
  scpParameters,
} from "@orgwarden/scp";

const params = scpParameters({
  roleName: "OrganizationAccountAccessRole",
  allowedCidrs: ["192.0.2.0/24"],
  exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
});
const library = [...loadPolicyLibrary().values()].map((t) => renderPolicy(t, params));
const full: EvaluatedPolicy = {
  name: "FullAWSAccess",
  managed: false,
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};
const levels: PolicyLevel[] = [
  { nodeId: "r-ab12", nodePath: "Root", policies: [full] },
  {
    nodeId: "ou-ab12-11111111",
    nodePath: "Root/Workloads",
    policies: [full, ...library.map((r) => ({ name: r.managedName, document: r.document, managed: true }))],
  },
  { nodeId: "111122223333", nodePath: "Root/Workloads/app", policies: [full] },
];
const inEffect = new Set(library.map((l) => l.name));
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
