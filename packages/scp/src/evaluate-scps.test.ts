import { describe, expect, it } from "vitest";
import {
  arnMatch,
  conditionHolds,
  evaluateScps,
  type PolicyLevel,
  type ProbeRequest,
} from "./evaluate-scps.js";
import type { PolicyDocument } from "./policy-document.js";

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

function req(action: string, keys: Record<string, string>, resource = "*"): ProbeRequest {
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

describe("condition operators", () => {
  it("absent keys: positive operators fail, negated and IfExists operators pass, Null tests presence", () => {
    expect(conditionHolds("StringEquals", undefined, ["x"])).toBe(false);
    expect(conditionHolds("StringNotEquals", undefined, ["x"])).toBe(true);
    expect(conditionHolds("ArnNotLike", undefined, ["arn:aws:iam::*:root"])).toBe(true);
    expect(conditionHolds("StringEqualsIfExists", undefined, ["x"])).toBe(true);
    expect(conditionHolds("Null", undefined, ["true"])).toBe(true);
    expect(conditionHolds("Null", "true", ["true"])).toBe(false);
    expect(conditionHolds("Null", "x", ["false"])).toBe(true);
  });

  it("values of one key are ORed; negated operators match none", () => {
    expect(conditionHolds("StringLike", "app-prod", ["dev-*", "app-*"])).toBe(true);
    expect(conditionHolds("StringNotLike", "app-prod", ["dev-*", "app-*"])).toBe(false);
    expect(conditionHolds("StringEqualsIgnoreCase", "ABC", ["abc"])).toBe(true);
    expect(conditionHolds("StringEquals", "ABC", ["abc"])).toBe(false);
  });

  it("IpAddress and NotIpAddress match CIDRs, IPv4 and IPv6", () => {
    expect(conditionHolds("IpAddress", "192.0.2.7", ["192.0.2.0/24"])).toBe(true);
    expect(conditionHolds("IpAddress", "198.51.100.1", ["192.0.2.0/24"])).toBe(false);
    expect(conditionHolds("NotIpAddress", "198.51.100.1", ["192.0.2.0/24", "203.0.113.0/24"])).toBe(true);
    expect(conditionHolds("IpAddress", "2001:db8::1", ["2001:db8::/32"])).toBe(true);
  });

  it("refuses operators it cannot evaluate instead of guessing", () => {
    expect(() => conditionHolds("NumericLessThan", "3", ["5"])).toThrow(
      /cannot evaluate the condition operator/,
    );
    expect(() => conditionHolds("ForAnyValue:StringLike", "a", ["a"])).toThrow(/cannot evaluate/);
  });

  it("ArnLike matches the six ARN parts separately", () => {
    const sso = "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*";
    expect(
      arnMatch(
        sso,
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1a2b",
      ),
    ).toBe(true);
    expect(
      arnMatch(
        sso,
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/ap-northeast-1/AWSReservedSSO_Admin_1a2b",
      ),
    ).toBe(true);
    expect(arnMatch("arn:aws:iam::*:root", "arn:aws:iam::111122223333:user/root")).toBe(false);
    expect(arnMatch("arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/path/alice")).toBe(true);
  });
});
