/** Dummy credentials for the local emulator: moto maps this access key to account 123456789012. */
export const EMULATOR_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };
export const MANAGEMENT_ACCOUNT_ID = "123456789012";
