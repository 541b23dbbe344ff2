import { OrgwardenError } from "./errors.js";
import { describeNetworkError, describeUnimplemented } from "./network-error.js";

/** The fields the SDK v3 puts on every service exception. */
export interface AwsServiceError {
  name: string;
  message: string;
  Reason?: string;
  $fault?: "client" | "server";
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

export function isAwsServiceError(err: unknown): err is AwsServiceError {
  return typeof err === "object" && err !== null && "$metadata" in err && "name" in err;
}

/** True when `err` is the SDK exception named `name` (checked by name: the classes live in each client package). */
export function isAwsError(err: unknown, ...names: string[]): err is AwsServiceError {
  return isAwsServiceError(err) && names.includes(err.name);
}

const THROTTLING = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "Throttling",
  "RequestLimitExceeded",
  "SlowDown",
]);

/**
 * Turns an AWS SDK error into an OrgwardenError that says what the user should do.
 * `service` names where it came from, so AccessDenied can point at the right fix.
 */
export function describeAwsError(err: unknown, service?: string): OrgwardenError {
  if (err instanceof OrgwardenError) return err;
  // Network failures carry $metadata too (the retry layer adds it): recognise them first.
  const network = describeNetworkError(err) ?? describeUnimplemented(err);
  if (network) return network;
  if (!isAwsServiceError(err)) {
    if (err instanceof Error && (err.name === "CredentialsProviderError" || /credential/i.test(err.name))) {
      return new OrgwardenError("CREDENTIALS", `no usable AWS credentials: ${err.message}`, {
        hint: "Set --profile, or AWS_PROFILE / AWS_ACCESS_KEY_ID, for the management account.",
        cause: err,
      });
    }
    return new OrgwardenError("INTERNAL", err instanceof Error ? err.message : String(err), { cause: err });
  }
  const requestId = err.$metadata?.requestId;
  const details: Record<string, unknown> = { awsError: err.name };
  if (requestId) details.requestId = requestId;
  if (err.Reason) details.reason = err.Reason;
  const message = `${service ? `${service}: ` : ""}${err.name}: ${err.message}`;

  if (err.name === "AWSOrganizationsNotInUseException") {
    return new OrgwardenError(
      "NOT_IN_ORGANIZATION",
      "the credentials' account is not in an AWS Organization",
      {
        hint: "Run orgwarden with credentials of the organization's management account.",
        cause: err,
        details,
      },
    );
  }
  if (
    err.name === "AccessDeniedException" ||
    err.name === "AccessDenied" ||
    err.name === "AccessDeniedForDependencyException"
  ) {
    const hint =
      service === "Organizations"
        ? "Run from the organization's management account or a delegated administrator, with organizations:List*/Describe* allowed."
        : "Check the IAM permissions of the role orgwarden uses (see docs/permissions).";
    return new OrgwardenError("ACCESS_DENIED", message, { hint, cause: err, details });
  }
  if (
    err.name === "ExpiredToken" ||
    err.name === "ExpiredTokenException" ||
    err.name === "InvalidClientTokenId" ||
    err.name === "UnrecognizedClientException" ||
    err.name === "SignatureDoesNotMatch"
  ) {
    return new OrgwardenError("CREDENTIALS", message, {
      hint: "Refresh the credentials (aws sso login, a new MFA code) and run again.",
      cause: err,
      details,
    });
  }
  if (THROTTLING.has(err.name)) {
    return new OrgwardenError("THROTTLED", message, {
      hint: "AWS kept throttling after every retry: lower --concurrency or raise --max-attempts.",
      cause: err,
      details,
    });
  }
  return new OrgwardenError("AWS_ERROR", message, { cause: err, details });
}
