import { IAMClient, SimulateCustomPolicyCommand } from "@aws-sdk/client-iam";
import { ClientFactory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { iamPolicySimulator } from "./iam-policy-simulator.js";
import { type SimulationCall, scpEffectOf } from "./simulation-call.js";

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());

const CREDENTIALS = { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "example" };
const call = (resources: string[]): SimulationCall => ({
  levels: [["{}"], ["{}"]],
  actions: ["s3:GetObject", "iam:GetRole"],
  resources,
  context: [{ name: "aws:PrincipalArn", type: "string", values: ["arn:aws:iam::222222222222:role/app"] }],
});

describe("iamPolicySimulator", () => {
  it("sends the SCP path, an allow-all identity policy and the context; follows Marker across pages", async () => {
    iam
      .on(SimulateCustomPolicyCommand)
      .resolvesOnce({
        IsTruncated: true,
        Marker: "page-2",
        EvaluationResults: [
          {
            EvalActionName: "S3:GetObject",
            EvalResourceName: "*",
            EvalDecision: "allowed",
            OrganizationsDecisionDetail: { AllowedByOrganizations: true },
          },
        ],
      })
      .resolvesOnce({
        IsTruncated: false,
        EvaluationResults: [
          {
            EvalActionName: "iam:GetRole",
            EvalResourceName: "*",
            EvalDecision: "implicitDeny",
            OrganizationsDecisionDetail: { AllowedByOrganizations: true },
          },
        ],
      });
    const simulate = iamPolicySimulator(new ClientFactory({ region: "us-east-1" }), CREDENTIALS);
    const result = await simulate(call(["*"]));
    expect(result.pages).toBe(2);
    const sent = iam.commandCalls(SimulateCustomPolicyCommand).map((c) => c.args[0].input);
    expect(sent[0]).toMatchObject({
      PolicyInputList: [expect.stringContaining('"Action":"*"')],
      OrderedOrganizationPolicyInputList: [
        { ServiceControlPolicyInputList: ["{}"] },
        { ServiceControlPolicyInputList: ["{}"] },
      ],
      ActionNames: ["s3:GetObject", "iam:GetRole"],
      ResourceArns: ["*"],
      ContextEntries: [
        {
          ContextKeyName: "aws:PrincipalArn",
          ContextKeyType: "string",
          ContextKeyValues: ["arn:aws:iam::222222222222:role/app"],
        },
      ],
      MaxItems: 1000,
    });
    expect(sent[0]).not.toHaveProperty("CallerArn");
    expect(sent[1]).toMatchObject({ Marker: "page-2" });
    // Without ResourceSpecificResults, the one resource asked takes the top-level decision.
    expect(result.answers).toEqual([
      { action: "S3:GetObject", resource: "*", decision: "allowed", allowedByOrganizations: true },
      { action: "iam:GetRole", resource: "*", decision: "implicitDeny", allowedByOrganizations: true },
    ]);
    // Across accounts, AWS denies for want of a resource policy while the SCPs allow: the SCPs' part counts.
    expect(scpEffectOf(result.answers[1] as never)).toBe("ALLOW");
  });

  it("reads ResourceSpecificResults per resource; a call-wide deny speaks for no single resource", async () => {
    iam.on(SimulateCustomPolicyCommand).resolves({
      EvaluationResults: [
        {
          EvalActionName: "s3:GetObject",
          EvalResourceName: "arn:${Partition}:s3:::${BucketName}/${ObjectName}",
          EvalDecision: "explicitDeny",
          OrganizationsDecisionDetail: { AllowedByOrganizations: false },
          ResourceSpecificResults: [
            { EvalResourceName: "arn:aws:s3:::a/x", EvalResourceDecision: "allowed" },
            { EvalResourceName: "arn:aws:s3:::b/x", EvalResourceDecision: "explicitDeny" },
          ],
        },
      ],
    });
    const simulate = iamPolicySimulator(new ClientFactory({ region: "us-east-1" }), CREDENTIALS);
    const { answers } = await simulate(call(["arn:aws:s3:::a/x", "arn:aws:s3:::b/x"]));
    expect(answers).toEqual([
      {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::a/x",
        decision: "allowed",
        allowedByOrganizations: undefined,
      },
      {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::b/x",
        decision: "explicitDeny",
        allowedByOrganizations: undefined,
      },
    ]);
    expect(answers.map(scpEffectOf)).toEqual(["ALLOW", "DENY"]);
  });
});
