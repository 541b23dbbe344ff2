import { describe, expect, it } from "vitest";
import type { PolicyLevel, ProbeRequest } from "../evaluate-scps.js";
import type { PolicyDocument } from "../policy-document.js";
import { loadPolicyLibrary, requirePolicy } from "../policy-library.js";
import { renderPolicy } from "../render-policy.js";
import { defaultScpParameters, scpParameters } from "../scp-parameters.js";
import { judgeChange } from "./judge-change.js";
import { OTHER_VALUE, unobservableKeyVariants } from "./key-variants.js";
import { policyTerms, requestUnknowns, UNNAMED_RESOURCE, UNRECORDED_VPC } from "./request-unknowns.js";

const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};
const library = loadPolicyLibrary();
const params = defaultScpParameters();
const policy = (name: string) => {
  const r = renderPolicy(requirePolicy(library, name), params);
  return { name: r.managedName, document: r.document, managed: true };
};

function path(...extra: ReturnType<typeof policy>[]): PolicyLevel[] {
  return [
    {
      nodeId: "r-1",
      nodePath: "Root",
      policies: [{ name: "FullAWSAccess", document: FULL_AWS_ACCESS, managed: false }],
    },
    {
      nodeId: "ou-1",
      nodePath: "Root/Workloads",
      policies: [{ name: "FullAWSAccess", document: FULL_AWS_ACCESS, managed: false }, ...extra],
    },
  ];
}

const ACCOUNT = "111122223333";
const CI_USER = "arn:aws:iam::111122223333:user/ci-deploy";
function request(principal: string, keys: Record<string, string> = {}): ProbeRequest {
  return {
    action: "s3:PutObject",
    resource: "arn:aws:s3:::example-artifacts/build.zip",
    keys: {
      "aws:PrincipalArn": principal,
      "aws:PrincipalAccount": "111122223333",
      "aws:RequestedRegion": "eu-west-1",
      "aws:ViaAWSService": "false",
      ...keys,
    },
  };
}

const requireMfa = policy("require-mfa");
const before = path();
const after = path(requireMfa);
const everyKey = unobservableKeyVariants([requireMfa]);
// The principal's tags read from IAM: no variant of aws:PrincipalTag is tried any more.
const tagsKnown = new Map([...everyKey].filter(([k]) => !k.toLowerCase().startsWith("aws:principaltag/")));

describe("judgeChange: what require-mfa does to recorded calls", () => {
  it("an IAM user's access keys (no MFA key) with its tags known: newly denied by DenyIamUsersWithoutMFA", () => {
    const v = judgeChange(before, after, request(CI_USER), tagsKnown);
    expect(v.kind).toBe("newly-denied");
    if (v.kind !== "newly-denied") return;
    expect(v.statement?.policy).toBe("orgwarden-require-mfa");
    expect(v.statement?.sid).toBe("DenyIamUsersWithoutMFA");
    expect(
      v.statement?.conditionKeys.find((k) => k.key === "aws:MultiFactorAuthPresent")?.value,
    ).toBeUndefined();
  });

  it("the same call with the tags unknown hangs on the MFA-exempt tag: undetermined, with the key", () => {
    const v = judgeChange(before, after, request(CI_USER), everyKey);
    expect(v.kind).toBe("undetermined");
    if (v.kind !== "undetermined") return;
    expect(v.keys).toEqual(["aws:PrincipalTag/orgwarden:mfa-exempt"]);
    expect(v.asRecorded.effect).toBe("DENY");
    expect(v.statement?.sid).toBe("DenyIamUsersWithoutMFA");
  });

  it("a user signed in with MFA, and a role session, stay allowed", () => {
    expect(
      judgeChange(before, after, request(CI_USER, { "aws:MultiFactorAuthPresent": "true" }), everyKey).kind,
    ).toBe("still-allowed");
    expect(judgeChange(before, after, request("arn:aws:iam::111122223333:role/deploy"), everyKey).kind).toBe(
      "still-allowed",
    );
  });

  it("a call an SCP denies today is already denied, not the change's doing", () => {
    const denyS3: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Sid: "NoS3", Effect: "Deny", Action: "s3:*", Resource: "*" }],
    };
    const guarded = path({ name: "aws-guardrails-abc", document: denyS3, managed: false });
    const v = judgeChange(
      guarded,
      [
        ...guarded.slice(0, 1),
        { ...(guarded[1] as PolicyLevel), policies: [...(guarded[1] as PolicyLevel).policies, requireMfa] },
      ],
      request(CI_USER),
      tagsKnown,
    );
    expect(v.kind).toBe("already-denied");
  });

  it("a call the change leaves allowed only while a tag is absent is undetermined (a Deny on aws:ResourceTag)", () => {
    const denyProd: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "NoProdWrites",
          Effect: "Deny",
          Action: "s3:PutObject",
          Resource: "*",
          Condition: { StringEquals: { "aws:ResourceTag/env": "prod" } },
        },
      ],
    };
    const change = { name: "orgwarden-no-prod-writes", document: denyProd, managed: true };
    const variants = unobservableKeyVariants([change]);
    expect([...variants.entries()]).toEqual([["aws:ResourceTag/env", [undefined, "prod", OTHER_VALUE]]]);
    const v = judgeChange(before, path(change), request(CI_USER), variants);
    expect(v.kind).toBe("undetermined");
    if (v.kind !== "undetermined") return;
    expect(v.asRecorded.effect).toBe("ALLOW");
    expect(v.keys).toEqual(["aws:ResourceTag/env"]);
    expect(v.statement?.sid).toBe("NoProdWrites");
  });
});

describe("judgeChange: what a recorded call leaves open", () => {
  const network = (allowedVpcs: string[]) => {
    const r = renderPolicy(
      requirePolicy(library, "restrict-source-ip"),
      scpParameters({ roleName: "OrgwardenAccessRole", allowedCidrs: ["203.0.113.0/24"], allowedVpcs }),
    );
    return { name: r.managedName, document: r.document, managed: true };
  };
  const role = "arn:aws:iam::111122223333:role/app/orders-api-task";
  // A call over a VPC endpoint: no aws:SourceIp, aws:SourceVpce recorded, aws:SourceVpc set by AWS but not recorded.
  const overEndpoint = request(role, {
    "aws:SourceVpce": "vpce-0a1b2c3d4e5f6a7b8",
    "aws:SourceVpc": UNRECORDED_VPC,
  });
  // The role's tags read from IAM (it has none): only what the event leaves open is tried.
  const judge = (policy: ReturnType<typeof network>) => {
    const terms = policyTerms([policy]);
    return judgeChange(
      before,
      path(policy),
      overEndpoint,
      new Map(),
      requestUnknowns(terms, { keys: ["aws:SourceVpc"], resourceNamed: true, account: ACCOUNT }),
    );
  };

  it("a call over a VPC endpoint is not restricted when no VPC is listed: aws:SourceVpc is present", () => {
    expect(judge(network([])).kind).toBe("still-allowed");
  });

  it("with allowed VPCs it hangs on the endpoint's VPC, which the event does not name; never on the key being absent", () => {
    const policy = network(["vpc-0a1b2c3d"]);
    const v = judge(policy);
    expect(v.kind).toBe("undetermined");
    if (v.kind !== "undetermined") return;
    expect(v.keys).toEqual(["aws:SourceVpc"]);
    expect(v.asRecorded.effect).toBe("DENY");
    expect(v.statement?.sid).toBe("DenyOutsideAllowedNetworksAndVpcs");
    expect([
      ...(requestUnknowns(policyTerms([policy]), {
        keys: ["aws:SourceVpc"],
        resourceNamed: true,
        account: ACCOUNT,
      }).keys ?? []),
    ]).toEqual([["aws:SourceVpc", ["vpc-0a1b2c3d", OTHER_VALUE]]]);
  });

  // CloudFormation's call with the deploy role: the role's credentials (aws:ViaAWSService true) or
  // the role as CloudFormation's service role (false), from CloudFormation's address or none.
  const serviceCall = request("arn:aws:iam::111122223333:role/deploy", { "aws:ViaAWSService": "true" });
  const serviceOpen = ["aws:ViaAWSService", "aws:SourceIp"];

  it("a service's call that may have been made as its service role hangs on aws:ViaAWSService", () => {
    const policy = network([]);
    const terms = policyTerms([policy]);
    const unknowns = requestUnknowns(terms, { keys: serviceOpen, resourceNamed: true, account: ACCOUNT });
    expect([...(unknowns.keys ?? [])]).toEqual([
      ["aws:ViaAWSService", ["true", "false"]],
      ["aws:SourceIp", [undefined, "192.0.2.1"]],
    ]);
    const v = judgeChange(before, path(policy), serviceCall, new Map(), unknowns);
    expect(v.kind).toBe("undetermined");
    if (v.kind !== "undetermined") return;
    expect(v.keys).toEqual(["aws:ViaAWSService"]);
    expect(v.asRecorded.effect).toBe("ALLOW");
    expect(v.statement?.sid).toBe("DenyOutsideAllowedNetworks");
  });

  it("the open keys are tried together: a Deny that needs a direct call and an address", () => {
    const both: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DirectCallsWithAnAddress",
          Effect: "Deny",
          Action: "*",
          Resource: "*",
          Condition: { Bool: { "aws:ViaAWSService": "false" }, Null: { "aws:SourceIp": "false" } },
        },
      ],
    };
    const change = { name: "orgwarden-office", document: both, managed: true };
    const unknowns = requestUnknowns(policyTerms([change]), {
      keys: serviceOpen,
      resourceNamed: true,
      account: ACCOUNT,
    });
    const v = judgeChange(before, path(change), serviceCall, new Map(), unknowns);
    expect(v.kind).toBe("undetermined");
    if (v.kind !== "undetermined") return;
    expect(v.keys).toEqual(["aws:ViaAWSService", "aws:SourceIp"]);
    expect(v.statement?.sid).toBe("DirectCallsWithAnAddress");
    expect(v.statement?.conditionKeys.map((k) => [k.key, k.value])).toEqual([
      ["aws:ViaAWSService", "false"],
      ["aws:SourceIp", "192.0.2.1"],
    ]);
  });

  it("a call whose event names no resource hangs on it when a Deny is scoped to resources", () => {
    const rendered = renderPolicy(
      requirePolicy(library, "protect-exempt-roles"),
      scpParameters({
        roleName: "OrgwardenAccessRole",
        exemptPrincipals: ["arn:aws:iam::*:role/BreakGlass"],
      }),
    );
    const protect = { name: rendered.managedName, document: rendered.document, managed: true };
    const terms = policyTerms([protect]);
    const call = {
      ...request("arn:aws:iam::111122223333:role/deploy"),
      action: "iam:UpdateAssumeRolePolicy",
      resource: "*",
    };
    const unnamed = requestUnknowns(terms, { keys: [], resourceNamed: false, account: ACCOUNT });
    expect(unnamed.resources).toContain("arn:aws:iam::111122223333:role/BreakGlass");
    const v = judgeChange(before, path(protect), call, new Map(), unnamed);
    expect(v.kind).toBe("undetermined");
    if (v.kind !== "undetermined") return;
    expect(v.keys).toEqual([UNNAMED_RESOURCE]);
    expect(v.asRecorded.effect).toBe("ALLOW");
    expect(v.statement?.sid).toBe("ProtectExemptRoles");
    // Named, the resource decides: another role is left alone.
    const named = requestUnknowns(terms, { keys: [], resourceNamed: true, account: ACCOUNT });
    const other = { ...call, resource: "arn:aws:iam::111122223333:role/app" };
    expect(judgeChange(before, path(protect), other, new Map(), named).kind).toBe("still-allowed");
  });
});
