// What the guard benches share: the library rendered with one exemption and one network, every
// policy attached to an OU under a root with FullAWSAccess.
import {
  type EvaluatedPolicy,
  loadPolicyLibrary,
  type PolicyLevel,
  renderPolicy,
  scpParameters,
} from "@orgwarden/scp";

export const params = scpParameters({
  roleName: "OrganizationAccountAccessRole",
  allowedCidrs: ["192.0.2.0/24"],
  exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
});
export const library = [...loadPolicyLibrary().values()].map((t) => renderPolicy(t, params));
/** Library names of every policy, as the guard's probes take them. */
export const inEffect = new Set(library.map((l) => l.name));
export const FULL: EvaluatedPolicy = {
  name: "FullAWSAccess",
  managed: false,
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};
/** The root, then the OU with FullAWSAccess and every library policy. */
export const libraryOnOu: PolicyLevel[] = [
  { nodeId: "r-ab12", nodePath: "Root", policies: [FULL] },
  {
    nodeId: "ou-ab12-11111111",
    nodePath: "Root/Workloads",
    policies: [FULL, ...library.map((r) => ({ name: r.managedName, document: r.document, managed: true }))],
  },
];
