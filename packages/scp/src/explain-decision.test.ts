import { describe, expect, it } from "vitest";
import { evaluateScps, type PolicyLevel, type ProbeRequest } from "./evaluate-scps.js";
import { explainDecision } from "./explain-decision.js";
import type { PolicyDocument } from "./policy-document.js";
import { loadPolicyLibrary, requirePolicy } from "./policy-library.js";
import { renderPolicy } from "./render-policy.js";
import { defaultScpParameters } from "./scp-parameters.js";

const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};
const library = loadPolicyLibrary();
const params = defaultScpParameters();
const rendered = (name: string) => renderPolicy(requirePolicy(library, name), params);

/** The root with FullAWSAccess; Workloads with the named library policies, rendered with the defaults. */
function path(...policies: string[]): PolicyLevel[] {
  return [
    {
      nodeId: "r-1",
      nodePath: "Root",
      policies: [{ name: "FullAWSAccess", document: FULL_AWS_ACCESS, managed: false }],
    },
    {
      nodeId: "ou-1",
      nodePath: "Root/Workloads",
      policies: [
        { name: "FullAWSAccess", document: FULL_AWS_ACCESS, managed: false },
        ...policies.map((n) => ({
          name: rendered(n).managedName,
          document: rendered(n).document,
          managed: true,
        })),
      ],
    },
  ];
}

const USER = "arn:aws:iam::111122223333:user/alice";
const ROOT = "arn:aws:iam::111122223333:root";

function request(principal: string, action: string, keys: Record<string, string> = {}): ProbeRequest {
  return {
    action,
    resource: "*",
    keys: { "aws:PrincipalArn": principal, "aws:ViaAWSService": "false", ...keys },
  };
}

function explain(levels: PolicyLevel[], req: ProbeRequest) {
  return explainDecision(levels, req, evaluateScps(levels, req));
}

describe("explainDecision: the statement behind a Deny, and its condition keys as the request had them", () => {
  it("an IAM user without MFA under require-mfa: DenyIamUsersWithoutMFA, aws:MultiFactorAuthPresent absent", () => {
    const levels = path("require-mfa", "deny-root-user");
    const found = explain(levels, request(USER, "s3:ListAllMyBuckets"));
    expect(found).toMatchObject({
      nodePath: "Root/Workloads",
      policy: "orgwarden-require-mfa",
      sid: "DenyIamUsersWithoutMFA",
      index: 0,
    });
    expect(found?.conditionKeys).toEqual([
      { key: "aws:MultiFactorAuthPresent", operators: ["BoolIfExists"], value: undefined },
      { key: "aws:ViaAWSService", operators: ["BoolIfExists"], value: "false" },
      { key: "aws:PrincipalArn", operators: ["ArnLike", "ArnNotLike"], value: USER },
      {
        key: "aws:PrincipalTag/orgwarden:mfa-exempt",
        operators: ["StringNotEqualsIfExists"],
        value: undefined,
      },
    ]);
  });

  it("the first Deny that applies, not the policy's first statement: the root user under deny-root-user", () => {
    const levels = path("require-mfa", "deny-root-user");
    const found = explain(levels, request(ROOT, "ec2:RunInstances"));
    expect(found?.policy).toBe("orgwarden-deny-root-user");
    expect(found?.sid).toBe("DenyRootUserExceptAssumeRoot");
    expect(found?.conditionKeys).toEqual([
      { key: "aws:PrincipalArn", operators: ["ArnLike"], value: ROOT },
      { key: "aws:AssumedRoot", operators: ["Null"], value: undefined },
    ]);
  });

  it("key names are matched as IAM matches them, ignoring case", () => {
    const levels = path("require-mfa");
    const found = explain(levels, {
      action: "s3:ListAllMyBuckets",
      resource: "*",
      keys: { "AWS:PRINCIPALARN": USER, "aws:multifactorauthpresent": "false" },
    });
    expect(found?.conditionKeys.find((k) => k.key === "aws:MultiFactorAuthPresent")?.value).toBe("false");
  });

  it("a statement on a later statement of a policy: its index and Sid", () => {
    const doc: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "DenyLeave", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
        {
          Sid: "DenyOutsideRegions",
          Effect: "Deny",
          NotAction: "iam:*",
          Resource: "*",
          Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] } },
        },
      ],
    };
    const levels: PolicyLevel[] = [
      {
        nodeId: "r-1",
        nodePath: "Root",
        policies: [
          { name: "FullAWSAccess", document: FULL_AWS_ACCESS, managed: false },
          { name: "region-lock", document: doc, managed: false },
        ],
      },
    ];
    const found = explain(levels, request(USER, "ec2:RunInstances", { "aws:RequestedRegion": "us-east-1" }));
    expect(found).toMatchObject({
      nodePath: "Root",
      policy: "region-lock",
      sid: "DenyOutsideRegions",
      index: 1,
    });
    expect(found?.conditionKeys).toEqual([
      { key: "aws:RequestedRegion", operators: ["StringNotEquals"], value: "us-east-1" },
    ]);
  });

  it("nothing to explain for an allow, nor for a level without an Allow (no statement decides)", () => {
    const levels = path("require-mfa");
    expect(
      explain(levels, request(USER, "s3:ListAllMyBuckets", { "aws:MultiFactorAuthPresent": "true" })),
    ).toBe(undefined);
    const noAllow: PolicyLevel[] = [{ nodeId: "r-1", nodePath: "Root", policies: [] }];
    const req = request(USER, "s3:ListAllMyBuckets");
    expect(evaluateScps(noAllow, req)).toMatchObject({ effect: "DENY", by: "no-allow" });
    expect(explain(noAllow, req)).toBe(undefined);
  });
});
