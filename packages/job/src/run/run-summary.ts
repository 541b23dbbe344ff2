import { ExitCode } from "../exit-codes.js";
import type { RolloutSummary } from "../rollout/configured-rollout.js";

/** What `orgwarden run` did: one entry per config entry, the report's counts, the exit code. */
export interface RunSummary {
  accounts: number;
  scp: Array<{
    ou: string;
    mode: string;
    changes: number;
    applied: number;
    drift: string[];
    /** AWS's policy simulator on the entry's lockout guard (verifyWithAws), in one line. */
    guard?: string;
  }>;
  /** One per `rcp:` entry, as for scp: (absent when the config has none). */
  rcp?: Array<{ ou: string; mode: string; changes: number; applied: number; drift: string[] }>;
  /** The `rollout:` section's rollout, resumed by this run. */
  rollout?: RolloutSummary;
  /** Unused orgwarden SCPs deleted (deleteUnusedScps). */
  scpDeleted?: string[];
  /** Centralized root access per `root:` entry: accounts whose root user has credentials, what was removed. */
  root: Array<{
    ou: string;
    mode: string;
    withCredentials: number;
    /** Deletions and MFA deactivations made, and in how many accounts. */
    removed: number;
    changedAccounts: number;
    errors: number;
    /**
     * Accounts an enforce entry did not finish: PARTIAL (something was removed, then a step or
     * the confirming read-back failed) or ERROR, with what was removed before that.
     */
    unfinished?: Array<{
      accountId: string;
      accountName: string;
      status: "PARTIAL" | "ERROR";
      removed: string[];
      reason: string;
    }>;
    /** Why a detect entry could not audit (centralized root access off). */
    note?: string;
  }>;
  rules: Array<{ ou: string; mode: string; changes: number; written: number; unreachable: number }>;
  report: { rows: number; byStatus: Record<string, number>; files: string[] } | undefined;
  /** What changed since the last run's latest.json (when there was one). */
  changes?: {
    since: string;
    becameNonCompliant: number;
    fixed: number;
    accountsAdded: number;
    accountsRemoved: number;
    worse: boolean;
    /** The summary to notify.snsTopicArn (only when something got worse). */
    published?: "sent" | "failed";
  };
  /** report.securityHub: findings imported, and the accounts whose findings did not get in. */
  securityHub?: { region: string; imported: number; accounts: number; failed: number };
  /**
   * The run stopped part-way after it had changed something (a refusal or an AWS error in a later
   * step): why, and every change made before (exit 1, never "nothing was changed"). The report
   * was not made. Each step is safe to repeat: running again finishes the job.
   */
  stopped?: { code: string; message: string; hint?: string; changed: string[] };
  /** AWS calls that change something, counted by the SDK middleware. */
  writeCalls: number;
  exitCode: number;
  durationMs: number;
}

/**
 * The job's exit-code policy: 3 (incomplete) when an account could not be reached, audited, cleaned
 * or evaluated, its findings did not reach Security Hub, or the notification was not published;
 * else 4 with report.failOn: non-compliant and NON_COMPLIANT rows, SCP drift, or root credentials
 * found by a detect entry (SCP or RCP drift too); else 0. Before all of these, 6 when a rollout: stage was rolled back
 * and 5 when one stopped on its impact.
 */
export function jobExitCode(
  s: Pick<RunSummary, "report" | "rules" | "securityHub" | "changes" | "root" | "scp" | "rcp" | "rollout">,
  failOn: "non-compliant" | "none",
): number {
  // A stage rolled back (6) or stopped on its impact (5) says more than the report's codes.
  if (s.rollout?.exitCode === ExitCode.rolledBack || s.rollout?.exitCode === ExitCode.impactFound)
    return s.rollout.exitCode;
  const byStatus = s.report?.byStatus ?? {};
  const incomplete =
    (byStatus.ERROR ?? 0) > 0 ||
    s.rules.some((r) => r.unreachable > 0) ||
    (s.securityHub?.failed ?? 0) > 0 ||
    s.changes?.published === "failed" ||
    s.root.some((r) => r.errors > 0) ||
    s.rollout?.exitCode === ExitCode.incomplete;
  if (incomplete) return ExitCode.incomplete;
  const nonCompliant =
    (byStatus.NON_COMPLIANT ?? 0) > 0 ||
    s.scp.some((e) => e.drift.length > 0) ||
    (s.rcp ?? []).some((e) => e.drift.length > 0) ||
    s.root.some((r) => r.mode === "detect" && r.withCredentials > 0);
  return failOn === "non-compliant" && nonCompliant ? ExitCode.nonCompliant : ExitCode.ok;
}

/** AWS calls that change something, by operation name. */
const WRITE_OPERATION =
  /\.(Create|Update|Put|Delete|Attach|Detach|Enable|Deactivate|Start|Stop|Tag|Untag|BatchImport|BatchUpdate)/;

export function countWriteCalls(byOperation: Record<string, number>): number {
  return Object.entries(byOperation)
    .filter(([op]) => WRITE_OPERATION.test(op))
    .reduce((n, [, c]) => n + c, 0);
}
