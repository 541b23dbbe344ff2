/**
 * The scheduled job as a library: orgwarden.yaml, the one place where flags, the file and the
 * defaults become settings, the AWS session, and `planJob → applyJob → summary`. The CLI is one
 * caller; a Lambda handler or a test can be another.
 */

export * as fieldRules from "./config/field-rules.js";
export { DEFAULT_ROLLOUT_STATE } from "./config/rollout-config.js";
export {
  type ConfigProblem,
  loadRunConfig,
  type RunConfig,
  runConfigJsonSchema,
  runConfigSchema,
  validateRunConfig,
} from "./config/run-config.js";
// apply-s3-policy, apply-ec2-policy, their detach commands and `status`.
export {
  declarativeInventory,
  declarativeQuotas,
  draftDeclarative,
  planDeclarative,
  planDetachDeclarative,
} from "./declarative/plan-declarative.js";
export { ExitCode, exitCodeFor, reportExitCode } from "./exit-codes.js";
export { reportChunks, reportExtension, writeReportFile } from "./files/report-files.js";
export { checkWritableDir, checkWritableFile } from "./files/writable-path.js";
export {
  copyFileAtomic,
  describeFileError,
  describeWriteError,
  writeFileAtomic,
  writeWhole,
} from "./files/write-file-atomic.js";
export { type ChangePaths, changePaths } from "./impact/change-paths.js";
export type { ImpactAwsCheck } from "./impact/confirm-sample.js";
export { type ImpactGate, impactGate } from "./impact/impact-gate.js";
export { impactJob } from "./impact/impact-job.js";
export { type ImpactRow, impactRows } from "./impact/impact-rows.js";
export { hangingOnPrincipalTags, type Judged, judgeTuples, rejudgeWithTags } from "./impact/judge-tuples.js";
export {
  type ImpactCoverage,
  type ImpactInput,
  type ImpactResult,
  measureImpact,
} from "./impact/measure-impact.js";
// `orgwarden policies`: every policy type, attachments with owners and slots, invalid effective policies.
export {
  type PoliciesJobInput,
  policyQuotas,
  readPolicies,
  runPoliciesJob,
} from "./policies/policies-job.js";
// apply-rcp, detach-rcp, `rcp status` and run's rcp: entries.
export {
  draftRcp,
  draftRcpIn,
  planRcpDraft,
  type RcpDraft,
  type RcpPlanDependencies,
  rcpInventory,
  rcpPlanDependencies,
  rcpQuotas,
} from "./rcp/plan-rcp.js";
export { type ReportJobHeld, type ReportJobInput, runReportJob } from "./report/report-job.js";
// `orgwarden rollout`: stage by stage (impact, plan, attach, soak), resumable from its state file.
export { type RolloutSummary, runConfiguredRollout } from "./rollout/configured-rollout.js";
export {
  beginRollout,
  continueRollout,
  describeRollout,
  rolloutExitCode,
} from "./rollout/continue-rollout.js";
export type {
  RolloutEvent,
  RolloutHooks,
  RolloutOptions,
  RolloutOutcome,
  RolloutRun,
  StageRef,
} from "./rollout/rollout-events.js";
export {
  DEFAULT_DELIVERY_MARGIN,
  DEFAULT_POLL,
  pollMs,
  type RolloutFlags,
  type RolloutStart,
  rolloutSettings,
} from "./rollout/rollout-settings.js";
export {
  type DenialSeen,
  type RolloutStage,
  type RolloutState,
  readRolloutState,
  rolloutFinished,
} from "./rollout/rollout-state.js";
export { lockRolloutState, type StateLock } from "./rollout/state-lock.js";
export {
  type AppliedRuleDeployment,
  applyRules,
  planRules,
  type RuleDeploymentPlan,
  refuseEmptyDeployment,
  unreadAccounts,
} from "./rules/plan-rules.js";
export { applyJob } from "./run/apply-job.js";
export { describeStep } from "./run/describe-scp-step.js";
export { type JobPlan, type PreparedJob, planJob, prepareJob } from "./run/plan-job.js";
export { type JobDryRun, planRunJob, runJob } from "./run/run-job.js";
export { jobExitCode, type RunSummary } from "./run/run-summary.js";
export { importReportToSecurityHub } from "./run/security-hub-step.js";
export {
  draftIn,
  draftScp,
  noteDelegation,
  planScpDraft,
  type ScpDraft,
  type ScpPlanDependencies,
} from "./scp/plan-scp.js";
// `orgwarden scp simulate`: which SCP decides a request, by orgwarden's evaluator and AWS's simulator.
export {
  type OrgwardenVerdict,
  type ScpSimulation,
  type SimulationRow,
  simulateScp,
} from "./scp/simulate-scp.js";
export {
  type JobDeps,
  type JobHooks,
  type JobOptions,
  NO_PROGRESS,
  type Progress,
} from "./session/job-deps.js";
export { operatorIdentity, principalArnOf, webIdentityOf } from "./session/operator-identity.js";
export { reportWorkers } from "./session/report-workers.js";
export { openRootAccess, type RootAccessClients, rootAccessClients } from "./session/root-access.js";
export { scpPlanDependencies, scpQuotas } from "./session/scp-plan-inputs.js";
export {
  type InventoryOptions,
  type JobSession,
  type OpenSessionExtras,
  openSession,
  type SessionOptions,
} from "./session/session.js";
export {
  applyConnectionDefaults,
  connectionRegions,
  homeRegion,
  parseRegionList,
  workRegions,
} from "./settings/connection-settings.js";
export {
  DEFAULT_SINCE,
  type ImpactFlags,
  type ImpactSettings,
  type ImpactWindowSettings,
  impactSettings,
  impactWindowSettings,
  sinceDate,
} from "./settings/impact-settings.js";
export { parseChoice } from "./settings/parse-choice.js";
export {
  type RcpEntryParameters,
  type RcpFlags,
  type RcpSettings,
  rcpSettings,
} from "./settings/rcp-settings.js";
export {
  parseSources,
  type ReportFlags,
  type ReportSettings,
  reportSettings,
  securityHubRegion,
} from "./settings/report-settings.js";
export { type RootFlags, type RootSettings, rootSettings } from "./settings/root-settings.js";
export {
  type RuleDeployment,
  type RuleDeploymentFlags,
  type RuleFlags,
  ruleDeployment,
  ruleSettings,
} from "./settings/rule-settings.js";
export {
  type ScpConnection,
  type ScpEntryParameters,
  type ScpFlags,
  type ScpSettings,
  scpSettings,
} from "./settings/scp-settings.js";
export {
  parseContextFlags,
  type SimulateFlags,
  type SimulateSettings,
  simulateSettings,
} from "./settings/simulate-settings.js";
export { VERSION } from "./version.js";
