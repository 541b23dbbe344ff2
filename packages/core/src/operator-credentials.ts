import { GetSessionTokenCommand } from "@aws-sdk/client-sts";
import { fromEnv, fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { loadSharedConfigFiles } from "@smithy/core/config";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { describeAwsError } from "./aws-error.js";
import type { ClientFactory } from "./client-factory.js";
import { OrgwardenError } from "./errors.js";
import { identityFromSts } from "./sts-credentials.js";

export interface OperatorCredentialOptions {
  factory: ClientFactory;
  /** A named profile; otherwise the default provider chain (env, SSO, web identity, ini, ECS/EC2). */
  profile?: string | undefined;
  /** An MFA device serial or ARN: orgwarden first gets an MFA session with sts:GetSessionToken. */
  mfaSerial?: string | undefined;
  /** The 6-digit code; when absent, `promptMfaCode` is asked (the CLI prompts on a TTY). */
  mfaCode?: string | undefined;
  promptMfaCode?: ((serial: string) => Promise<string>) | undefined;
  /** GetSessionToken duration; the IAM-user default is 12 hours. */
  mfaSessionSeconds?: number;
  /** The environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_CONFIG_FILE, ...); process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The credentials orgwarden acts with in the management account.
 *
 * With an MFA serial, the base credentials are exchanged once for an MFA session, so orgwarden
 * works where the operator's own IAM user sits under a "deny unless signed in with MFA" policy.
 * A code is single-use, so an expired MFA session is an error that says to run again, never a
 * silent re-prompt in the middle of a run.
 */
export function resolveOperatorCredentials(
  options: OperatorCredentialOptions,
): AwsCredentialIdentityProvider {
  const mfaCodeProvider = options.promptMfaCode ?? missingMfaCode;
  const env = options.env ?? process.env;
  // As the AWS CLI: --profile, then keys in the environment, then AWS_PROFILE and the rest of the
  // chain. Taking env keys directly also spares the SDK's warning when AWS_PROFILE is set as well.
  const chosen = options.profile
    ? fromIni({ profile: options.profile, mfaCodeProvider })
    : env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? fromEnv()
      : fromNodeProviderChain({ mfaCodeProvider });
  const profile = options.profile ?? (env.AWS_ACCESS_KEY_ID ? undefined : env.AWS_PROFILE);
  const base: AwsCredentialIdentityProvider = async () => {
    try {
      return await chosen();
    } catch (err) {
      throw (profile && (await missingProfile(profile, env))) ?? err;
    }
  };
  if (!options.mfaSerial) return base;

  const serial = options.mfaSerial;
  let session: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    session ??= getMfaSession(options, base, serial);
    const creds = await session;
    if (creds.expiration && creds.expiration.getTime() <= Date.now()) {
      throw new OrgwardenError("CREDENTIALS", "the MFA session has expired", {
        hint: "Run the command again with a fresh --mfa-code.",
      });
    }
    return creds;
  };
}

async function getMfaSession(
  options: OperatorCredentialOptions,
  base: AwsCredentialIdentityProvider,
  serial: string,
): Promise<AwsCredentialIdentity> {
  const code = options.mfaCode ?? (await (options.promptMfaCode ?? missingMfaCode)(serial));
  if (!/^\d{6}$/.test(code)) {
    throw new OrgwardenError("INVALID_INPUT", "the MFA code must be exactly 6 digits", {
      hint: "Pass the current code from the device with --mfa-code 123456.",
    });
  }
  const sts = options.factory.sts(base, "operator-base");
  try {
    const out = await sts.send(
      new GetSessionTokenCommand({
        SerialNumber: serial,
        TokenCode: code,
        DurationSeconds: options.mfaSessionSeconds ?? 43_200,
      }),
    );
    return identityFromSts(out.Credentials, "CREDENTIALS", "sts:GetSessionToken");
  } catch (err) {
    if (err instanceof OrgwardenError) throw err;
    const e = describeAwsError(err, "STS");
    throw new OrgwardenError("CREDENTIALS", `could not start an MFA session with ${serial}: ${e.message}`, {
      hint: "Check --mfa-serial (the device ARN or serial of the user whose credentials are in use) and use a fresh code. GetSessionToken needs long-term (IAM user) credentials.",
      cause: err,
    });
  }
}

/** A CREDENTIALS error naming the profile and the files searched, when the profile is in neither. */
async function missingProfile(profile: string, env: NodeJS.ProcessEnv): Promise<OrgwardenError | undefined> {
  const configFile = env.AWS_CONFIG_FILE ?? "~/.aws/config";
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? "~/.aws/credentials";
  try {
    const files = await loadSharedConfigFiles({
      ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
      ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    });
    if (files.configFile?.[profile] || files.credentialsFile?.[profile]) return undefined;
  } catch {
    // unreadable files: the profile is not there either
  }
  return new OrgwardenError(
    "CREDENTIALS",
    `the AWS profile "${profile}" is in neither ${configFile} nor ${credentialsFile}`,
    {
      hint: "Check --profile / AWS_PROFILE (aws configure list-profiles), or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE.",
    },
  );
}

async function missingMfaCode(serial: string): Promise<string> {
  throw new OrgwardenError("INVALID_INPUT", `an MFA code is needed for ${serial}`, {
    hint: "Pass --mfa-code, or run on a terminal to be asked for it.",
  });
}
