/** The local-emulator toolkit behind `orgwarden demo`, also used by the integration tests. */
export { EMULATOR_CREDENTIALS, MANAGEMENT_ACCOUNT_ID } from "./emulator-credentials.js";
export {
  freePort,
  installMoto,
  MOTO_INSTALL_HINT,
  type MotoServer,
  motoInstalled,
  startMoto,
} from "./moto-server.js";
export {
  escapeXml,
  forwardRequest,
  type RootAccessStandIn,
  type RootCredentialSeed,
  type RootCredentialState,
  startRootAccessStandIn,
} from "./root-access-standin.js";
export {
  createConsoleUser,
  createDetector,
  createMfaPolicy,
  createTrail,
  enableCentralizedRootAccess,
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
