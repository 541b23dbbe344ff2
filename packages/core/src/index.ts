export { AccountClients } from "./account-clients.js";
export {
  ApiCallCounter,
  type ApiCallCounts,
  type WaitListener,
  type WaitSummary,
} from "./api-call-counter.js";
export { DEFAULT_ROLE_NAME, REFRESH_MARGIN_MS, RoleAssumer, type RoleAssumerOptions } from "./assume-role.js";
export {
  AWS_ACTIONS,
  type AwsActionUse,
  memberAccountActions,
  PERMISSION_STATEMENTS,
  type PermissionFile,
  renderDelegationPolicy,
  renderPermissionPolicies,
  requestedRegion,
} from "./aws-actions.js";
export { type AwsServiceError, describeAwsError, isAwsError, isAwsServiceError } from "./aws-error.js";
export { IAM_ROLE_NAME_WILDCARD, IAM_TAG_KEY, isIamTagKey, VPC_ID } from "./aws-name-patterns.js";
export {
  ClientFactory,
  type ClientFactoryOptions,
  type ClientScope,
  type Credentials,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_ORGANIZATIONS_CONCURRENCY,
  DEFAULT_ORGANIZATIONS_RATE,
} from "./client-factory.js";
export { type Clock, manualClock, SYSTEM_CLOCK } from "./clock.js";
export { collectPages } from "./collect-pages.js";
export {
  CONTROL_CATALOGUE,
  type ControlEntry,
  controlEntry,
  frameworkIds,
} from "./control-catalogue.js";
export { COMPLIANCE_STATUSES, CONTROL_IDS, type ComplianceStatus, type ControlId } from "./controls.js";
export {
  type ErrorCode,
  INPUT_ERROR_CODES,
  isOrgwardenError,
  OrgwardenError,
  type OrgwardenErrorOptions,
} from "./errors.js";
export {
  type AccountResult,
  createFanOut,
  DEFAULT_CONCURRENCY,
  type FanOut,
  type FanOutOptions,
  fanOut,
} from "./fan-out.js";
export {
  type AccountState,
  type AttachedPolicies,
  type AuthorizationPolicyType,
  type BuildInventoryOptions,
  buildInventory,
  type Inventory,
  type OrgAccount,
  type OrganizationIdentity,
  type OrgUnit,
  type PolicyTypeStatus,
  readManagementPolicies,
  readRcps,
  readScpTargets,
  type ScpSummary,
} from "./inventory.js";
export {
  accountById,
  accountsUnder,
  ancestorIds,
  effectiveScpIds,
  findTarget,
  orgPathOf,
  requireTarget,
  type Target,
} from "./inventory-queries.js";
export {
  type CreateLoggerOptions,
  createLogger,
  type Logger,
  type LogLevel,
  REDACTED_PATHS,
  silentLogger,
} from "./logger.js";
export {
  DEFAULT_MFA_POLICY_NAME,
  hasManagedTag,
  hasServiceManagedTag,
  IAM_POLICY_NAME,
  isIamPolicyName,
  MANAGED_PREFIX,
  MANAGED_TAG,
  SERVICE_MANAGED_TAG,
} from "./managed-names.js";
export { type OperatorCredentialOptions, resolveOperatorCredentials } from "./operator-credentials.js";
export { listOrganizationsQuotas, type OrganizationsQuota } from "./organizations-quotas.js";
export { iamRegion, organizationsRegion, partitionOfArn, partitionOfRegion } from "./partition.js";
export { DEFAULT_PASSWORD_REQUIREMENTS, type PasswordRequirements } from "./password-requirements.js";
export type { Plan } from "./plan.js";
export {
  CONTROL_TOWER_PREFIX,
  LZA_TAG,
  type OwnedPolicy,
  POLICY_OWNERS,
  type PolicyOwner,
  policyOwner,
} from "./policy-owner.js";
export {
  isPolicyTypeName,
  POLICY_TYPE_CATALOGUE,
  POLICY_TYPES,
  type PolicyTypeEntry,
  type PolicyTypeName,
  parsePolicyTypes,
  policyQuotaOf,
  policyTypeEntry,
  type QuotaFigure,
} from "./policy-types.js";
export { type PollOptions, pollUntil } from "./poll.js";
export { type JsonDocument, readJsonFolder } from "./read-json-folder.js";
export { isRegionName, REGION_NAME } from "./region-name.js";
export { RequestPace } from "./request-pace.js";
export {
  type BackoffRetryOptions,
  BackoffRetryStrategy,
  type BackoffSettings,
  DEFAULT_BACKOFF,
} from "./retry-strategy.js";
export { shippedDir } from "./shipped-dir.js";
export { identityFromSts } from "./sts-credentials.js";
export {
  placeholderNames,
  replacePlaceholders,
  TEMPLATE_PLACEHOLDER,
  wholePlaceholder,
} from "./template-placeholders.js";
