import type { AppliedRuleDeployment, RuleDeploymentPlan } from "../rules/plan-rules.js";
import { unreadAccounts } from "../rules/plan-rules.js";
import type { RunSummary } from "./run-summary.js";

/**
 * One `rules:` entry in the run's summary: its plan's changes, what was written (0 for a dry run),
 * and the accounts that could not be read or written.
 */
export function ruleEntrySummary(
  planned: RuleDeploymentPlan,
  applied?: AppliedRuleDeployment,
): RunSummary["rules"][number] {
  return {
    ou: planned.ou,
    mode: planned.mode,
    changes: planned.plan.changes,
    written: applied?.written ?? 0,
    unreachable: unreadAccounts(planned) + (applied?.failed.length ?? 0),
  };
}
