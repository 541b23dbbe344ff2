import type { RunConfig } from "../config/run-config.js";
import { applyJob } from "./apply-job.js";
import type { JobDeps, JobOptions } from "./job-deps.js";
import { planJob, prepareJob } from "./plan-job.js";
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
