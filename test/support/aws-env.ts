import { EMULATOR_CREDENTIALS } from "@orgwarden/emulator";

/** Dummy credentials for the emulator: moto maps this access key to account 123456789012. */
export const TEST_ENV = {
  AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
} as const;

export const TEST_CREDENTIALS = EMULATOR_CREDENTIALS;
export { MANAGEMENT_ACCOUNT_ID } from "@orgwarden/emulator";
