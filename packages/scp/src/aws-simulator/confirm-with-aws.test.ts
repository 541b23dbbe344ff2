import { DescribePolicyCommand, OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Inventory, OrgAccount } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { evaluateScps, type PolicyLevel } from "../evaluate-scps.js";
import { checkLockout } from "../lockout-guard.js";
import { planApplyScp } from "../plan-apply-scp.js";
import type { PolicyDocument } from "../policy-document.js";
import { loadPolicyLibrary, requirePolicy } from "../policy-library.js";
import type { Probe } from "../probes.js";
import { renderPolicy } from "../render-policy.js";
import { scpParameters } from "../scp-parameters.js";
import { askAwsSimulator } from "./ask-aws-simulator.js";
import { AskedRequests, confirmWithAws } from "./confirm-with-aws.js";
import { batchRequests, requestKeyer } from "./simulation-batches.js";
import {
  contextEntries,
  type PolicySimulator,
  type SimulationAnswer,
  type SimulationCall,
} from "./simulation-call.js";

const FULL: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};
const DENY_S3: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }],
};

function levels(extra: object[] = []): PolicyLevel[] {
  return [
    {
      nodeId: "r-1",
      nodePath: "Root",
      policies: [{ name: "FullAWSAccess", document: FULL, managed: false }],
    },
    {
      nodeId: "ou-1",
      nodePath: "Root/Apps",
      policies: [
        { name: "FullAWSAccess", document: FULL, managed: false },
        ...extra.map((d, i) => ({ name: `orgwarden-p${i}`, document: d as never, managed: true })),
      ],
    },
  ];
}

const ROLE = "arn:aws:iam::222222222222:role/app";
const keys = { "aws:PrincipalArn": ROLE, "aws:RequestedRegion": "us-east-1" };

function probe(expect: Probe["expect"], requests: Probe["requests"], principalArn = ROLE): Probe {
  return {
    id: `p-${expect}`,
    label: `a probe expecting ${expect}`,
    principalArn,
    requests,
    expect,
    strictness: "managed",
  };
}

/** Answers with orgwarden's evaluator, then lets a test change what "AWS" says. */
function simulator(
  change: (a: SimulationAnswer) => SimulationAnswer = (a) => a,
  calls: SimulationCall[] = [],
): PolicySimulator {
  return async (call) => {
    calls.push(call);
    const path: PolicyLevel[] = call.levels.map((docs, i) => ({
      nodeId: `l${i}`,
      nodePath: `l${i}`,
      policies: docs.map((d, j) => ({ name: `p${j}`, document: JSON.parse(d), managed: false })),
    }));
    const k = Object.fromEntries(
      call.context.map((c) => [c.name, c.type === "stringList" ? c.values : (c.values[0] as string)]),
    );
    const answers = call.actions.flatMap((action) =>
      call.resources.map((resource) => {
        const d = evaluateScps(path, { action, resource, keys: k });
        return change({
          action,
          resource,
          decision: d.effect === "ALLOW" ? "allowed" : d.by === "no-allow" ? "implicitDeny" : "explicitDeny",
          allowedByOrganizations: d.effect === "ALLOW",
        });
      }),
    );
    return { answers, pages: 1 };
  };
}

describe("the SimulateCustomPolicy request", () => {
  it("types the keys the policy language compares as other than strings", () => {
    expect(
      contextEntries({
        "aws:SourceIp": "192.0.2.1",
        "aws:MultiFactorAuthPresent": "false",
        "aws:TagKeys": ["team"],
        "aws:PrincipalArn": ROLE,
        "aws:MultiFactorAuthAge": "300",
      }),
    ).toEqual([
      { name: "aws:MultiFactorAuthAge", type: "numeric", values: ["300"] },
      { name: "aws:MultiFactorAuthPresent", type: "boolean", values: ["false"] },
      { name: "aws:PrincipalArn", type: "string", values: [ROLE] },
      { name: "aws:SourceIp", type: "ip", values: ["192.0.2.1"] },
      { name: "aws:TagKeys", type: "stringList", values: ["team"] },
    ]);
  });

  it("batches one call per path, context and resource set, each pair asked once", () => {
    const path = levels();
    const other = levels([DENY_S3]);
    const asked = [
      { levels: path, request: { action: "s3:GetObject", resource: "*", keys } },
      { levels: path, request: { action: "s3:PutObject", resource: "*", keys } },
      { levels: path, request: { action: "s3:PutObject", resource: "*", keys } },
      {
        levels: path,
        request: { action: "iam:GetRole", resource: "arn:aws:iam::222222222222:role/x", keys },
      },
      {
        levels: path,
        request: {
          action: "s3:GetObject",
          resource: "*",
          keys: { ...keys, "aws:RequestedRegion": "eu-west-1" },
        },
      },
      { levels: other, request: { action: "s3:GetObject", resource: "*", keys } },
    ];
    const batches = batchRequests(asked, requestKeyer());
    expect(batches.map((b) => [b.call.actions, b.call.resources])).toEqual([
      [["s3:GetObject", "s3:PutObject"], ["*"]],
      [["iam:GetRole"], ["arn:aws:iam::222222222222:role/x"]],
      [["s3:GetObject"], ["*"]],
      [["s3:GetObject"], ["*"]],
    ]);
    expect(batches[0]?.call.levels).toEqual([[JSON.stringify(FULL)], [JSON.stringify(FULL)]]);
  });
});

describe("confirmWithAws", () => {
  const allowProbe = probe("ALLOW", [{ action: "s3:GetObject", resource: "*", keys }]);
  const denyProbe = probe("DENY", [{ action: "s3:DeleteBucket", resource: "*", keys }]);

  function ask(path: PolicyLevel[], probes: Probe[]): AskedRequests {
    const asked = new AskedRequests();
    checkLockout(path, probes, asked.decide);
    return asked;
  }

  it("counts agreement, and leaves the guard's decider alone when AWS agrees", async () => {
    const asked = ask(levels([DENY_S3]), [allowProbe, denyProbe]);
    const { confirmation, decide } = await confirmWithAws(asked.all, { mode: "auto", simulate: simulator() });
    expect(confirmation).toMatchObject({
      ran: true,
      requests: 2,
      answered: 2,
      agreed: 2,
      calls: 1,
      disagreements: [],
    });
    expect(decide).toBeUndefined();
  });

  it("matches AWS's answers to the requests whatever the case of the action name", async () => {
    const asked = ask(levels([DENY_S3]), [allowProbe, denyProbe]);
    const { confirmation } = await confirmWithAws(asked.all, {
      mode: "on",
      simulate: simulator((a) => ({ ...a, action: a.action.toUpperCase() })),
    });
    expect(confirmation).toMatchObject({ answered: 2, agreed: 2, notSent: [] });
  });

  it("on: a request AWS returned no decision for is a refusal; auto: a note", async () => {
    const asked = ask(levels([DENY_S3]), [allowProbe, denyProbe]);
    const dropped = simulator((a) => ({ ...a, resource: "arn:${Partition}:s3:::${BucketName}" }));
    await expect(confirmWithAws(asked.all, { mode: "on", simulate: dropped })).rejects.toMatchObject({
      code: "REFUSED",
      message: expect.stringContaining("returned no decision for 2 of the lockout guard's 2 requests"),
    });
    const auto = await confirmWithAws(asked.all, { mode: "auto", simulate: dropped });
    expect(auto.confirmation.notSent).toEqual([{ reason: "AWS returned no decision for them", requests: 2 }]);
  });

  it("takes AWS's deny of what must be allowed: the probe blocks and says AWS saw it", async () => {
    const path = levels([DENY_S3]);
    const asked = ask(path, [allowProbe]);
    const { confirmation, decide } = await confirmWithAws(asked.all, {
      mode: "auto",
      simulate: simulator((a) =>
        a.action === "s3:GetObject" ? { ...a, decision: "explicitDeny", allowedByOrganizations: false } : a,
      ),
    });
    expect(confirmation.disagreements).toEqual([
      expect.objectContaining({
        action: "s3:GetObject",
        ours: "ALLOW",
        aws: "explicitDeny",
        guardTook: "aws",
        allowedByOrganizations: false,
      }),
    ]);
    const report = checkLockout(path, [allowProbe], decide);
    expect(report.blocking).toHaveLength(1);
    expect(report.blocking[0]?.detail).toMatch(
      /AWS's policy simulator denies it .*orgwarden's evaluator allows it/,
    );
  });

  it("takes AWS's allow of what must be denied; keeps orgwarden's deny where AWS allows a must-allow", async () => {
    const path = levels([DENY_S3]);
    const mustAllowDenied = probe("ALLOW", [{ action: "s3:DeleteBucket", resource: "*", keys }]);
    const asked = ask(path, [denyProbe]);
    const { decide } = await confirmWithAws(asked.all, {
      mode: "auto",
      simulate: simulator((a) => ({ ...a, decision: "allowed", allowedByOrganizations: true })),
    });
    const report = checkLockout(path, [denyProbe, mustAllowDenied], decide);
    expect(report.results[0]).toMatchObject({ decision: "ALLOW", blocking: true });
    expect(report.results[0]?.detail).toMatch(
      /allowed by AWS's policy simulator \(orgwarden's evaluator denies it\)/,
    );
    // The stricter engine for a probe that must be allowed is orgwarden's deny.
    expect(report.results[1]).toMatchObject({ decision: "DENY", blocking: true });
    expect(report.results[1]?.detail).toMatch(/denied by orgwarden-p0/);
  });

  it("auto: a simulator that cannot be reached is a note; on: a refusal", async () => {
    const asked = ask(levels(), [allowProbe]);
    const refused: PolicySimulator = async () => {
      throw Object.assign(new Error("not authorized"), {
        name: "AccessDenied",
        $metadata: { httpStatusCode: 403 },
      });
    };
    const auto = await confirmWithAws(asked.all, { mode: "auto", simulate: refused });
    expect(auto.confirmation).toMatchObject({
      ran: false,
      unavailable: "AccessDenied: allow iam:SimulateCustomPolicy to use it",
    });
    expect(auto.decide).toBeUndefined();
    await expect(confirmWithAws(asked.all, { mode: "on", simulate: refused })).rejects.toMatchObject({
      code: "REFUSED",
      message: expect.stringContaining("--verify-with-aws on"),
    });
  });

  it("never sends a service-linked role's requests: SCPs do not apply to them", async () => {
    const slr =
      "arn:aws:iam::222222222222:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
    const asked = ask(levels(), [
      probe(
        "ALLOW",
        [{ action: "s3:GetObject", resource: "*", keys: { ...keys, "aws:PrincipalArn": slr } }],
        slr,
      ),
    ]);
    const calls: SimulationCall[] = [];
    const { confirmation } = await confirmWithAws(asked.all, {
      mode: "auto",
      simulate: simulator(undefined, calls),
    });
    expect(calls).toEqual([]);
    expect(confirmation.notSent).toEqual([
      { reason: expect.stringMatching(/^service-linked roles/), requests: 1 },
    ]);
  });
});

describe("planApplyScp with AWS's policy simulator", () => {
  const org = mockClient(OrganizationsClient);
  afterEach(() => org.reset());

  /** `accounts` member accounts under Root/Apps, spread over `paths` distinct account-level SCPs. */
  function bigInventory(accounts: number, paths: number): Inventory {
    const members: OrgAccount[] = Array.from({ length: accounts }, (_, i) => ({
      id: String(300000000000 + i),
      name: `app-${i}`,
      email: `app-${i}@example.com`,
      arn: "",
      state: "ACTIVE",
      parentId: "ou-ab12-11111111",
      ouPath: "Root/Apps",
      isManagement: false,
    }));
    const scp = (id: string, name: string) => ({
      id,
      name,
      arn: "",
      description: "",
      awsManaged: id === "p-FullAWSAccess",
    });
    const scps = new Map([["p-FullAWSAccess", scp("p-FullAWSAccess", "FullAWSAccess")]]);
    for (let p = 1; p < paths; p++) scps.set(`p-acct${p}`, scp(`p-acct${p}`, `team-${p}`));
    const attachments = new Map<string, string[]>([
      ["r-ab12", ["p-FullAWSAccess"]],
      ["ou-ab12-11111111", ["p-FullAWSAccess"]],
    ]);
    members.forEach((a, i) => {
      const p = i % paths;
      attachments.set(a.id, p === 0 ? ["p-FullAWSAccess"] : ["p-FullAWSAccess", `p-acct${p}`]);
    });
    const unit = (
      id: string,
      name: string,
      kind: "root" | "ou",
      parentId: string | undefined,
      path: string,
    ) => ({
      id,
      name,
      kind,
      parentId,
      path,
      depth: kind === "root" ? 0 : 1,
      childOuIds: kind === "root" ? ["ou-ab12-11111111"] : [],
      accountIds: kind === "root" ? ["111111111111"] : members.map((m) => m.id),
    });
    return {
      organizationId: "o-abcdef1234",
      partition: "aws",
      managementAccountId: "111111111111",
      featureSet: "ALL",
      rootId: "r-ab12",
      scpPolicyType: "ENABLED",
      units: new Map([
        ["r-ab12", unit("r-ab12", "Root", "root", undefined, "Root")],
        ["ou-ab12-11111111", unit("ou-ab12-11111111", "Apps", "ou", "r-ab12", "Root/Apps")],
      ]),
      accounts: [
        {
          id: "111111111111",
          name: "mgmt",
          email: "m@example.com",
          arn: "",
          state: "ACTIVE",
          parentId: "r-ab12",
          ouPath: "Root",
          isManagement: true,
        },
        ...members,
      ],
      scps,
      scpAttachments: attachments,
    } as Inventory;
  }

  async function callsFor(accounts: number, paths: number): Promise<{ calls: number; requests: number }> {
    org.on(DescribePolicyCommand).callsFake((input: { PolicyId: string }) => ({
      Policy: {
        Content: JSON.stringify(
          input.PolicyId === "p-FullAWSAccess"
            ? FULL
            : {
                Version: "2012-10-17",
                Statement: [{ Effect: "Deny", Action: `ec2:${input.PolicyId}`, Resource: "*" }],
              },
        ),
      },
    }));
    const params = scpParameters({ roleName: "OrganizationAccountAccessRole" });
    const library = loadPolicyLibrary();
    const calls: SimulationCall[] = [];
    const plan = await planApplyScp({
      inventory: bigInventory(accounts, paths),
      organizations: new OrganizationsClient({ region: "us-east-1" }),
      targetId: "ou-ab12-11111111",
      policies: ["require-mfa", "deny-root-user"].map((n) => renderPolicy(requirePolicy(library, n), params)),
      params,
      quotas: { maxPolicySize: 5120, maxPoliciesPerTarget: 10 },
      verifyWithAws: { mode: "on", simulate: simulator(undefined, calls), rate: 0 },
    });
    expect(plan.awsCheck).toMatchObject({ ran: true, disagreements: [] });
    return { calls: calls.length, requests: plan.awsCheck?.requests ?? 0 };
  }

  it("asks once per distinct SCP path and context, not once per account", async () => {
    const one = await callsFor(1, 1);
    const twenty = await callsFor(500, 20);
    // Every distinct path gets the same probe contexts: the calls are paths × the calls of one path.
    expect(twenty.calls).toBe(20 * one.calls);
    expect(twenty.requests).toBe(20 * one.requests);
    // The same 20 paths over ten times fewer accounts cost the same.
    expect(await callsFor(50, 20)).toEqual(twenty);
  });
});

describe("askAwsSimulator (scp simulate)", () => {
  it("on: a request AWS returned no decision for is a refusal, as in the guard; auto: that request's reason", async () => {
    const request = { action: "s3:GetObject", resource: "*", keys };
    const dropped = simulator((a) => ({ ...a, resource: "arn:${Partition}:s3:::${BucketName}" }));
    await expect(
      askAwsSimulator([{ levels: levels(), request }], { mode: "on", simulate: dropped }),
    ).rejects.toMatchObject({ code: "REFUSED", message: expect.stringContaining("no decision for 1 of 1") });
    const auto = await askAwsSimulator([{ levels: levels(), request }], { mode: "auto", simulate: dropped });
    expect(auto.verdicts).toEqual([{ asked: false, reason: "AWS returned no decision for s3:GetObject" }]);
  });
});
