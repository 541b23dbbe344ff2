import {
  type ConfigServiceClient,
  type EvaluationResult,
  paginateGetAggregateComplianceDetailsByConfigRule,
  paginateGetComplianceDetailsByConfigRule,
  paginateGetOrganizationConfigRuleDetailedStatus,
} from "@aws-sdk/client-config-service";
import { type ControlId, collectPages, describeAwsError, isAwsError } from "@orgwarden/core";
import { managedRuleName, type RuleDefinition } from "./rule-catalog.js";

export type EvaluationStatus = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" | "INSUFFICIENT_DATA";

export interface RuleEvaluation {
  status: EvaluationStatus;
  resourceType: string;
  resourceId: string;
  annotation: string;
  evaluatedAt: Date | undefined;
}

/** What one managed rule says about one account in one region. */
export interface RuleReading {
  rule: string;
  control: ControlId;
  region: string;
  configRuleName: string;
  /** `not-deployed`: no such rule there; `no-results`: deployed, nothing evaluated yet. */
  state: "evaluated" | "no-results" | "not-deployed";
  evaluations: RuleEvaluation[];
}

export interface ReadComplianceInput {
  accountId: string;
  rules: readonly RuleDefinition[];
  regions: readonly string[];
  homeRegion: string;
  /**
   * Per account: a Config client in the member account. Through an aggregator: a Config client in
   * the aggregator's account and region, with `aggregator` set.
   */
  configIn: (region: string) => ConfigServiceClient;
  aggregator?: string | undefined;
  /** For organization rules: the rule's name inside this account, by orgwarden rule name. */
  memberRuleNames?: ReadonlyMap<string, string>;
}

/**
 * Reads the evaluation results of the managed rules for one account, following every NextToken.
 * NOT_APPLICABLE (e.g. root MFA when the root user has no credentials) and INSUFFICIENT_DATA stay
 * distinct: the rule-level summary APIs would fold the first into the second, so they are not used.
 */
export async function readRuleCompliance(input: ReadComplianceInput): Promise<RuleReading[]> {
  const out: RuleReading[] = [];
  for (const rule of input.rules) {
    const regions = rule.global ? [input.homeRegion] : [...new Set(input.regions)];
    for (const region of regions) {
      const configRuleName = input.memberRuleNames?.get(rule.name) ?? managedRuleName(rule.name);
      const base = { rule: rule.name, control: rule.control, region, configRuleName };
      let results: EvaluationResult[];
      try {
        results = input.aggregator
          ? await collectPages(
              paginateGetAggregateComplianceDetailsByConfigRule(
                { client: input.configIn(region), pageSize: 100 },
                {
                  ConfigurationAggregatorName: input.aggregator,
                  ConfigRuleName: configRuleName,
                  AccountId: input.accountId,
                  AwsRegion: region,
                },
              ),
              (p) => p.AggregateEvaluationResults,
            )
          : await collectPages(
              paginateGetComplianceDetailsByConfigRule(
                { client: input.configIn(region), pageSize: 100 },
                {
                  ConfigRuleName: configRuleName,
                  ComplianceTypes: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"],
                },
              ),
              (p) => p.EvaluationResults,
            );
      } catch (err) {
        if (isAwsError(err, "NoSuchConfigRuleException")) {
          out.push({ ...base, state: "not-deployed", evaluations: [] });
          continue;
        }
        throw describeAwsError(err, "Config");
      }
      out.push({
        ...base,
        state: results.length > 0 ? "evaluated" : "no-results",
        evaluations: results.map(toEvaluation),
      });
    }
  }
  return out;
}

function toEvaluation(r: EvaluationResult): RuleEvaluation {
  const q = r.EvaluationResultIdentifier?.EvaluationResultQualifier;
  return {
    status: (r.ComplianceType as EvaluationStatus | undefined) ?? "INSUFFICIENT_DATA",
    resourceType: q?.ResourceType ?? "",
    resourceId: q?.ResourceId ?? "",
    annotation: r.Annotation ?? "",
    evaluatedAt: r.ResultRecordedTime,
  };
}

/**
 * For an organization rule, the name AWS gave it inside each member account
 * (GetOrganizationConfigRuleDetailedStatus), by account id.
 */
export async function memberRuleNamesFor(
  config: ConfigServiceClient,
  organizationRuleName: string,
): Promise<Map<string, string>> {
  const statuses = await collectPages(
    paginateGetOrganizationConfigRuleDetailedStatus(
      { client: config, pageSize: 100 },
      { OrganizationConfigRuleName: organizationRuleName },
    ),
    (p) => p.OrganizationConfigRuleDetailedStatus,
  );
  const out = new Map<string, string>();
  for (const s of statuses) if (s.AccountId && s.ConfigRuleName) out.set(s.AccountId, s.ConfigRuleName);
  return out;
}
