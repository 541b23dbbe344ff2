import type { Credentials as StsCredentials } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { type ErrorCode, OrgwardenError } from "./errors.js";

/**
 * The credentials an STS call (AssumeRole, AssumeRoot, GetSessionToken) returned, as the SDK's
 * identity with their expiry; `code` and `what` name the failure when STS returned none.
 */
export function identityFromSts(
  credentials: StsCredentials | undefined,
  code: ErrorCode,
  what: string,
): AwsCredentialIdentity {
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
    throw new OrgwardenError(code, `${what} returned no credentials`);
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
  };
}
