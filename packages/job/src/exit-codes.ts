import { INPUT_ERROR_CODES, isOrgwardenError } from "@orgwarden/core";
import type { Report } from "@orgwarden/report";

/** The exit codes of DESIGN.md, the contract schedulers and CI rely on. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  /** Invalid input or a refused change: nothing was changed. */
  invalid: 2,
  /** Some accounts could not be reached or evaluated (ERROR rows). */
  incomplete: 3,
  /** Non-compliance found and --fail-on non-compliant given. */
  nonCompliant: 4,
  /** The change would deny recorded calls past --max-new-denials (impact, apply-scp --impact, rollout): nothing was applied. */
  impactFound: 5,
  /** A rollout stage saw more new denials than --max-new-denials during its soak and was rolled back. */
  rolledBack: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeFor(err: unknown): ExitCode {
  if (isOrgwardenError(err) && INPUT_ERROR_CODES.has(err.code)) return ExitCode.invalid;
  return ExitCode.failure;
}

/** Exit code of a finished report: 3 when rows are ERROR (incomplete), else 4 with --fail-on and NON_COMPLIANT rows. */
export function reportExitCode(report: Report, failOnNonCompliant: boolean): number {
  // One read of the rows: a report's rows may be on disk.
  let nonCompliant = false;
  for (const r of report.rows) {
    if (r.status === "ERROR") return ExitCode.incomplete;
    if (r.status === "NON_COMPLIANT") nonCompliant = true;
  }
  return failOnNonCompliant && nonCompliant ? ExitCode.nonCompliant : ExitCode.ok;
}
