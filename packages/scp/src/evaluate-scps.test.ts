import { describe, expect, it } from "vitest";
import {
  type ConditionOperator,
  type ConditionVerdict,
  conditionHolds,
  parseConditionOperator,
} from "./condition-operators.js";
import { evaluateScps, type PolicyLevel, type ProbeRequest, policyProblems } from "./evaluate-scps.js";
import type { PolicyDocument } from "./policy-document.js";
import { matchesPattern } from "./policy-pattern.js";
import { type KeyValue, toRequestKeys } from "./request-keys.js";

const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};

/** One level with FullAWSAccess plus `doc`, as a deny-list organization has it. */
function levels(doc: unknown): PolicyLevel[] {
  return [
    {
      nodeId: "r-1",
      nodePath: "Root",
      policies: [
        { name: "FullAWSAccess", document: FULL_AWS_ACCESS, managed: false },
        { name: "under-test", document: doc as PolicyDocument, managed: true },
      ],
    },
  ];
}

function req(action: string, keys: Record<string, KeyValue>, resource = "*"): ProbeRequest {
  return { action, resource, keys };
}

const ROLE = "arn:aws:iam::111122223333:role/App";
const ROOT = "arn:aws:iam::111122223333:root";

// The AWS examples from reference/aws-governance.md §1.1, verbatim.
const A_REQUIRE_MFA = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyStopAndTerminateWhenMFAIsNotPresent",
      Effect: "Deny",
      Action: ["ec2:StopInstances", "ec2:TerminateInstances"],
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": false } },
    },
  ],
};
const B_RESTRICT_EC2_FOR_ROOT = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "RestrictEC2ForRoot",
      Effect: "Deny",
      Action: ["ec2:*"],
      Resource: ["*"],
      Condition: { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] } },
    },
  ],
};
const C_ROOT_ACCESS_KEYS = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "GRRESTRICTROOTUSERACCESSKEYS",
      Effect: "Deny",
      Action: "iam:CreateAccessKey",
      Resource: ["*"],
      Condition: { ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] } },
    },
  ],
};
const D_RESTRICT_ROOT = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "GRRESTRICTROOTUSER",
      Effect: "Deny",
      Action: "*",
      Resource: ["*"],
      Condition: { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] } },
    },
  ],
};
const E_ROOT_EXCEPT_ASSUME_ROOT = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: {
        ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] },
        Null: { "aws:AssumedRoot": "true" },
      },
    },
  ],
};
const F_EXEMPT_ROLES = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Action: "iam:CreateRole",
      Resource: "*",
      Condition: {
        ArnNotLike: {
          "aws:PrincipalARN": [
            "arn:aws:iam::*:role/Role1AllowedToBypassThisSCP",
            "arn:aws:iam::*:role/Role2AllowedToBypassThisSCP",
          ],
        },
      },
    },
  ],
};

describe("evaluateScps on the AWS example SCPs", () => {
  it("A: BoolIfExists MFA=false denies without MFA and with long-term keys, allows with MFA", () => {
    const l = levels(A_REQUIRE_MFA);
    expect(evaluateScps(l, req("ec2:StopInstances", { "aws:MultiFactorAuthPresent": "false" })).effect).toBe(
      "DENY",
    );
    expect(evaluateScps(l, req("ec2:StopInstances", {})).effect).toBe("DENY");
    expect(evaluateScps(l, req("ec2:StopInstances", { "aws:MultiFactorAuthPresent": "true" })).effect).toBe(
      "ALLOW",
    );
    expect(
      evaluateScps(l, req("ec2:DescribeInstances", { "aws:MultiFactorAuthPresent": "false" })).effect,
    ).toBe("ALLOW");
  });

  it("Bool (not IfExists) does not deny long-term keys, as the IAM docs warn", () => {
    const bool = structuredClone(A_REQUIRE_MFA);
    const st = bool.Statement[0] as unknown as { Condition: Record<string, unknown> };
    st.Condition = { Bool: { "aws:MultiFactorAuthPresent": "false" } };
    expect(evaluateScps(levels(bool), req("ec2:StopInstances", {})).effect).toBe("ALLOW");
    expect(
      evaluateScps(levels(bool), req("ec2:StopInstances", { "aws:MultiFactorAuthPresent": "false" })).effect,
    ).toBe("DENY");
  });

  it("B: denies ec2:* to root only", () => {
    const l = levels(B_RESTRICT_EC2_FOR_ROOT);
    expect(evaluateScps(l, req("ec2:RunInstances", { "aws:PrincipalArn": ROOT })).effect).toBe("DENY");
    expect(evaluateScps(l, req("ec2:RunInstances", { "aws:PrincipalArn": ROLE })).effect).toBe("ALLOW");
    expect(evaluateScps(l, req("s3:ListAllMyBuckets", { "aws:PrincipalArn": ROOT })).effect).toBe("ALLOW");
  });

  it("C: denies root creating access keys (ArnLike)", () => {
    const l = levels(C_ROOT_ACCESS_KEYS);
    expect(evaluateScps(l, req("iam:CreateAccessKey", { "aws:PrincipalArn": ROOT })).effect).toBe("DENY");
    expect(evaluateScps(l, req("iam:createaccesskey", { "aws:PrincipalArn": ROOT })).effect).toBe("DENY");
    expect(evaluateScps(l, req("iam:CreateAccessKey", { "aws:PrincipalArn": ROLE })).effect).toBe("ALLOW");
  });

  it("D blocks AssumeRoot sessions too; E leaves them usable", () => {
    const assumeRoot = { "aws:PrincipalArn": ROOT, "aws:AssumedRoot": "true" };
    expect(evaluateScps(levels(D_RESTRICT_ROOT), req("iam:DeleteLoginProfile", assumeRoot)).effect).toBe(
      "DENY",
    );
    expect(
      evaluateScps(levels(E_ROOT_EXCEPT_ASSUME_ROOT), req("iam:DeleteLoginProfile", assumeRoot)).effect,
    ).toBe("ALLOW");
    expect(
      evaluateScps(
        levels(E_ROOT_EXCEPT_ASSUME_ROOT),
        req("s3:ListAllMyBuckets", { "aws:PrincipalArn": ROOT }),
      ).effect,
    ).toBe("DENY");
  });

  it("F: ArnNotLike exempts the listed roles (key names are case-insensitive)", () => {
    const l = levels(F_EXEMPT_ROLES);
    const exempt = "arn:aws:iam::111122223333:role/Role1AllowedToBypassThisSCP";
    expect(evaluateScps(l, req("iam:CreateRole", { "aws:PrincipalArn": exempt })).effect).toBe("ALLOW");
    const denied = evaluateScps(l, req("iam:CreateRole", { "aws:PrincipalArn": ROLE }));
    expect(denied).toMatchObject({ effect: "DENY", by: "explicit-deny", policy: "under-test" });
  });

  it("denies implicitly when a level has no Allow (allow-list strategy)", () => {
    const onlyS3: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
    };
    const l: PolicyLevel[] = [
      {
        nodeId: "r",
        nodePath: "Root",
        policies: [{ name: "FullAWSAccess", document: FULL_AWS_ACCESS, managed: false }],
      },
      {
        nodeId: "ou",
        nodePath: "Root/Prod",
        policies: [{ name: "s3-only", document: onlyS3, managed: false }],
      },
    ];
    expect(evaluateScps(l, req("s3:GetObject", {})).effect).toBe("ALLOW");
    expect(evaluateScps(l, req("ec2:RunInstances", {}))).toEqual({
      effect: "DENY",
      by: "no-allow",
      nodePath: "Root/Prod",
    });
  });

  it("matches NotAction, Resource and NotResource", () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Deny", NotAction: ["iam:Get*", "sts:GetSessionToken"], Resource: "*" },
        { Effect: "Deny", Action: "iam:GetUser", NotResource: "arn:aws:iam::*:root" },
      ],
    };
    const l = levels(doc);
    expect(evaluateScps(l, req("s3:ListAllMyBuckets", {})).effect).toBe("DENY");
    expect(evaluateScps(l, req("iam:GetAccountSummary", {})).effect).toBe("ALLOW");
    expect(evaluateScps(l, req("iam:GetUser", {}, "arn:aws:iam::111122223333:root")).effect).toBe("ALLOW");
    expect(evaluateScps(l, req("iam:GetUser", {}, "arn:aws:iam::111122223333:user/bob")).effect).toBe("DENY");
  });
});

/** One operator on one key, as a statement's condition would judge it. */
function holds(
  operator: string,
  actual: string | string[] | undefined,
  values: string[],
  keys: Record<string, KeyValue> = {},
): ConditionVerdict {
  const op = parseConditionOperator(operator);
  if (typeof op === "string") throw new Error(op);
  return conditionHolds(op as ConditionOperator, actual, values, toRequestKeys(keys));
}

// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
describe("condition operators", () => {
  it("absent keys: positive operators fail, negated and IfExists operators pass, Null tests presence", () => {
    expect(holds("StringEquals", undefined, ["x"])).toBe(false);
    expect(holds("StringNotEquals", undefined, ["x"])).toBe(true);
    expect(holds("ArnNotLike", undefined, ["arn:aws:iam::*:root"])).toBe(true);
    expect(holds("StringEqualsIfExists", undefined, ["x"])).toBe(true);
    expect(holds("NumericLessThan", undefined, ["2"])).toBe(false);
    expect(holds("NumericLessThanIfExists", undefined, ["2"])).toBe(true);
    expect(holds("Null", undefined, ["true"])).toBe(true);
    expect(holds("Null", "true", ["true"])).toBe(false);
    expect(holds("Null", "x", ["false"])).toBe(true);
  });

  it("values of one key are ORed; negated operators match none", () => {
    expect(holds("StringLike", "app-prod", ["dev-*", "app-*"])).toBe(true);
    expect(holds("StringNotLike", "app-prod", ["dev-*", "app-*"])).toBe(false);
    expect(holds("StringEqualsIgnoreCase", "ABC", ["abc"])).toBe(true);
    expect(holds("StringEquals", "ABC", ["abc"])).toBe(false);
    expect(holds("StringEquals", "a*", ["a*"])).toBe(true);
    expect(holds("StringEquals", "abc", ["a*"])).toBe(false);
  });

  it("IpAddress and NotIpAddress match CIDRs, IPv4 and IPv6, /0 and bare addresses", () => {
    expect(holds("IpAddress", "192.0.2.7", ["192.0.2.0/24"])).toBe(true);
    expect(holds("IpAddress", "198.51.100.1", ["192.0.2.0/24"])).toBe(false);
    expect(holds("NotIpAddress", "198.51.100.1", ["192.0.2.0/24", "203.0.113.0/24"])).toBe(true);
    expect(holds("IpAddress", "2001:db8::1", ["2001:db8::/32"])).toBe(true);
    expect(holds("IpAddress", "198.51.100.1", ["0.0.0.0/0"])).toBe(true);
    expect(holds("IpAddress", "2001:db8::1", ["0.0.0.0/0"])).toBe(false);
    expect(holds("IpAddress", "192.0.2.7", ["192.0.2.7"])).toBe(true);
    // A caller of the other family is outside every range of this one.
    expect(holds("NotIpAddress", "2001:db8::1", ["192.0.2.7"])).toBe(true);
  });

  it("Numeric* and Date* compare numbers and instants (AWS's IMDSv2 and time-window examples)", () => {
    expect(holds("NumericLessThan", "1", ["2"])).toBe(true);
    expect(holds("NumericLessThan", "2", ["2"])).toBe(false);
    expect(holds("NumericLessThanEquals", "2", ["2"])).toBe(true);
    expect(holds("NumericGreaterThan", "10", ["9.5"])).toBe(true);
    expect(holds("NumericNotEquals", "3", ["1", "2"])).toBe(true);
    expect(holds("NumericEquals", "not-a-number", ["1"])).toBe(false);
    expect(holds("DateGreaterThan", "2026-11-30T12:00:00Z", ["2026-01-01T00:00:00Z"])).toBe(true);
    expect(holds("DateLessThan", "2026-11-30T12:00:00Z", ["2026-01-01T00:00:00Z"])).toBe(false);
    expect(holds("DateLessThan", "1700000000", ["2026-01-01T00:00:00Z"])).toBe(true);
    expect(holds("DateEquals", "2026-01-01T00:00:00Z", ["1767225600"])).toBe(true);
    expect(holds("BinaryEquals", "QmluYXJ5", ["QmluYXJ5"])).toBe(true);
  });

  it("set operators on multivalued keys: ForAllValues is vacuously true, ForAnyValue needs one", () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
    const allowed = ["Owner", "CostCenter"];
    expect(holds("ForAllValues:StringEquals", ["Owner"], allowed)).toBe(true);
    expect(holds("ForAllValues:StringEquals", ["Owner", "Secret"], allowed)).toBe(false);
    expect(holds("ForAllValues:StringEquals", undefined, allowed)).toBe(true);
    expect(holds("ForAllValues:StringEquals", [], allowed)).toBe(true);
    expect(holds("ForAnyValue:StringEquals", ["Secret", "Owner"], allowed)).toBe(true);
    expect(holds("ForAnyValue:StringEquals", ["Secret"], allowed)).toBe(false);
    expect(holds("ForAnyValue:StringEquals", undefined, allowed)).toBe(false);
    expect(holds("ForAnyValue:StringNotEquals", ["Owner", "Secret"], allowed)).toBe(true);
    expect(holds("ForAllValues:StringNotEquals", ["Owner", "Secret"], allowed)).toBe(false);
    expect(holds("ForAnyValue:StringLike", ["cloudformation.amazonaws.com"], ["*.amazonaws.com"])).toBe(true);
  });

  it("ArnLike matches the six ARN parts separately; a shorter pattern matches nothing", () => {
    const arn = (p: string, v: string) => holds("ArnLike", v, [p]);
    const sso = "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*";
    expect(
      arn(sso, "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1a2b"),
    ).toBe(true);
    expect(
      arn(
        sso,
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_1a2b",
      ),
    ).toBe(true);
    expect(arn("arn:aws:iam::*:root", "arn:aws:iam::111122223333:user/root")).toBe(false);
    expect(arn("arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/path/alice")).toBe(true);
    expect(arn("arn:aws:iam::*", "arn:aws:iam::111122223333:user/alice")).toBe(false);
    expect(arn("arn:aws:*", "arn:aws:iam::111122223333:user/alice")).toBe(false);
    expect(arn("arn:*:iam::*:*", "arn:aws:iam::111122223333:user/alice")).toBe(true);
    expect(arn("arn:aws:logs:*:*:log-group:*", "arn:aws:logs:eu-west-1:111122223333:log-group:x:*")).toBe(
      true,
    );
  });

  it("Resource wildcards stay in their ARN segment unless they end it", () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    const res = (p: string, v: string) => matchesPattern(p, "resource", v, toRequestKeys({}));
    expect(res("arn:aws:iam::*", "arn:aws:iam::111122223333:user/alice")).toBe(true);
    expect(res("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b/c")).toBe(true);
    expect(res("arn:aws:iam::*:role/a*z", "arn:aws:iam::111122223333:role/a:z")).toBe(false);
    expect(res("*", "anything at all")).toBe(true);
  });

  it("policy variables resolve from the request, with defaults and escapes; a missing one matches nothing", () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    const keys = { "aws:PrincipalTag/Owner": "alice", "aws:username": "bob" };
    expect(holds("StringEquals", "alice", ["${aws:PrincipalTag/Owner}"], keys)).toBe(true);
    expect(holds("StringEquals", "alice", ["${aws:principaltag/owner}"], keys)).toBe(true);
    expect(holds("StringEquals", "team-x", ["${aws:PrincipalTag/Team, 'team-x'}"], keys)).toBe(true);
    expect(holds("StringLike", "a*b", ["a${*}b"], keys)).toBe(true);
    expect(holds("StringLike", "axxb", ["a${*}b"], keys)).toBe(false);
    expect(holds("StringEquals", "$?", ["${$}${?}"], keys)).toBe(true);
    // The key is absent: the value is null and equals nothing, so the negated operator holds.
    expect(holds("StringEquals", "alice", ["${aws:PrincipalTag/Team}"], keys)).toBe(false);
    expect(holds("StringNotEquals", "alice", ["${aws:PrincipalTag/Team}"], keys)).toBe(true);
    const res = (p: string, v: string) => matchesPattern(p, "resource", v, toRequestKeys(keys));
    expect(res("arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::111122223333:user/bob")).toBe(true);
    expect(res("arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::111122223333:user/eve")).toBe(false);
    expect(res("arn:aws:iam::*:user/${aws:userid}", "arn:aws:iam::111122223333:user/eve")).toBe(false);
  });
});

describe("cases AWS documents no reading for", () => {
  it("are uncertain at the condition, and the evaluator takes the reading under which a Deny applies", () => {
    expect(holds("ArnLike", "arn:aws:iam::111122223333:user/alice", ["*"])).toHaveProperty("uncertain");
    expect(holds("NotIpAddress", "cloudformation.amazonaws.com", ["192.0.2.0/24"])).toHaveProperty(
      "uncertain",
    );
    expect(holds("StringEquals", ["a", "b"], ["a"])).toHaveProperty("uncertain");
    expect(holds("StringEquals", ["a"], ["a"])).toHaveProperty("uncertain");
    expect(holds("StringEquals", "a", ["a"])).toBe(true);
    expect(holds("ForAnyValue:StringEqualsIfExists", undefined, ["a"])).toHaveProperty("uncertain");

    const denyStar = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "S",
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { ArnNotLike: { "aws:PrincipalArn": "*" } },
        },
      ],
    };
    expect(evaluateScps(levels(denyStar), req("s3:GetObject", { "aws:PrincipalArn": ROLE }))).toMatchObject({
      effect: "DENY",
      by: "explicit-deny",
      assumed: expect.stringContaining('pattern "*"'),
    });
    const allowOnly: PolicyLevel[] = [
      {
        nodeId: "ou",
        nodePath: "Root/AllowList",
        policies: [
          {
            name: "allow-if",
            managed: false,
            document: {
              Version: "2012-10-17",
              Statement: [
                {
                  Effect: "Allow",
                  Action: "*",
                  Resource: "*",
                  Condition: { ArnLike: { "aws:PrincipalArn": "*" } },
                },
              ],
            },
          },
        ],
      },
    ];
    expect(evaluateScps(allowOnly, req("s3:GetObject", { "aws:PrincipalArn": ROLE }))).toMatchObject({
      effect: "DENY",
      by: "no-allow",
      assumed: expect.stringContaining('pattern "*"'),
    });
  });
});

describe("what the evaluator refuses to judge", () => {
  it("names the policy, the statement and the operator, never a stack trace", () => {
    const bad = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Odd",
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { StringSounds: { "aws:x": "y" } },
        },
      ],
    };
    expect(() => evaluateScps(levels(bad), req("s3:GetObject", {}))).toThrow(
      /SCP under-test, statement Odd \(#1\): unknown condition operator StringSounds/,
    );
  });

  it("reports a malformed CIDR in a foreign policy as a problem of that statement", () => {
    const bad = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/33" } },
        },
      ],
    };
    expect(policyProblems(bad as PolicyDocument)).toEqual([
      'statement #1: NotIpAddress on aws:SourceIp: "10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR range',
    ]);
    expect(() => evaluateScps(levels(bad), req("s3:GetObject", { "aws:SourceIp": "192.0.2.1" }))).toThrow(
      /cannot evaluate SCP under-test/,
    );
  });
});

describe("service-linked roles", () => {
  it("are never subject to SCPs, whatever the policy says", () => {
    // "SCPs do not affect any service-linked role":
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
    const denyAll = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] };
    const slr =
      "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
    expect(evaluateScps(levels(denyAll), req("config:PutEvaluations", { "aws:PrincipalArn": slr }))).toEqual({
      effect: "ALLOW",
      exempt: "service-linked-role",
    });
    expect(evaluateScps(levels(denyAll), req("s3:GetObject", { "aws:PrincipalArn": ROLE })).effect).toBe(
      "DENY",
    );
  });
});
