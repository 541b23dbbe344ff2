import {
  ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  GetComplianceDetailsByConfigRuleCommand,
  PutConfigRuleCommand,
  PutConfigurationAggregatorCommand,
} from "@aws-sdk/client-config-service";
import { IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import {
  createConsoleUser,
  createDetector,
  createMfaPolicy,
  createTrail,
  EMULATOR_CREDENTIALS,
  evaluateConfigRules,
  memberConfig,
  memberCredentials,
  type SeededAccount,
  seedRootCredentials,
  setPasswordPolicy,
  startRecorder,
} from "@orgwarden/emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";

/**
 * The emulator's AWS Config evaluation (config-standin/), which the demo turns on because moto
 * evaluates no rule: each answer follows the seeded state, in the shapes of the API reference.
 */
const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 3 } });
let withMfa: SeededAccount;
let withoutMfa: SeededAccount;
let bare: SeededAccount;
const configs = new Map<string, ConfigServiceClient>();

const RULES = {
  "root-mfa": "ROOT_ACCOUNT_MFA_ENABLED",
  "root-keys": "IAM_ROOT_ACCESS_KEY_CHECK",
  "user-policies": "IAM_USER_NO_POLICIES_CHECK",
  "console-mfa": "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
  "mfa-policy": "IAM_POLICY_IN_USE",
  "root-hardware-mfa": "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
  "password-policy": "IAM_PASSWORD_POLICY",
  trail: "MULTI_REGION_CLOUD_TRAIL_ENABLED",
  guardduty: "GUARDDUTY_ENABLED_CENTRALIZED",
} as const;
const PARAMETERS: Partial<Record<keyof typeof RULES, (accountId: string) => Record<string, string>>> = {
  "mfa-policy": (id) => ({ policyARN: `arn:aws:iam::${id}:policy/BlockAllAccessUnlessSignedInWithMFA` }),
  "password-policy": () => ({ MinimumPasswordLength: "14", RequireSymbols: "true", MaxPasswordAge: "90" }),
};

beforeAll(async () => {
  [withMfa, withoutMfa, bare] = org.accounts as [SeededAccount, SeededAccount, SeededAccount];
  await seedRootCredentials(moto.endpoint, withMfa.id, { password: true, mfaDevices: ["hardware"] });
  await seedRootCredentials(moto.endpoint, withoutMfa.id, { password: true, accessKeys: ["Active"] });
  // withMfa: alice with MFA in a group with the MFA policy; withoutMfa: bob without MFA, an inline policy.
  await createConsoleUser(moto.endpoint, withMfa.id, "alice", true);
  await createMfaPolicy(moto.endpoint, withMfa.id, "alice");
  await setPasswordPolicy(moto.endpoint, withMfa.id, {
    MinimumPasswordLength: 14,
    RequireSymbols: true,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    MaxPasswordAge: 90,
  });
  await createTrail(moto.endpoint, withMfa.id, true, true);
  await createDetector(moto.endpoint, withMfa.id);
  await createConsoleUser(moto.endpoint, withoutMfa.id, "bob", false);
  await createMfaPolicy(moto.endpoint, withoutMfa.id);
  const iam = new IAMClient({
    endpoint: moto.endpoint,
    region: "us-east-1",
    credentials: await memberCredentials(moto.endpoint, withoutMfa.id),
  });
  await iam.send(
    new PutUserPolicyCommand({
      UserName: "bob",
      PolicyName: "direct",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }],
      }),
    }),
  );
  iam.destroy();
  for (const a of [withMfa, withoutMfa, bare]) {
    await startRecorder(moto.endpoint, a.id);
    const config = await memberConfig(moto.endpoint, a.id);
    configs.set(a.id, config);
    for (const [name, identifier] of Object.entries(RULES))
      await config.send(
        new PutConfigRuleCommand({
          ConfigRule: {
            ConfigRuleName: name,
            Source: { Owner: "AWS", SourceIdentifier: identifier },
            MaximumExecutionFrequency: "TwentyFour_Hours",
            InputParameters: JSON.stringify(PARAMETERS[name as keyof typeof RULES]?.(a.id) ?? {}),
          },
        }),
      );
  }
});
afterAll(async () => {
  for (const c of configs.values()) c.destroy();
});

const configOf = (a: SeededAccount) => configs.get(a.id) as ConfigServiceClient;

async function results(a: SeededAccount, rule: keyof typeof RULES) {
  const out = await configOf(a).send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: rule }));
  return (out.EvaluationResults ?? []).map((r) => ({
    type: r.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceType,
    status: r.ComplianceType,
  }));
}

describe("the emulator's Config evaluation", () => {
  it("is off until turned on: the compliance reads reach moto, which does not implement them", async () => {
    await expect(
      configOf(withMfa).send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: "root-mfa" })),
    ).rejects.toThrow();
    await evaluateConfigRules(moto.endpoint);
  });

  it("judges the root user from its seeded credentials: MFA, none, access keys", async () => {
    expect(await results(withMfa, "root-mfa")).toEqual([{ type: "AWS::::Account", status: "COMPLIANT" }]);
    expect(await results(withoutMfa, "root-mfa")).toEqual([
      { type: "AWS::::Account", status: "NON_COMPLIANT" },
    ]);
    expect(await results(bare, "root-mfa")).toEqual([{ type: "AWS::::Account", status: "NOT_APPLICABLE" }]);
    expect(await results(withMfa, "root-keys")).toEqual([{ type: "AWS::::Account", status: "COMPLIANT" }]);
    expect(await results(withoutMfa, "root-keys")).toEqual([
      { type: "AWS::::Account", status: "NON_COMPLIANT" },
    ]);
  });

  it("judges IAM from moto: an inline policy, a console user without MFA, the MFA policy attached or not", async () => {
    expect(await results(withoutMfa, "user-policies")).toEqual([
      { type: "AWS::IAM::User", status: "NON_COMPLIANT" },
    ]);
    expect(await results(withMfa, "user-policies")).toEqual([
      { type: "AWS::IAM::User", status: "COMPLIANT" },
    ]);
    expect(await results(bare, "user-policies")).toEqual([]);
    expect(await results(withoutMfa, "console-mfa")).toEqual([
      { type: "AWS::IAM::User", status: "NON_COMPLIANT" },
    ]);
    expect(await results(withMfa, "console-mfa")).toEqual([{ type: "AWS::IAM::User", status: "COMPLIANT" }]);
    expect(await results(withMfa, "mfa-policy")).toEqual([{ type: "AWS::IAM::Policy", status: "COMPLIANT" }]);
    expect(await results(withoutMfa, "mfa-policy")).toEqual([
      { type: "AWS::IAM::Policy", status: "NON_COMPLIANT" },
    ]);
    expect(await results(bare, "mfa-policy")).toEqual([{ type: "AWS::::Account", status: "NON_COMPLIANT" }]);
  });

  it("every rule of orgwarden's catalogue: the account set up to pass passes, the bare one fails", async () => {
    const statuses = async (a: SeededAccount) =>
      Object.fromEntries(
        await Promise.all(
          (["root-hardware-mfa", "password-policy", "trail", "guardduty"] as const).map(
            async (rule) => [rule, (await results(a, rule)).map((r) => r.status)] as const,
          ),
        ),
      );
    expect(await statuses(withMfa)).toEqual({
      "root-hardware-mfa": ["COMPLIANT"],
      "password-policy": ["COMPLIANT"],
      trail: ["COMPLIANT"],
      guardduty: ["COMPLIANT"],
    });
    expect(await statuses(bare)).toEqual({
      "root-hardware-mfa": ["NOT_APPLICABLE"],
      "password-policy": ["NON_COMPLIANT"],
      trail: ["NON_COMPLIANT"],
      guardduty: ["NON_COMPLIANT"],
    });
  });

  it("filters and pages as the API reference says, with its error codes", async () => {
    const config = configOf(withoutMfa);
    const filtered = await config.send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: "root-mfa",
        ComplianceTypes: ["COMPLIANT"],
      }),
    );
    expect(filtered.EvaluationResults).toEqual([]);
    await expect(
      config.send(
        new GetComplianceDetailsByConfigRuleCommand({
          ConfigRuleName: "root-mfa",
          ComplianceTypes: ["INSUFFICIENT_DATA"],
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterValueException" });
    await expect(
      config.send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: "nobody's-rule" })),
    ).rejects.toMatchObject({ name: "NoSuchConfigRuleException" });
    await expect(
      config.send(
        new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: "root-mfa", NextToken: "x" }),
      ),
    ).rejects.toMatchObject({ name: "InvalidNextTokenException" });
    const summary = await config.send(
      new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: ["root-mfa", "user-policies"] }),
    );
    expect(summary.ComplianceByConfigRules).toEqual([
      {
        ConfigRuleName: "root-mfa",
        Compliance: {
          ComplianceType: "NON_COMPLIANT",
          ComplianceContributorCount: { CappedCount: 1, CapExceeded: false },
        },
      },
      {
        ConfigRuleName: "user-policies",
        Compliance: {
          ComplianceType: "NON_COMPLIANT",
          ComplianceContributorCount: { CappedCount: 1, CapExceeded: false },
        },
      },
    ]);
    // Only NOT_APPLICABLE results: the rule-level summary says INSUFFICIENT_DATA.
    const none = await configOf(bare).send(
      new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: ["root-mfa"] }),
    );
    expect(none.ComplianceByConfigRules?.[0]?.Compliance?.ComplianceType).toBe("INSUFFICIENT_DATA");
  });

  it("answers through an aggregator in the management account, for the member asked about", async () => {
    const management = new ConfigServiceClient({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: EMULATOR_CREDENTIALS,
    });
    const ask = (name: string) =>
      management.send(
        new GetAggregateComplianceDetailsByConfigRuleCommand({
          ConfigurationAggregatorName: name,
          ConfigRuleName: "root-mfa",
          AccountId: withoutMfa.id,
          AwsRegion: "us-east-1",
        }),
      );
    await expect(ask("organization")).rejects.toMatchObject({
      name: "NoSuchConfigurationAggregatorException",
    });
    await management.send(
      new PutConfigurationAggregatorCommand({
        ConfigurationAggregatorName: "organization",
        OrganizationAggregationSource: {
          RoleArn: "arn:aws:iam::123456789012:role/aggregator",
          AllAwsRegions: true,
        },
      }),
    );
    const out = await ask("organization");
    expect(out.AggregateEvaluationResults?.map((r) => [r.AccountId, r.AwsRegion, r.ComplianceType])).toEqual([
      [withoutMfa.id, "us-east-1", "NON_COMPLIANT"],
    ]);
    management.destroy();
  });
});
