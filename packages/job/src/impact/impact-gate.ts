import { ExitCode } from "../exit-codes.js";
import type { ImpactResult } from "./measure-impact.js";

/** What one or more impact readings allow: go on, stop on impact (5), or stop on a partial read (3). */
export interface ImpactGate {
  verdict: "clean" | "impact" | "incomplete";
  /** New denials, in recorded events, over every reading. */
  events: number;
  /** Parts of the activity that could not be read, over every reading. */
  failures: number;
  exitCode: number;
}

/**
 * The one rule for impact, apply-scp --impact and rollout: more new-denial events than
 * `maxNewDenials` is impact (exit 5); else a reading with failures is incomplete (exit 3), since a
 * change is not judged on a partial answer; else clean.
 */
export function impactGate(results: readonly ImpactResult[], maxNewDenials: number): ImpactGate {
  const events = results.reduce((n, r) => n + r.newDenials.reduce((m, row) => m + row.count, 0), 0);
  const failures = results.reduce((n, r) => n + r.coverage.failures.length, 0);
  if (events > maxNewDenials) return { verdict: "impact", events, failures, exitCode: ExitCode.impactFound };
  if (failures > 0) return { verdict: "incomplete", events, failures, exitCode: ExitCode.incomplete };
  return { verdict: "clean", events, failures, exitCode: ExitCode.ok };
}
