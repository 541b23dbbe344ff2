/** The local AWS emulator behind `orgwarden demo` and the integration tests: moto, stand-ins, seeding. */

/** IAM Access Analyzer's analyzers and external-access findings, planted (moto has none). */
export type {
  AccessAnalyzerState,
  PlantedAnalyzer,
  PlantedFinding,
} from "./access-analyzer-standin.js";
/** A proxy in front of moto that injects throttling, 5xx, resets and latency, and counts requests. */
export { type AwsProxy, type AwsProxyOptions, type ProxyFaults, startAwsProxy } from "./aws-proxy.js";
/** CloudTrail's recorded events in the emulator: LookupEvents and Lake (planted), the trail's files in S3. */
export {
  type CloudTrailStandIn,
  type CloudTrailStandInState,
  cloudTrailStandIn,
} from "./cloudtrail-standin/cloudtrail-standin.js";
export {
  clearCloudTrailEvents,
  cloudTrailStandInState,
  plantCloudTrailEvents,
} from "./cloudtrail-standin/plant-cloudtrail-events.js";
export {
  putTrailObjects,
  type TrailObjectsOptions,
  trailObjectKey,
} from "./cloudtrail-standin/put-trail-objects.js";
export { DEMO_CI_USER, seedDemoActivity } from "./demo-activity.js";
export { DEMO_COMPLIANT_ACCOUNTS, seedDemoOrganization } from "./demo-organization.js";
export { EFFECTIVE_POLICY_ERRORS_PATH, type EffectivePolicyErrorSeed } from "./effective-policies-standin.js";
export { EMULATOR_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from "./emulator-credentials.js";
export type { FaultKind, Faults } from "./fault-injector.js";
export { forwardRequest } from "./forward-request.js";
export {
  freePort,
  installMoto,
  MOTO_INSTALL_HINT,
  type MotoServer,
  motoInstalled,
  resetEmulator,
  startMoto,
} from "./moto-server.js";
export { MOTO_POLICY_TYPES } from "./policy-types-standin.js";
export type { RootCredentialSeed, RootCredentialState } from "./root-access-standin.js";
/** Constant-time answers for a synthetic organization of N accounts (moto cannot measure scale). */
export {
  type ScaleStandIn,
  type ScaleStandInOptions,
  startScaleStandIn,
} from "./scale-standin/scale-standin.js";
export { type AccountGuardrailSettings, setAccountGuardrails } from "./seed-guardrails.js";
export {
  createConsoleUser,
  createDetector,
  createMfaPolicy,
  createTrail,
  enableCentralizedRootAccess,
  evaluateConfigRules,
  memberConfig,
  putForeignRule,
  rootCredentialState,
  seedRootCredentials,
  setPasswordPolicy,
  startRecorder,
} from "./seed-member-state.js";
export {
  memberCredentials,
  nestedLayout,
  type OrgLayout,
  orgClient,
  type SeededAccount,
  type SeededOrg,
  seedOrganization,
} from "./seed-organization.js";
export {
  type PolicySeed,
  seedDemoPolicies,
  seedInvalidEffectivePolicy,
  seedPolicies,
} from "./seed-policies.js";
export { type ExtraStandIn, type StandInProxy, startStandInProxy } from "./standin-proxy.js";
/** The query protocol's envelopes (IAM, STS), for an extra stand-in. */
export {
  escapeXml,
  type StandInRequest,
  sendJson,
  sendQuery,
  sendQueryError,
} from "./wire-protocol.js";
