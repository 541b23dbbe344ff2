import { ClientFactory } from "@orgwarden/core";
import {
  AskedRequests,
  buildProbes,
  checkLockout,
  confirmWithAws,
  type EvaluatedPolicy,
  iamPolicySimulator,
  loadPolicyLibrary,
  type PolicyLevel,
  renderPolicy,
  type ScpParameterInput,
  scpParameters,
} from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { TEST_CREDENTIALS } from "./support/aws-env.js";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { simulatePolicyState } from "./support/simulate-policy-standin.js";

/*
 * AWS's policy simulator (here the SimulateCustomPolicy stand-in, which answers with an independent
 * simulator in IAM's wire format) agrees with the lockout guard on every probe request of every
 * library policy, alone and all together, with each option that changes a document. Sent through
 * orgwarden's own client (iamPolicySimulator), so the wire format is tested too.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 */
const { moto } = useEmulatorOrg({ ous: { Root: 0 } });

const FULL: EvaluatedPolicy = {
  name: "FullAWSAccess",
  managed: false,
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};
const BASE: ScpParameterInput = { roleName: "OrganizationAccountAccessRole", allowedCidrs: ["192.0.2.0/24"] };
const OPTIONS: ScpParameterInput[] = [
  BASE,
  {
    ...BASE,
    exemptPrincipals: [
      "arn:aws:iam::*:role/BreakGlass",
      "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*",
    ],
  },
  { ...BASE, exemptAssumeRoot: false },
  { ...BASE, allowedVpcs: ["vpc-0123456789abcdef0"] },
];

function path(policies: EvaluatedPolicy[]): PolicyLevel[] {
  return [
    { nodeId: "r-ab12", nodePath: "Root", policies: [FULL] },
    { nodeId: "ou-ab12-11111111", nodePath: "Root/Workloads", policies: [FULL, ...policies] },
    { nodeId: "111122223333", nodePath: "Root/Workloads/app", policies: [FULL] },
  ];
}

describe("AWS's policy simulator on the whole library × the guard's probes", () => {
  it("agrees on every request the guard decides", async () => {
    const factory = new ClientFactory({ region: "us-east-1", endpoint: moto.endpoint });
    const simulate = iamPolicySimulator(factory, TEST_CREDENTIALS);
    const library = [...loadPolicyLibrary().values()];
    const asked = new AskedRequests();
    for (const input of OPTIONS) {
      const params = scpParameters(input);
      const rendered = library.map((t) => renderPolicy(t, params));
      const cases = [rendered, ...rendered.map((r) => [r])];
      for (const set of cases) {
        const levels = path(set.map((r) => ({ name: r.managedName, document: r.document, managed: true })));
        const inEffect = new Set(set.map((r) => r.name));
        checkLockout(levels, buildProbes(params, inEffect, { account: "111122223333" }), asked.decide);
      }
    }
    const before = (await simulatePolicyState(moto.endpoint)).calls;
    const { confirmation } = await confirmWithAws(asked.all, { mode: "on", simulate, rate: 500 });
    const { calls } = await simulatePolicyState(moto.endpoint);
    console.log(
      `library × probes: ${confirmation.requests} requests, ${confirmation.answered} sent, AWS agrees on ${confirmation.agreed}, ${confirmation.calls} calls`,
    );
    expect(confirmation.requests).toBeGreaterThan(1000);
    expect(
      confirmation.disagreements.map(
        (d) => `${d.probeId} ${d.action} ${d.resource}: ours ${d.ours}, AWS ${d.aws}`,
      ),
    ).toEqual([]);
    // Only service-linked roles are held back (SCPs do not apply to them).
    expect(confirmation.notSent.map((n) => n.reason)).toEqual([
      expect.stringMatching(/^service-linked roles/),
    ]);
    expect(confirmation.answered + (confirmation.notSent[0]?.requests ?? 0)).toBe(confirmation.requests);
    expect(calls - before).toBe(confirmation.calls);
    factory.destroy();
  }, 120_000);
});
