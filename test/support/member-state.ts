export {
  createConsoleUser,
  createDetector,
  createMfaPolicy,
  createTrail,
  memberConfig,
  putForeignRule,
  setPasswordPolicy,
  startRecorder,
} from "@orgwarden/cli/demo";
