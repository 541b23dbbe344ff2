import { describe, expect, it } from "vitest";
import { checkSimulatedPrincipal, type RequestSetting, simulatedRequest } from "./simulated-request.js";

const ORG_PATHS: Record<string, string> = {
  "111122223333": "o-abc/r-ab12/ou-ab12-11111111/",
  "444455556666": "o-abc/r-ab12/",
};
const SETTING: RequestSetting = {
  organizationId: "o-abc",
  account: "111122223333",
  orgPathOf: (account) => ORG_PATHS[account],
};
const ask = (over: Partial<Parameters<typeof simulatedRequest>[0]> = {}) =>
  simulatedRequest(
    {
      principal: "arn:aws:iam::111122223333:user/alice",
      action: "s3:ListAllMyBuckets",
      resource: "*",
      region: "eu-west-1",
      partition: "aws",
      overrides: [],
      ...over,
    },
    SETTING,
  );

describe("simulatedRequest: the keys AWS would send, and what --context changes", () => {
  it("the principal's and the resource's keys as the guard's probes carry them; nothing about MFA or the network", () => {
    const built = ask();
    expect(built.request.keys).toEqual({
      "aws:PrincipalArn": "arn:aws:iam::111122223333:user/alice",
      "aws:PrincipalAccount": "111122223333",
      "aws:PrincipalOrgID": "o-abc",
      "aws:PrincipalType": "User",
      "aws:PrincipalIsAWSService": "false",
      "aws:RequestedRegion": "eu-west-1",
      "aws:SecureTransport": "true",
      "aws:ViaAWSService": "false",
      "aws:ResourceAccount": "111122223333",
      "aws:ResourceOrgID": "o-abc",
      "aws:ResourceOrgPaths": ["o-abc/r-ab12/ou-ab12-11111111/"],
    });
    expect(built.assumed).not.toContain("aws:PrincipalArn");
    expect(built.assumed).toContain("aws:RequestedRegion");
    expect(built.removed).toEqual([]);
  });

  it("IAM's actions carry us-east-1; a short principal is put in the evaluated account", () => {
    const built = ask({ principal: "root", action: "iam:CreateUser" });
    expect(built.principalArn).toBe("arn:aws:iam::111122223333:root");
    expect(built.request.keys["aws:RequestedRegion"]).toBe("us-east-1");
    expect(built.request.keys["aws:PrincipalType"]).toBe("Account");
  });

  it("--context replaces a default (in any letter case), adds a key, takes one out", () => {
    const built = ask({
      overrides: [
        { key: "aws:requestedregion", value: "ap-south-1" },
        { key: "aws:MultiFactorAuthPresent", value: "true" },
        { key: "aws:TagKeys", value: ["team", "env"] },
        { key: "aws:SecureTransport", value: null },
      ],
    });
    const keys = built.request.keys;
    expect(keys["aws:RequestedRegion"]).toBe(undefined);
    expect(keys["aws:requestedregion"]).toBe("ap-south-1");
    expect(keys["aws:MultiFactorAuthPresent"]).toBe("true");
    expect(keys["aws:TagKeys"]).toEqual(["team", "env"]);
    expect("aws:SecureTransport" in keys).toBe(false);
    expect(built.assumed).not.toContain("aws:RequestedRegion");
    expect(built.assumed).not.toContain("aws:SecureTransport");
    expect(built.removed).toEqual(["aws:SecureTransport"]);
  });

  it("a resource of another account of the organization has its org path; one outside it, none of the organization's keys", () => {
    const inOrg = ask({ resource: "arn:aws:s3:us-east-1:444455556666:accesspoint/ap" });
    expect(inOrg.request.keys["aws:ResourceAccount"]).toBe("444455556666");
    expect(inOrg.request.keys["aws:ResourceOrgPaths"]).toEqual(["o-abc/r-ab12/"]);
    const outside = ask({ resource: "arn:aws:sqs:us-east-1:999999999999:queue" });
    expect(outside.request.keys["aws:ResourceAccount"]).toBe("999999999999");
    expect(outside.request.keys["aws:ResourceOrgID"]).toBe(undefined);
    expect(outside.request.keys["aws:ResourceOrgPaths"]).toBe(undefined);
  });

  it("a principal of an account outside the organization carries no aws:PrincipalOrgID", () => {
    const built = ask({ principal: "arn:aws:iam::999999999999:role/Partner" });
    expect(built.request.keys["aws:PrincipalAccount"]).toBe("999999999999");
    expect(built.request.keys["aws:PrincipalOrgID"]).toBe(undefined);
    expect(built.request.keys["aws:PrincipalType"]).toBe("AssumedRole");
  });
});

describe("checkSimulatedPrincipal", () => {
  it("takes IAM user, role and root ARNs and their short forms", () => {
    for (const p of [
      "arn:aws:iam::111122223333:user/alice",
      "arn:aws-us-gov:iam::111122223333:role/ops/Deploy",
      "arn:aws:iam::111122223333:root",
      "user/alice",
      "role/Deploy",
      "root",
    ])
      expect(() => checkSimulatedPrincipal(p), p).not.toThrow();
  });

  it("refuses a role session with the role's ARN to give instead, and patterns or other ARNs", () => {
    expect(() => checkSimulatedPrincipal("arn:aws:sts::111122223333:assumed-role/Deploy/s1")).toThrow(
      expect.objectContaining({
        code: "INVALID_INPUT",
        hint: expect.stringContaining("arn:aws:iam::111122223333:role/Deploy"),
      }),
    );
    for (const p of ["arn:aws:iam::*:user/alice", "arn:aws:iam::111122223333:group/admins", "alice", ""])
      expect(() => checkSimulatedPrincipal(p), p).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
