// apply-rcp: IAM Access Analyzer's external-access findings, and which of them the new RCPs stop.
export {
  type ExternalAccessReport,
  type ExternalAccessVerdict,
  judgeExternalAccess,
} from "./access-analyzer/judge-external-access.js";
export {
  type ExternalFinding,
  type ExternalFindings,
  listExternalFindings,
} from "./access-analyzer/list-external-findings.js";
export { type AppliedScp, type ApplyScpOptions, applyScpPlan, stepActions } from "./apply-scp.js";
// `orgwarden rollout`: a new document attached beside the policy other targets use, never over it.
export { attachBeside } from "./attach-beside.js";
// `orgwarden scp simulate`: one request on the SCP paths of a target, explained and asked of AWS too.
export { type AwsVerdict, askAwsSimulator } from "./aws-simulator/ask-aws-simulator.js";
export {
  AskedRequests,
  type AwsConfirmation,
  type AwsDisagreement,
  confirmWithAws,
} from "./aws-simulator/confirm-with-aws.js";
export {
  awsCheckHeadline,
  describeAwsCheck,
  describeDisagreement,
} from "./aws-simulator/describe-aws-check.js";
export { iamPolicySimulator } from "./aws-simulator/iam-policy-simulator.js";
export {
  type AwsVerification,
  DEFAULT_VERIFY_CONCURRENCY,
  DEFAULT_VERIFY_RATE,
  type VerifyWithAws,
} from "./aws-simulator/send-calls.js";
export {
  type AwsDecision,
  contextEntries,
  type PolicySimulator,
  type SimulationAnswer,
  type SimulationCall,
  scpEffectOf,
} from "./aws-simulator/simulation-call.js";
export { bindPartition } from "./bind-partition.js";
export {
  type ConditionOperator,
  type ConditionVerdict,
  conditionHolds,
  parseConditionOperator,
  type Uncertain,
} from "./condition-operators.js";
// S3 organization-level Block Public Access and the EC2 declarative policy: one renderer per type,
// one policy per parameter set (named and tagged as SCP variants are).
export {
  apiSpelling,
  type DeclarativeParameter,
  type DeclarativeParameters,
  policySpelling,
} from "./declarative/declarative-parameters.js";
export {
  DECLARATIVE_POLICY_KINDS,
  type DeclarativePolicyKind,
  declarativePolicyFromTags,
  isDeclarativePolicyType,
  renderDeclarativePolicy,
} from "./declarative/declarative-policies.js";
export type { DeclarativePolicyType, RenderedDeclarativePolicy } from "./declarative/declarative-variant.js";
export {
  EC2_POLICY_NAME,
  EC2_POLICY_PARAMETERS,
  renderEc2DeclarativePolicy,
} from "./declarative/ec2-declarative-policy.js";
export {
  type PlanApplyDeclarativeInput,
  planApplyDeclarative,
} from "./declarative/plan-apply-declarative.js";
export {
  renderS3Policy,
  S3_POLICY_NAME,
  S3_POLICY_PARAMETERS,
  s3BlockPublicAccessOf,
} from "./declarative/s3-policy.js";
export {
  type AttachedLevel,
  type AttachedPolicy,
  attachedAlongPath,
} from "./effective-policies.js";
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
  checkExemptPrincipal,
  type ExemptExamples,
  examplePrincipalArn,
  exemptionsOf,
  findExemptExamples,
  findRoleArn,
  type ListPrincipals,
} from "./exempt-principals.js";
export { type ConditionKeyValue, type DecidingStatement, explainDecision } from "./explain-decision.js";
export { type ChangeVerdict, judgeChange } from "./impact/judge-change.js";
export { OBSERVABLE_KEYS, OTHER_VALUE, unobservableKeyVariants } from "./impact/key-variants.js";
export * from "./impact/request-unknowns.js";
export { listPrincipalsWith } from "./list-principals.js";
export {
  type AccountPathGroup,
  checkLockout,
  checkLockoutAcross,
  describeDecision,
  type LockoutReport,
  type ProbeResult,
  type ProbesFor,
  runProbe,
} from "./lockout-guard.js";
export { describeOrganizationsWriteError, retryOrganizationsWrite } from "./organizations-errors.js";
export { type PlanApplyInput, planApplyScp } from "./plan-apply-scp.js";
export { type PlanDetachInput, planDetachScp } from "./plan-detach-scp.js";
export { diffPolicies } from "./policy-diff.js";
export {
  asList,
  type PolicyDocument,
  policyDocumentSchema,
  type Statement,
  statementsOf,
} from "./policy-document.js";
export { RCP_SERVICES } from "./policy-elements.js";
export {
  EC2_POLICY_KIND,
  type EnginePolicyType,
  kindNoun,
  markPolicyTypeEnabled,
  type PolicyKind,
  policiesOf,
  policyKindOf,
  RCP_KIND,
  S3_POLICY_KIND,
  SCP_KIND,
} from "./policy-kind.js";
export {
  DEFAULT_POLICIES,
  defaultPolicyDir,
  loadPolicyLibrary,
  type PolicyAbout,
  type PolicyTemplate,
  requirePolicy,
} from "./policy-library.js";
export { compilePattern, matchesPattern, type PatternMode } from "./policy-pattern.js";
export { PolicyReader } from "./policy-reader.js";
export {
  buildProbes,
  buildResourceProbes,
  type Operator,
  PROBE_ACCOUNT,
  PROBE_ORGANIZATION,
  type Probe,
  type ProbeSetting,
  type WebIdentity,
} from "./probes.js";
export { sourceLabel } from "./quota-checks.js";
export {
  bindOrganization,
  DEFAULT_RCP_POLICIES,
  DEFAULT_RESOURCE_EXEMPT_TAG_KEYS,
  defaultRcpParameters,
  exemptTagKeysOf,
  type RcpParameterInput,
  type RcpParameters,
  rcpParameters,
  TAG_EXEMPT_RCPS,
  type TagExemptRcp,
} from "./rcp-parameters.js";
export { recordAppliedScp } from "./record-applied-scp.js";
export {
  managedPolicyName,
  parametersFromTags,
  parseManagedName,
  type RenderedPolicy,
  renderLibraryPolicies,
  renderPolicy,
  type TemplateParameters,
  templateParameterNames,
} from "./render-policy.js";
export { type KeyValue, type RequestKeys, toRequestKeys } from "./request-keys.js";
export { describeTarget } from "./resolve-target.js";
export { documentSha256, revisionName, splitRevision } from "./revision-name.js";
export {
  DEFAULT_AUDIT_AUTOMATION_ROLES,
  DEFAULT_MFA_EXEMPT_TAG_KEY,
  DEFAULT_NETWORK_EXEMPT_TAG_KEY,
  defaultScpParameters,
  type ScpParameterInput,
  type ScpParameters,
  scpParameters,
} from "./scp-parameters.js";
export type {
  AffectedTarget,
  PlanScpInput,
  PolicyReplacement,
  PolicyUpdate,
  ScpPlan,
  ScpStep,
  SharedPolicyRegression,
  WrittenPolicy,
} from "./scp-plan.js";
export {
  DEFAULT_RCP_QUOTAS,
  DEFAULT_SCP_QUOTAS,
  defaultQuotas,
  type QuotaSource,
  quotaKindOf,
  type ResolvedScpQuotas,
  resolveScpQuotas,
  type ScpQuotas,
} from "./scp-quotas.js";
export {
  isScpFinding,
  type ScpJudgement,
  type ScpState,
  type ScpStatusRow,
  scpJudge,
  scpStatus,
} from "./scp-status.js";
export { targetsOfUpdatedPolicies } from "./shared-updates.js";
export {
  type ContextOverride,
  checkSimulatedPrincipal,
  type RequestSetting,
  type SimulatedRequest,
  type SimulatedRequestInput,
  simulatedRequest,
} from "./simulated-request.js";
export { simulationPaths } from "./simulation-paths.js";
export { isLastingRefusal, skipReason } from "./skip-reason.js";
export { type PolicyFinding, type PolicyValidation, validateScpDocuments } from "./validate-scp-documents.js";
