import { AccountClients } from "@orgwarden/core";
import type { RuleDefinition } from "@orgwarden/rules";
import type { RunConfig } from "../config/run-config.js";
import { applyJob } from "./apply-job.js";
import type { JobDeps, JobOptions } from "./job-deps.js";
import { type JobPlan, planJob, prepareJob } from "./plan-job.js";
import { deployRuleEntry } from "./rule-entries.js";
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

/** What `run --dry-run` shows: every plan of the job, with the rules: entries' changes counted. */
export interface JobDryRun {
  plan: JobPlan;
  rules: RunSummary["rules"];
}

/**
 * The job's plans and nothing else: the same checks as `runJob` before its first write (an invalid
 * config, a refused SCP plan or a conflict between entries fails here the same way), then each
 * `rules:` entry planned. Writes nothing to AWS and no report file.
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
  const clients = new AccountClients(deps.session.factory, await deps.session.roleAssumer());
  const c = plan.config;
  const rules: RunSummary["rules"] = [];
  for (let i = 0; i < c.rules.length; i++) {
    const entry = c.rules[i] as RunConfig["rules"][number];
    const set = plan.ruleSets[i] as RuleDefinition[];
    rules.push(await deployRuleEntry(deps.session, c, inventory, clients, entry, set, plan.settings, true));
  }
  return { plan, rules };
}
