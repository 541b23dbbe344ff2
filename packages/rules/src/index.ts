export { type AppliedRules, applyRuleDeployment } from "./apply-rule-deployment.js";
export {
  type DeployedRules,
  type FindDeployedRulesInput,
  findDeployedRules,
  organizationRuleNamesOnce,
  orgwardenRuleName,
  orgwardenRulesIn,
} from "./find-deployed-rules.js";
export {
  needsGuardDutyCentralAccount,
  readGuardDutyAdmins,
  withGuardDutyAdmins,
} from "./guardduty-admins.js";
export { mfaPolicyArn, mfaPolicyDocument } from "./mfa-policy.js";
export {
  applyOrganizationRules,
  type OrganizationRuleChange,
  type OrganizationRulesInput,
  type OrganizationRulesPlan,
  planOrganizationRules,
} from "./organization-rules.js";
export {
  type AccountRulePlan,
  type DeployRulesInput,
  planRuleDeployment,
  type RuleChange,
  type RuleStep,
  type RulesPlan,
  refuseUndeployable,
  skipReasons,
} from "./plan-rule-deployment.js";
export {
  type EvaluationStatus,
  memberRuleNamesFor,
  type ReadComplianceInput,
  type RuleEvaluation,
  type RuleReading,
  readRuleCompliance,
} from "./read-compliance.js";
export { DEFAULT_RULE_SETTINGS, type RenderedRule, type RuleSettings, renderRule } from "./render-rule.js";
export {
  DEFAULT_RULES,
  defaultRulesDir,
  type ExecutionFrequency,
  FREQUENCIES,
  loadRuleCatalog,
  MANAGED_RULE_PREFIX,
  managedRuleName,
  type RuleDefinition,
  selectRules,
} from "./rule-catalog.js";
export {
  countRuleActions,
  isRuleWrite,
  RULE_ACTIONS,
  type RuleAction,
  type RuleActionCounts,
} from "./rule-diff.js";
export { toConfigRule } from "./rule-shapes.js";
