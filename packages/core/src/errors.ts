/**
 * Every error orgwarden raises on purpose. `code` is what callers branch on, `hint` tells the user
 * what to do next. The CLI maps codes to exit codes; libraries never exit.
 */
export type ErrorCode =
  | "INVALID_INPUT"
  | "NOT_FOUND"
  | "REFUSED"
  | "QUOTA_EXCEEDED"
  | "LOCKOUT_RISK"
  | "CREDENTIALS"
  | "ACCESS_DENIED"
  | "NOT_IN_ORGANIZATION"
  | "ASSUME_ROLE_FAILED"
  | "ASSUME_ROOT_FAILED"
  | "THROTTLED"
  | "UNREACHABLE"
  | "AWS_ERROR"
  | "EMULATOR"
  /** A file (a report, changes.json) could not be written: the disk, a quota, permissions. */
  | "WRITE_FAILED"
  | "INTERNAL";

export interface OrgwardenErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Extra facts for logs and JSON output; never credentials. */
  details?: Record<string, unknown>;
}

export class OrgwardenError extends Error {
  override readonly name = "OrgwardenError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: OrgwardenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** Codes that mean "the input was wrong or the change was refused; nothing was changed" (exit 2). */
export const INPUT_ERROR_CODES: ReadonlySet<ErrorCode> = new Set([
  "INVALID_INPUT",
  "NOT_FOUND",
  "REFUSED",
  "QUOTA_EXCEEDED",
  "LOCKOUT_RISK",
]);

export function isOrgwardenError(err: unknown): err is OrgwardenError {
  return err instanceof OrgwardenError;
}
