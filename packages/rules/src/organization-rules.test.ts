import {
  ConfigServiceClient,
  DescribeOrganizationConfigRuleStatusesCommand,
  DescribeOrganizationConfigRulesCommand,
  PutOrganizationConfigRuleCommand,
} from "@aws-sdk/client-config-service";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { applyOrganizationRules, planOrganizationRules } from "./organization-rules.js";
import { DEFAULT_RULE_SETTINGS } from "./render-rule.js";
import { loadRuleCatalog, selectRules } from "./rule-catalog.js";

const config = mockClient(ConfigServiceClient);
afterEach(() => config.reset());
const catalog = loadRuleCatalog();

function input(names: string[], excluded = ["111111111111", "222222222222"]) {
  const client = new ConfigServiceClient({ region: "us-east-1" });
  return {
    configIn: () => client,
    rules: selectRules(catalog, names),
    settings: DEFAULT_RULE_SETTINGS,
    regions: ["us-east-1", "eu-west-1"],
    homeRegion: "us-east-1",
    excludedAccounts: excluded,
    pollIntervalMs: 1,
  };
}

describe("organization mode", () => {
  it("plans PutOrganizationConfigRule per region, skips per-account rules, then waits for CREATE_SUCCESSFUL", async () => {
    config.on(DescribeOrganizationConfigRulesCommand).resolves({ OrganizationConfigRules: [] });
    config.on(PutOrganizationConfigRuleCommand).resolves({ OrganizationConfigRuleArn: "arn:x" });
    config
      .on(DescribeOrganizationConfigRuleStatusesCommand)
      .resolvesOnce({
        OrganizationConfigRuleStatuses: [
          {
            OrganizationConfigRuleName: "orgwarden-root-account-mfa-enabled",
            OrganizationRuleStatus: "CREATE_IN_PROGRESS",
          },
        ],
      })
      .resolves({
        OrganizationConfigRuleStatuses: [
          {
            OrganizationConfigRuleName: "orgwarden-root-account-mfa-enabled",
            OrganizationRuleStatus: "CREATE_SUCCESSFUL",
          },
        ],
      });
    const i = input(["iam-policy-in-use", "root-account-mfa-enabled"]);
    const plan = await planOrganizationRules(i);
    expect(plan.steps.map((c) => [c.region, c.rule, c.action])).toEqual([
      ["us-east-1", "orgwarden-iam-policy-in-use", "skipped"],
      ["us-east-1", "orgwarden-root-account-mfa-enabled", "create"],
    ]);
    expect(plan.steps[0]?.reason).toContain("--mode accounts");
    expect(await applyOrganizationRules(plan, i)).toBe(1);
    const put = config.commandCalls(PutOrganizationConfigRuleCommand)[0]?.args[0].input;
    expect(put).toEqual({
      OrganizationConfigRuleName: "orgwarden-root-account-mfa-enabled",
      OrganizationManagedRuleMetadata: expect.objectContaining({
        RuleIdentifier: "ROOT_ACCOUNT_MFA_ENABLED",
        MaximumExecutionFrequency: "TwentyFour_Hours",
      }),
      ExcludedAccounts: ["111111111111", "222222222222"],
    });
    expect(config.commandCalls(DescribeOrganizationConfigRuleStatusesCommand)).toHaveLength(2);
  });

  it("deploys regional rules in every region, leaves identical ones alone and updates changed ones", async () => {
    config.on(DescribeOrganizationConfigRulesCommand).resolves({
      OrganizationConfigRules: [
        {
          OrganizationConfigRuleName: "orgwarden-guardduty-enabled-centralized",
          OrganizationConfigRuleArn: "arn:o",
          OrganizationManagedRuleMetadata: {
            RuleIdentifier: "GUARDDUTY_ENABLED_CENTRALIZED",
            MaximumExecutionFrequency: "TwentyFour_Hours",
          },
          ExcludedAccounts: ["222222222222", "111111111111"],
        },
        {
          OrganizationConfigRuleName: "orgwarden-iam-password-policy",
          OrganizationConfigRuleArn: "arn:p",
          OrganizationManagedRuleMetadata: {
            RuleIdentifier: "IAM_PASSWORD_POLICY",
            MaximumExecutionFrequency: "TwentyFour_Hours",
            InputParameters: JSON.stringify({ MinimumPasswordLength: "14" }),
          },
          ExcludedAccounts: ["111111111111", "222222222222"],
        },
      ],
    });
    const plan = await planOrganizationRules(input(["guardduty-enabled-centralized", "iam-password-policy"]));
    expect(plan.steps.map((c) => [c.region, c.rule, c.action])).toEqual([
      ["us-east-1", "orgwarden-guardduty-enabled-centralized", "unchanged"],
      ["us-east-1", "orgwarden-iam-password-policy", "update"],
      ["eu-west-1", "orgwarden-guardduty-enabled-centralized", "unchanged"],
    ]);
  });

  it("a failed deployment says why and what to do", async () => {
    config.on(DescribeOrganizationConfigRulesCommand).resolves({ OrganizationConfigRules: [] });
    config.on(PutOrganizationConfigRuleCommand).resolves({});
    config.on(DescribeOrganizationConfigRuleStatusesCommand).resolves({
      OrganizationConfigRuleStatuses: [
        {
          OrganizationConfigRuleName: "orgwarden-root-account-mfa-enabled",
          OrganizationRuleStatus: "CREATE_FAILED",
          ErrorCode: "NoAvailableConfigurationRecorder",
        },
      ],
    });
    const i = input(["root-account-mfa-enabled"]);
    await expect(applyOrganizationRules(await planOrganizationRules(i), i)).rejects.toMatchObject({
      message: expect.stringContaining("CREATE_FAILED NoAvailableConfigurationRecorder"),
      hint: expect.stringContaining("turn on recording"),
    });
  });

  it("maps OrganizationAccessDeniedException to 'run from the management account'", async () => {
    config
      .on(DescribeOrganizationConfigRulesCommand)
      .rejects(
        Object.assign(new Error("denied"), { name: "OrganizationAccessDeniedException", $metadata: {} }),
      );
    await expect(planOrganizationRules(input(["root-account-mfa-enabled"]))).rejects.toMatchObject({
      code: "ACCESS_DENIED",
      hint: expect.stringContaining("management account"),
    });
  });
});
