/** Dummy credentials for the emulator: moto maps this access key to account 123456789012. */
export const TEST_ENV = {
  AWS_ACCESS_KEY_ID: "testing",
  AWS_SECRET_ACCESS_KEY: "testing",
  AWS_REGION: "us-east-1",
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
} as const;

export const TEST_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };
export const MANAGEMENT_ACCOUNT_ID = "123456789012";
