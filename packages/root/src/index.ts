/** IAM centralized root access: the organization features, and member accounts' root credentials. */
export {
  type AuditMemberRootsInput,
  auditMemberRoots,
  NOT_ENABLED_REASON,
  outOfRootScope,
  type RootStatus,
  type RootStatusRow,
} from "./audit-member-roots.js";
export {
  type ApplyRootEnableInput,
  applyRootEnable,
  describeRootEnableStep,
  planRootEnable,
  type RootEnableStep,
} from "./enable-root-access.js";
export {
  type ApplyRootRemovalInput,
  applyRootCredentialRemoval,
  describeRootRemovalStep,
  type PlanRootRemovalInput,
  planRootCredentialRemoval,
  type RootRemovalAccountPlan,
  type RootRemovalOutcome,
  type RootRemovalPlan,
  type RootRemovalResult,
  type RootRemovalStatus,
  type RootRemovalStep,
  remainsAfter,
  removalOutcome,
  removalSteps,
} from "./remove-root-credentials.js";
export {
  auditRootCredentials,
  describeRootCredentials,
  hasRootCredentials,
  judgeRootCredentials,
  type RootCredentialJudgement,
  type RootCredentials,
} from "./root-credentials.js";
export {
  canManageRootCredentials,
  describeRootAccessFeatures,
  IAM_SERVICE_PRINCIPAL,
  type ReadRootAccessFeaturesInput,
  ROOT_FEATURES,
  type RootAccessFeatures,
  type RootFeature,
  readRootAccessFeatures,
} from "./root-features.js";
export {
  MAX_ROOT_SESSION_SECONDS,
  MIN_ROOT_SESSION_SECONDS,
  ROOT_SESSION_REFRESH_MS,
  ROOT_TASKS,
  RootSessions,
  type RootSessionsOptions,
  type RootTask,
  taskPolicyArn,
} from "./root-sessions.js";
