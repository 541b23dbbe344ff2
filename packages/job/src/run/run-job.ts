import type { RunConfig } from "../config/run-config.js";
import type { JobDeps, JobOptions } from "../session/job-deps.js";
import { applyJob } from "./apply-job.js";
import { type JobPlan, planJob, prepareJob } from "./plan-job.js";
import { ruleEntrySummary } from "./rule-entries.js";
import type { RunSummary } from "./run-summary.js";
import { timedStep } from "./timed-step.js";

/**
 * The scheduled job from start to end: checks without AWS, the organization walked once, every
 * plan made, then the changes and the report. What `orgwarden run` and `orgwarden demo` call; a
 * Lambda handler or a test can call it with a session of its own.
 */
export async function runJob(
  config: RunConfig,
  deps: JobDeps,
  options: JobOptions = {},
): Promise<RunSummary> {
  const prepared = prepareJob(config, deps.session, options);
  const inventory = await timedStep(deps.session.logger)(
    "inventory",
    () => deps.session.inventory(),
    (inv) => ({ accounts: inv.accounts.length, ous: inv.units.size - 1, scps: inv.scps.size }),
  );
  const plan = await planJob(prepared, inventory, deps);
  return applyJob(plan, deps);
}

/** What `run --dry-run` shows: every plan of the job, with the rules: entries' changes counted as run counts them. */
export interface JobDryRun {
  plan: JobPlan;
  rules: RunSummary["rules"];
}

/**
 * The job's plans and nothing else: the same checks and plans as `runJob` before its first write (an
 * invalid config, a refused SCP plan, a conflict between entries or a rules: entry that can deploy
 * nothing fails here the same way). Writes nothing to AWS and no report file.
 */
export async function planRunJob(
  config: RunConfig,
  deps: JobDeps,
  options: JobOptions = {},
): Promise<JobDryRun> {
  const prepared = prepareJob(config, deps.session, { ...options, report: false });
  const inventory = await timedStep(deps.session.logger)(
    "inventory",
    () => deps.session.inventory(),
    (inv) => ({ accounts: inv.accounts.length, ous: inv.units.size - 1, scps: inv.scps.size }),
  );
  const plan = await planJob(prepared, inventory, deps);
  return { plan, rules: plan.rulePlans.map((p) => ruleEntrySummary(p)) };
}
