import { describeAwsError, isAwsError } from "@orgwarden/core";
import type { ReadFailure } from "./event-source.js";

/** Where a read failed: the part of the scope, and what was being read. */
export interface FailedPart {
  account?: string;
  region?: string;
  location: string;
}

/**
 * A failed part of a read as data for the coverage header: AWS's error in words (describeAwsError),
 * with the source's own hint for an access denial when it has one (a bucket policy, a role).
 */
export function readFailure(
  err: unknown,
  part: FailedPart,
  service: string,
  accessDeniedHint?: string,
): ReadFailure {
  const error = describeAwsError(err, service);
  const hint =
    accessDeniedHint &&
    (error.code === "ACCESS_DENIED" || isAwsError(err, "AccessDenied", "AllAccessDisabled"))
      ? accessDeniedHint
      : error.hint;
  return {
    ...(part.account ? { account: part.account } : {}),
    ...(part.region ? { region: part.region } : {}),
    location: part.location,
    reason: error.message,
    ...(hint ? { hint } : {}),
  };
}

/** True when the error is about the account's credentials (the role could not be assumed): every region fails alike. */
export function isCredentialFailure(err: unknown): boolean {
  const code = describeAwsError(err).code;
  return code === "ASSUME_ROLE_FAILED" || code === "CREDENTIALS";
}

/**
 * True when a region turned the account's credentials down as unknown to it: what a region the
 * account has not enabled (an opt-in region enabled in the management account only) answers, with
 * UnrecognizedClientException or InvalidClientTokenId, while the account's other regions answer.
 * https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
export function isRegionRejection(err: unknown): boolean {
  return isAwsError(err, "UnrecognizedClientException", "InvalidClientTokenId");
}
