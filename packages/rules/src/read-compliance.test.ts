import {
  ConfigServiceClient,
  GetAggregateComplianceDetailsByConfigRuleCommand,
  GetComplianceDetailsByConfigRuleCommand,
  GetOrganizationConfigRuleDetailedStatusCommand,
} from "@aws-sdk/client-config-service";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { memberRuleNamesFor, readRuleCompliance } from "./read-compliance.js";
import { loadRuleCatalog, selectRules } from "./rule-catalog.js";

const config = mockClient(ConfigServiceClient);
afterEach(() => config.reset());
const catalog = loadRuleCatalog();
const client = new ConfigServiceClient({ region: "us-east-1" });

function result(rule: string, type: string, resourceId: string, annotation?: string) {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: rule,
        ResourceType: "AWS::::Account",
        ResourceId: resourceId,
      },
      OrderingTimestamp: new Date("2026-11-20T00:00:00Z"),
    },
    ComplianceType: type as "COMPLIANT",
    ResultRecordedTime: new Date("2026-11-20T01:00:00Z"),
    ConfigRuleInvokedTime: new Date("2026-11-20T00:59:00Z"),
    ...(annotation ? { Annotation: annotation } : {}),
  };
}

describe("readRuleCompliance", () => {
  it("follows NextToken (past empty pages) and keeps NOT_APPLICABLE distinct from INSUFFICIENT_DATA", async () => {
    config
      .on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "orgwarden-root-account-mfa-enabled" })
      .resolvesOnce({ EvaluationResults: [], NextToken: "n1" })
      .resolvesOnce({
        EvaluationResults: [result("orgwarden-root-account-mfa-enabled", "NOT_APPLICABLE", "222222222222")],
      });
    config
      .on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "orgwarden-iam-policy-in-use" })
      .resolves({ EvaluationResults: [] });
    config
      .on(GetComplianceDetailsByConfigRuleCommand, { ConfigRuleName: "orgwarden-iam-root-access-key-check" })
      .rejects(Object.assign(new Error("no rule"), { name: "NoSuchConfigRuleException", $metadata: {} }));
    const readings = await readRuleCompliance({
      accountId: "222222222222",
      rules: selectRules(catalog, [
        "root-account-mfa-enabled",
        "iam-policy-in-use",
        "iam-root-access-key-check",
      ]),
      regions: ["us-east-1"],
      homeRegion: "us-east-1",
      configIn: () => client,
    });
    expect(readings.map((r) => [r.rule, r.control, r.state, r.evaluations.map((e) => e.status)])).toEqual([
      ["root-account-mfa-enabled", "root-mfa", "evaluated", ["NOT_APPLICABLE"]],
      ["iam-policy-in-use", "mfa-policy-in-use", "no-results", []],
      ["iam-root-access-key-check", "root-access-keys", "not-deployed", []],
    ]);
    const input = config.commandCalls(GetComplianceDetailsByConfigRuleCommand)[0]?.args[0].input;
    expect(input?.ComplianceTypes).toEqual(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]);
  });

  it("reads through an aggregator with the member-side name of an organization rule", async () => {
    config.on(GetOrganizationConfigRuleDetailedStatusCommand).resolves({
      OrganizationConfigRuleDetailedStatus: [
        {
          AccountId: "333333333333",
          ConfigRuleName: "OrgConfigRule-orgwarden-root-account-mfa-enabled-abc123",
          MemberAccountRuleStatus: "CREATE_SUCCESSFUL",
        },
      ],
    });
    config.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({
      AggregateEvaluationResults: [
        {
          ...result("x", "NON_COMPLIANT", "333333333333", "Root MFA is not enabled"),
          AccountId: "333333333333",
          AwsRegion: "us-east-1",
        },
      ],
    });
    const names = await memberRuleNamesFor(client, "orgwarden-root-account-mfa-enabled");
    const readings = await readRuleCompliance({
      accountId: "333333333333",
      rules: selectRules(catalog, ["root-account-mfa-enabled"]),
      regions: ["us-east-1"],
      homeRegion: "us-east-1",
      configIn: () => client,
      aggregator: "org-aggregator",
      memberRuleNames: new Map([["root-account-mfa-enabled", names.get("333333333333") as string]]),
    });
    expect(config.commandCalls(GetAggregateComplianceDetailsByConfigRuleCommand)[0]?.args[0].input).toEqual({
      ConfigurationAggregatorName: "org-aggregator",
      ConfigRuleName: "OrgConfigRule-orgwarden-root-account-mfa-enabled-abc123",
      AccountId: "333333333333",
      AwsRegion: "us-east-1",
      Limit: 100,
    });
    expect(readings[0]?.evaluations[0]).toMatchObject({
      status: "NON_COMPLIANT",
      annotation: "Root MFA is not enabled",
    });
  });
});
