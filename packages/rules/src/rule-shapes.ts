import type {
  ConfigRule,
  OrganizationConfigRule,
  OrganizationManagedRuleMetadata,
} from "@aws-sdk/client-config-service";
import type { RenderedRule } from "./render-rule.js";
import type { RuleFields } from "./rule-diff.js";

/** The rule as PutConfigRule takes it, in one account. */
export function toConfigRule(r: RenderedRule): ConfigRule {
  const d = r.definition;
  return {
    ConfigRuleName: r.configRuleName,
    Description: d.description.slice(0, 256),
    Source: { Owner: "AWS", SourceIdentifier: d.identifier },
    ...(Object.keys(r.inputParameters).length > 0
      ? { InputParameters: JSON.stringify(r.inputParameters) }
      : {}),
    ...(d.maximumExecutionFrequency ? { MaximumExecutionFrequency: d.maximumExecutionFrequency } : {}),
    ...(d.resourceTypes ? { Scope: { ComplianceResourceTypes: d.resourceTypes } } : {}),
  };
}

/** The rule as PutOrganizationConfigRule takes it: one rule for every account not excluded. */
export function toOrganizationRuleMetadata(r: RenderedRule): OrganizationManagedRuleMetadata {
  const rule = r.definition;
  return {
    RuleIdentifier: rule.identifier,
    Description: rule.description.slice(0, 256),
    ...(Object.keys(r.inputParameters).length > 0
      ? { InputParameters: JSON.stringify(r.inputParameters) }
      : {}),
    ...(rule.maximumExecutionFrequency ? { MaximumExecutionFrequency: rule.maximumExecutionFrequency } : {}),
    ...(rule.resourceTypes ? { ResourceTypesScope: rule.resourceTypes } : {}),
  };
}

/** What diffRule compares of a rule in an account. */
export function configRuleFields(rule: ConfigRule): RuleFields {
  return {
    identifier: rule.Source?.SourceIdentifier,
    inputParameters: rule.InputParameters,
    maximumExecutionFrequency: rule.MaximumExecutionFrequency,
    resourceTypes: rule.Scope?.ComplianceResourceTypes,
  };
}

/** What diffRule compares of an organization rule (a rule without managed metadata has no identifier). */
export function organizationRuleFields(
  rule: Pick<OrganizationConfigRule, "OrganizationManagedRuleMetadata" | "ExcludedAccounts">,
): RuleFields {
  const m = rule.OrganizationManagedRuleMetadata;
  return {
    identifier: m?.RuleIdentifier,
    inputParameters: m?.InputParameters,
    maximumExecutionFrequency: m?.MaximumExecutionFrequency,
    resourceTypes: m?.ResourceTypesScope,
    excludedAccounts: rule.ExcludedAccounts ?? [],
  };
}
