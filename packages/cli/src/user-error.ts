import { describeAwsError, isOrgwardenError, OrgwardenError } from "@orgwarden/core";
import { describeFileError } from "@orgwarden/job";

/**
 * The smithy credential chain's error when no provider had credentials. Its error class is shared
 * with every provider's own failure (an expired SSO session, a missing profile), which say more and
 * are kept; only this one, which says nothing a user can act on, is recognised by its text: the SDK
 * offers nothing else (@smithy/property-provider's chain).
 */
const EMPTY_CHAIN = "Could not load credentials from any providers";

const WRITING_CALLS = new Set(["write", "rename", "mkdir", "copyfile", "unlink", "rmdir", "fsync", "close"]);

/**
 * The error as the user should read it: orgwarden's own as they are, the SDK's and Node's mapped by
 * their name and code to what happened and what to do, never their raw text alone.
 */
export function userError(err: unknown): OrgwardenError {
  if (isOrgwardenError(err)) {
    const cause = err.cause as Error | undefined;
    if (
      err.code === "CREDENTIALS" &&
      cause?.name === "CredentialsProviderError" &&
      cause.message === EMPTY_CHAIN
    ) {
      return new OrgwardenError(
        "CREDENTIALS",
        "no AWS credentials found: none in the environment (AWS_ACCESS_KEY_ID), in ~/.aws/credentials or ~/.aws/config, in an SSO session, or from an instance or container role",
        {
          hint: "Sign in first (aws sso login --profile NAME, or aws configure), then pass --profile NAME or set AWS_PROFILE; in CI, export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the management account.",
          cause,
          ...(err.details ? { details: err.details } : {}),
        },
      );
    }
    return err;
  }
  const errno = err as NodeJS.ErrnoException;
  if (err instanceof Error && typeof errno.code === "string" && typeof errno.syscall === "string") {
    // A file-system error that nothing above named (a bug's trail): which file, and what happened.
    const op = WRITING_CALLS.has(errno.syscall) ? "write" : "read";
    return new OrgwardenError(
      "INTERNAL",
      `cannot ${op} ${errno.path ?? "a file"}: ${describeFileError(err, op)}`,
      { hint: "Check that path and its permissions, and run again.", cause: err },
    );
  }
  return describeAwsError(err);
}
