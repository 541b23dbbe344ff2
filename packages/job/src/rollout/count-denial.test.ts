import type { RecordedDenial } from "@orgwarden/activity";
import {
  defaultScpParameters,
  type EvaluatedPolicy,
  evaluateScps,
  loadPolicyLibrary,
  type PolicyLevel,
  renderPolicy,
  requirePolicy,
  type ScpDecision,
} from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { judgeDenial } from "./count-denial.js";

const ATTACHED = [{ name: "orgwarden-require-mfa", id: "p-new00001" }];
const ARN = (id: string) =>
  `arn:aws:organizations::111111111111:policy/o-abcdef1234/service_control_policy/${id}`;
const names = new Map([
  ["p-ctguard1", "aws-guardrails-AbCdEf"],
  ["p-new00001", "orgwarden-require-mfa"],
]);
const policyName = (id: string) => names.get(id);
const ALLOW: ScpDecision = { effect: "ALLOW" };
const deniedBy = (policy: string, sid?: string): ScpDecision => ({
  effect: "DENY",
  by: "explicit-deny",
  policy,
  sid,
  managed: policy.startsWith("orgwarden-"),
  nodePath: "Root/Sandbox",
});
const denial = (over: Partial<RecordedDenial> = {}): RecordedDenial => ({
  errorCode: "AccessDenied",
  kind: "explicit",
  message:
    "User: … is not authorized to perform: s3:PutObject … with an explicit deny in a service control policy",
  ...over,
});
const never = () => {
  throw new Error("the evaluator is not asked when the message names a policy");
};

describe("which denials count against a stage", () => {
  it("one whose message names the policy the stage attached (AWS's enhanced message): counted", () => {
    const v = judgeDenial(
      denial({ policyType: "service-control-policy", policyArn: ARN("p-new00001") }),
      ATTACHED,
      policyName,
      () => ({ before: ALLOW, after: deniedBy("orgwarden-require-mfa") }),
    );
    expect(v).toEqual({
      counted: true,
      why: "the message names orgwarden-require-mfa (p-new00001), attached by this stage",
    });
  });

  it("one naming the stage's policy, for a request denied without it too (the old variant beside it): shown, not counted", () => {
    const v = judgeDenial(
      denial({ policyType: "service-control-policy", policyArn: ARN("p-new00001") }),
      ATTACHED,
      policyName,
      () => ({
        before: deniedBy("orgwarden-require-mfa-old", "DenyWithoutMfa"),
        after: deniedBy("orgwarden-require-mfa"),
      }),
    );
    expect(v).toEqual({
      counted: false,
      why: "the message names orgwarden-require-mfa (p-new00001), but it was denied already without the stage's policy (denied by orgwarden-require-mfa-old (DenyWithoutMfa) at Root/Sandbox)",
    });
  });

  it("one naming a Control Tower guardrail, an AWS-managed SCP or any other ARN: shown, never counted", () => {
    const guardrail = judgeDenial(
      denial({ policyType: "service-control-policy", policyArn: ARN("p-ctguard1") }),
      ATTACHED,
      policyName,
      never,
    );
    expect(guardrail).toEqual({
      counted: false,
      why: "the message names another policy: aws-guardrails-AbCdEf (p-ctguard1)",
    });
    const managed = "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess";
    expect(judgeDenial(denial({ policyArn: managed }), ATTACHED, policyName, never)).toEqual({
      counted: false,
      why: `the message names another policy: ${managed}`,
    });
  });

  it("one from another kind of policy (identity, resource, boundary): not an SCP's, not counted", () => {
    expect(judgeDenial(denial({ policyType: "identity-based-policy" }), ATTACHED, policyName, never)).toEqual(
      { counted: false, why: "denied by identity based policy, not an SCP" },
    );
  });

  it("one naming no policy: counted when the evaluator says the stage's policy denies what was allowed without it", () => {
    const unnamed = denial({ kind: "unknown", message: "Access Denied" });
    expect(
      judgeDenial(unnamed, ATTACHED, policyName, () => ({
        before: ALLOW,
        after: deniedBy("orgwarden-require-mfa", "DenyIamUsersWithoutMFA"),
      })),
    ).toEqual({
      counted: true,
      why: "the message names no policy; orgwarden's evaluator: denied by orgwarden-require-mfa (DenyIamUsersWithoutMFA), allowed without it",
    });
    const already = judgeDenial(unnamed, ATTACHED, policyName, () => ({
      before: deniedBy("aws-guardrails-AbCdEf"),
      after: deniedBy("aws-guardrails-AbCdEf"),
    }));
    expect(already.counted).toBe(false);
    expect(already.why).toContain(
      "denied without this stage's policies too (denied by aws-guardrails-AbCdEf",
    );
    const allowed = judgeDenial(unnamed, ATTACHED, policyName, () => ({ before: ALLOW, after: ALLOW }));
    expect(allowed).toMatchObject({ counted: false, why: expect.stringContaining("the SCPs allow it") });
    expect(judgeDenial(undefined, ATTACHED, policyName, () => undefined)).toEqual({
      counted: false,
      why: "the caller's account is not under the stage's target",
    });
  });

  it("the evaluator on a real path: require-mfa attached at the stage denies an IAM user without MFA; a guardrail above denies another call either way", () => {
    const library = loadPolicyLibrary();
    const mfa = renderPolicy(requirePolicy(library, "require-mfa"), defaultScpParameters());
    const full: EvaluatedPolicy = {
      name: "FullAWSAccess",
      managed: false,
      document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    };
    const guardrail: EvaluatedPolicy = {
      name: "aws-guardrails-AbCdEf",
      managed: false,
      document: {
        Version: "2012-10-17",
        Statement: [{ Sid: "GRRESTRICTREGION", Effect: "Deny", Action: "ec2:*", Resource: "*" }],
      },
    };
    const after: PolicyLevel[] = [
      { nodeId: "r-ab12", nodePath: "Root", policies: [full, guardrail] },
      {
        nodeId: "ou-ab12-sand0001",
        nodePath: "Root/Sandbox",
        policies: [full, { name: mfa.managedName, document: mfa.document, managed: true }],
      },
    ];
    const before = after.map((l) => ({
      ...l,
      policies: l.policies.filter((p) => p.name !== mfa.managedName),
    }));
    const request = (action: string) => ({
      action,
      resource: "*",
      keys: { "aws:PrincipalArn": "arn:aws:iam::222222222222:user/ci", "aws:ViaAWSService": "false" },
    });
    const decide = (action: string) => () => ({
      before: evaluateScps(before, request(action)),
      after: evaluateScps(after, request(action)),
    });
    const unnamed = denial({ kind: "unknown", message: "Access Denied" });
    expect(judgeDenial(unnamed, ATTACHED, policyName, decide("s3:PutObject"))).toMatchObject({
      counted: true,
      why: expect.stringContaining("denied by orgwarden-require-mfa (DenyIamUsersWithoutMFA)"),
    });
    expect(judgeDenial(unnamed, ATTACHED, policyName, decide("ec2:RunInstances"))).toMatchObject({
      counted: false,
      why: expect.stringContaining("denied by aws-guardrails-AbCdEf (GRRESTRICTREGION) at Root"),
    });
  });
});
