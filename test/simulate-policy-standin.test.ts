import {
  IAMClient,
  InvalidInputException,
  paginateSimulateCustomPolicy,
  SimulateCustomPolicyCommand,
  type SimulateCustomPolicyCommandInput,
} from "@aws-sdk/client-iam";
import { DescribePolicyCommand } from "@aws-sdk/client-organizations";
import { EMULATOR_CREDENTIALS, orgClient } from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { setSimulatePolicy, simulatePolicyState } from "./support/simulate-policy-standin.js";

/**
 * The end-to-end emulator's stand-in for iam:SimulateCustomPolicy (test/support/simulate-policy-standin.ts),
 * asked through the real SDK as orgwarden asks AWS: the SCP hierarchy of an account, root first.
 */

const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 1 } });

const ALLOW_ALL = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});
const scp = (statement: Record<string, unknown>) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const DENY_DELETE_BUCKET = scp({ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" });
const DENY_WITHOUT_MFA = scp({
  Effect: "Deny",
  Action: "iam:DeleteUser",
  Resource: "*",
  Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
});
const OBJECT = "arn:aws:s3:::probe-bucket/probe-key";

let iam: IAMClient;
let fullAwsAccess: string;
let principal: string;

beforeAll(async () => {
  iam = new IAMClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: EMULATOR_CREDENTIALS });
  const organizations = orgClient(moto.endpoint);
  const described = await organizations.send(new DescribePolicyCommand({ PolicyId: "p-FullAWSAccess" }));
  organizations.destroy();
  fullAwsAccess = described.Policy?.Content ?? "";
  principal = `arn:aws:iam::${org.accounts[0]?.id}:role/probe`;
});
afterAll(() => iam.destroy());

/** A request for the workload account: FullAWSAccess at the root and the account, `ouScps` on its OU. */
function request(
  ouScps: string[],
  rest: Partial<SimulateCustomPolicyCommandInput> & Pick<SimulateCustomPolicyCommandInput, "ActionNames">,
): SimulateCustomPolicyCommandInput {
  return {
    PolicyInputList: [ALLOW_ALL],
    OrderedOrganizationPolicyInputList: [
      { ServiceControlPolicyInputList: [fullAwsAccess] },
      { ServiceControlPolicyInputList: ouScps },
      { ServiceControlPolicyInputList: [fullAwsAccess] },
    ],
    ContextEntries: [
      { ContextKeyName: "aws:PrincipalArn", ContextKeyType: "string", ContextKeyValues: [principal] },
    ],
    ...rest,
  };
}

const simulate = (input: SimulateCustomPolicyCommandInput) =>
  iam.send(new SimulateCustomPolicyCommand(input));

describe("the SimulateCustomPolicy stand-in", () => {
  it("decides each action with the SCPs of every level: an OU's Deny is an explicitDeny, not allowed by the organization", async () => {
    const out = await simulate(
      request([fullAwsAccess, DENY_DELETE_BUCKET], {
        ActionNames: ["s3:DeleteBucket", "s3:ListAllMyBuckets"],
      }),
    );
    expect(out.IsTruncated).toBe(false);
    expect(out.EvaluationResults).toEqual([
      {
        EvalActionName: "s3:DeleteBucket",
        EvalResourceName: "arn:${Partition}:s3:::${BucketName}",
        EvalDecision: "explicitDeny",
        MatchedStatements: [],
        MissingContextValues: [],
        OrganizationsDecisionDetail: { AllowedByOrganizations: false },
        ResourceSpecificResults: [
          {
            EvalResourceName: "*",
            EvalResourceDecision: "explicitDeny",
            MatchedStatements: [],
            MissingContextValues: [],
          },
        ],
      },
      expect.objectContaining({
        EvalActionName: "s3:ListAllMyBuckets",
        EvalResourceName: "*",
        EvalDecision: "allowed",
        OrganizationsDecisionDetail: { AllowedByOrganizations: true },
      }),
    ]);
  });

  it("gives implicitDeny per resource where a level has no Allow, and the type's ARN template at the top", async () => {
    const out = await simulate(
      request([DENY_DELETE_BUCKET], { ActionNames: ["s3:GetObject"], ResourceArns: [OBJECT, `${OBJECT}-2`] }),
    );
    const [result] = out.EvaluationResults ?? [];
    expect(result).toMatchObject({
      EvalResourceName: "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
      EvalDecision: "implicitDeny",
      OrganizationsDecisionDetail: { AllowedByOrganizations: false },
    });
    expect(result?.ResourceSpecificResults?.map((r) => [r.EvalResourceName, r.EvalResourceDecision])).toEqual(
      [
        [OBJECT, "implicitDeny"],
        [`${OBJECT}-2`, "implicitDeny"],
      ],
    );
  });

  it("reads a boolean context entry: aws:MultiFactorAuthPresent decides a BoolIfExists Deny", async () => {
    const decision = async (mfa: string) => {
      const out = await simulate(
        request([fullAwsAccess, DENY_WITHOUT_MFA], {
          ActionNames: ["iam:DeleteUser"],
          ResourceArns: [`arn:aws:iam::${org.accounts[0]?.id}:user/alice`],
          ContextEntries: [
            { ContextKeyName: "aws:PrincipalArn", ContextKeyType: "string", ContextKeyValues: [principal] },
            {
              ContextKeyName: "aws:MultiFactorAuthPresent",
              ContextKeyType: "boolean",
              ContextKeyValues: [mfa],
            },
          ],
        }),
      );
      return out.EvaluationResults?.[0]?.EvalDecision;
    };
    expect(await decision("true")).toBe("allowed");
    expect(await decision("false")).toBe("explicitDeny");
  });

  it("pages the results with MaxItems and an opaque Marker, one request per page", async () => {
    const before = await simulatePolicyState(moto.endpoint);
    const pages = [];
    for await (const page of paginateSimulateCustomPolicy(
      { client: iam, pageSize: 1 },
      request([fullAwsAccess], {
        ActionNames: ["s3:ListAllMyBuckets", "sts:GetCallerIdentity", "iam:ListUsers"],
      }),
    ))
      pages.push(page.EvaluationResults?.map((r) => r.EvalActionName));
    expect(pages).toEqual([["s3:ListAllMyBuckets"], ["sts:GetCallerIdentity"], ["iam:ListUsers"]]);
    const after = await simulatePolicyState(moto.endpoint);
    expect(after.calls - before.calls).toBe(3);
    expect(after.evaluations - before.evaluations).toBe(3);
  });

  it("refuses what IAM refuses: an assumed role as CallerArn, a wildcard action, a resource of the wrong type, no ActionNames", async () => {
    const assumedRole = `arn:aws:sts::${org.accounts[0]?.id}:assumed-role/probe/session`;
    await expect(
      simulate({
        PolicyInputList: [ALLOW_ALL],
        ActionNames: ["s3:ListAllMyBuckets"],
        CallerArn: assumedRole,
      }),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await expect(simulate(request([fullAwsAccess], { ActionNames: ["s3:*"] }))).rejects.toBeInstanceOf(
      InvalidInputException,
    );
    await expect(
      simulate(request([fullAwsAccess], { ActionNames: ["s3:DeleteBucket"], ResourceArns: [OBJECT] })),
    ).rejects.toBeInstanceOf(InvalidInputException);
    await expect(simulate({ PolicyInputList: [ALLOW_ALL], ActionNames: undefined })).rejects.toMatchObject({
      name: "ValidationError",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("answers AccessDenied in access-denied mode, and the SDK retries a throttled call, which counts", async () => {
    const input = request([fullAwsAccess], { ActionNames: ["s3:ListAllMyBuckets"] });
    await setSimulatePolicy(moto.endpoint, { mode: "access-denied" });
    await expect(simulate(input)).rejects.toMatchObject({
      name: "AccessDenied",
      $metadata: { httpStatusCode: 403 },
    });
    await setSimulatePolicy(moto.endpoint, { mode: "simulate", throttleEvery: 2 });
    const before = await simulatePolicyState(moto.endpoint);
    // Calls before+1 and before+2: one of them is throttled, and its retry is one more call.
    const first = await simulate(input);
    const second = await simulate(input);
    expect([first, second].map((o) => o.EvaluationResults?.[0]?.EvalDecision)).toEqual([
      "allowed",
      "allowed",
    ]);
    const after = await simulatePolicyState(moto.endpoint);
    expect(after.calls - before.calls).toBe(3);
    expect(after.throttled - before.throttled).toBe(1);
    await setSimulatePolicy(moto.endpoint, { throttleEvery: 0 });
  });

  it("lets a test plant a decision for one action and principal, which no other pair sees", async () => {
    await setSimulatePolicy(moto.endpoint, {
      plantDecision: { action: "s3:ListAllMyBuckets", principalArn: principal, decision: "explicitDeny" },
    });
    const out = await simulate(
      request([fullAwsAccess], { ActionNames: ["s3:ListAllMyBuckets", "iam:ListUsers"] }),
    );
    expect(out.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ["s3:ListAllMyBuckets", "explicitDeny"],
      ["iam:ListUsers", "allowed"],
    ]);
    expect(out.EvaluationResults?.[0]?.OrganizationsDecisionDetail?.AllowedByOrganizations).toBe(false);
  });

  // Last: the reset empties moto too, the organization included.
  it("returns to its defaults and zero counts on POST /moto-api/reset", async () => {
    await setSimulatePolicy(moto.endpoint, { mode: "access-denied", throttleEvery: 5 });
    expect((await simulatePolicyState(moto.endpoint)).calls).toBeGreaterThan(0);
    await moto.reset();
    expect(await simulatePolicyState(moto.endpoint)).toEqual({
      mode: "simulate",
      throttleEvery: 0,
      plantDecision: null,
      calls: 0,
      evaluations: 0,
      throttled: 0,
    });
  });
});
