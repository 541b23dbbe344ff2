export { type AppliedScp, type ApplyScpOptions, applyScpPlan } from "./apply-scp.js";
export {
  type ConditionOperator,
  type ConditionVerdict,
  conditionHolds,
  parseConditionOperator,
  type Uncertain,
} from "./condition-operators.js";
export {
  type EvaluatedPolicy,
  evaluateScps,
  type PolicyLevel,
  type ProbeRequest,
  policyProblems,
  type ScpDecision,
  statementApplies,
  statementProblems,
} from "./evaluate-scps.js";
export {
  type AccountPathGroup,
  buildProbes,
  checkLockout,
  checkLockoutAcross,
  concretePrincipal,
  type LockoutReport,
  PROBE_ACCOUNT,
  type Probe,
  type ProbeResult,
} from "./lockout-guard.js";
export { describeOrganizationsWriteError, retryOrganizationsWrite } from "./organizations-errors.js";
export {
  describeTarget,
  type PlanApplyInput,
  type PlanDetachInput,
  type PlanScpInput,
  planApplyScp,
  planDetachScp,
  type ScpPlan,
  type ScpStep,
} from "./plan-scp.js";
export {
  asList,
  type PolicyDocument,
  policyDocumentSchema,
  type Statement,
  statementsOf,
} from "./policy-document.js";
export {
  DEFAULT_POLICIES,
  defaultPolicyDir,
  loadPolicyLibrary,
  type PolicyTemplate,
  requirePolicy,
} from "./policy-library.js";
export { compilePattern, matchesPattern, type PatternMode } from "./policy-pattern.js";
export { recordAppliedScp } from "./record-applied-scp.js";
export {
  MANAGED_PREFIX,
  MANAGED_TAG,
  type RenderedPolicy,
  renderPolicy,
  type ScpParameterInput,
  type ScpParameters,
  scpParameters,
} from "./render-policy.js";
export { type KeyValue, type RequestKeys, toRequestKeys } from "./request-keys.js";
export { DEFAULT_SCP_QUOTAS, type ScpQuotas } from "./scp-quotas.js";
