import { describeAwsError } from "@orgwarden/core";
import {
  applyScpPlan,
  awsCheckHeadline,
  planDetachScp,
  recordAppliedScp,
  type ScpPlan,
  type ScpStep,
} from "@orgwarden/scp";
import type { RunConfig } from "../config/run-config.js";
import { ExitCode } from "../exit-codes.js";
import { runConfiguredRollout } from "../rollout/configured-rollout.js";
import { applyRules } from "../rules/plan-rules.js";
import type { JobDeps } from "../session/job-deps.js";
import { describeStep } from "./describe-scp-step.js";
import type { JobPlan } from "./plan-job.js";
import { applyRootEntry } from "./root-entries.js";
import { ruleEntrySummary } from "./rule-entries.js";
import { reportRun, type SummarySoFar } from "./run-report.js";
import { countWriteCalls, jobExitCode, type RunSummary } from "./run-summary.js";
import { timedStep } from "./timed-step.js";

/**
 * Runs a plan: SCP entries (enforce applies, detect reports drift), unused SCPs deleted, root
 * credentials, Config rules, then the report files, what changed since the last run, Security Hub.
 * Returns the summary with its exit code.
 */
export async function applyJob(plan: JobPlan, deps: JobDeps): Promise<RunSummary> {
  const { session } = deps;
  const started = Date.now();
  const log = session.logger;
  const { inventory } = plan;
  const summary: SummarySoFar = {
    accounts: inventory.accounts.length,
    scp: [],
    root: [],
    rules: [],
    report: undefined,
  };
  // Every write made so far, in words: what the summary lists when a later step stops the run.
  const changed: string[] = [];
  try {
    await applyChanges(plan, deps, summary, changed);
  } catch (err) {
    // Before the first write the error stands as it is (exit 2 for a refusal: nothing changed).
    if (changed.length === 0) throw err;
    const e = describeAwsError(err);
    log.error({ err: e.message, changed: changed.length }, "run stopped after changes");
    // A refusal's own words say nothing was changed; this run did change something.
    const unsaid = (text: string) => text.replace(/[.:;]?\s*nothing was changed\.?/gi, "").trim();
    const hint = e.hint ? unsaid(e.hint) : "";
    const done: RunSummary = {
      ...summary,
      stopped: { code: e.code, message: unsaid(e.message), ...(hint ? { hint } : {}), changed },
      writeCalls: countWriteCalls(session.callCounter.byOperation()),
      exitCode: ExitCode.failure,
      durationMs: Date.now() - started,
    };
    log.info({ summary: done }, "run finished");
    return done;
  }

  if (plan.withReport) await reportRun(plan, deps, summary);
  const done: RunSummary = {
    ...summary,
    writeCalls: countWriteCalls(session.callCounter.byOperation()),
    exitCode: jobExitCode(summary, plan.reportSettings.failOn),
    durationMs: Date.now() - started,
  };
  log.info({ summary: done }, "run finished");
  return done;
}

/**
 * The changes of a run, in the config's order: scp: entries, then rcp: entries (enforce applies,
 * detect reports drift), unused SCPs deleted, root: entries, rules: entries. Each write is added to
 * `changed`.
 */
async function applyChanges(
  plan: JobPlan,
  deps: JobDeps,
  summary: SummarySoFar,
  changed: string[],
): Promise<void> {
  const { session } = deps;
  const log = session.logger;
  const { config, inventory } = plan;
  const step = timedStep(log);
  const organizations = session.factory.organizations(session.operatorCredentials);
  const wrote = (p: ScpPlan) => (st: ScpStep) => changed.push(`scp ${p.target.path}: ${describeStep(st)}`);

  let changedInventory = false;
  for (let i = 0; i < config.scp.length; i++) {
    const entry = config.scp[i] as RunConfig["scp"][number];
    const s = await step(
      "scp",
      async () => {
        // An earlier entry wrote: plan again against the organization as it now is (the plan made
        // before any write saw the same thing through the projection).
        const p = changedInventory ? await plan.planScp(i) : (plan.scpPlans[i] as ScpPlan);
        let applied = 0;
        if (entry.mode === "enforce" && p.changes > 0) {
          const result = await applyScpPlan(p, { organizations, logger: log, onStep: wrote(p) });
          recordAppliedScp(inventory, p, result);
          changedInventory = true;
          applied = result.written;
        }
        const drift = p.steps.filter((st) => st.kind !== "nothing-to-do").map(describeStep);
        return {
          ou: entry.ou,
          mode: entry.mode,
          changes: p.changes,
          applied,
          drift: entry.mode === "detect" ? drift : [],
          ...(p.awsCheck ? { guard: awsCheckHeadline(p.awsCheck) } : {}),
        };
      },
      (r) => ({ ou: r.ou, mode: r.mode, changes: r.changes, applied: r.applied, drift: r.drift.length }),
    );
    summary.scp.push(s);
  }

  // rcp: entries as the scp: entries: enforce applies, detect reports drift.
  let changedRcps = false;
  const rcpEntries: NonNullable<SummarySoFar["rcp"]> = [];
  if (config.rcp.length > 0) summary.rcp = rcpEntries;
  for (let i = 0; i < config.rcp.length; i++) {
    const entry = config.rcp[i] as RunConfig["rcp"][number];
    const s = await step(
      "rcp",
      async () => {
        const p = changedRcps ? await plan.planRcp(i) : (plan.rcpPlans[i] as ScpPlan);
        let applied = 0;
        if (entry.mode === "enforce" && p.changes > 0) {
          const wroteRcp = (st: ScpStep) => changed.push(`rcp ${p.target.path}: ${describeStep(st)}`);
          const result = await applyScpPlan(p, { organizations, logger: log, onStep: wroteRcp });
          recordAppliedScp(inventory, p, result);
          changedRcps = true;
          applied = result.written;
        }
        const drift = p.steps.filter((st) => st.kind !== "nothing-to-do").map(describeStep);
        return {
          ou: entry.ou,
          mode: entry.mode,
          changes: p.changes,
          applied,
          drift: entry.mode === "detect" ? drift : [],
        };
      },
      (r) => ({ ou: r.ou, mode: r.mode, changes: r.changes, applied: r.applied, drift: r.drift.length }),
    );
    rcpEntries.push(s);
  }

  const { rollout } = plan;
  if (rollout) {
    // Never waits: a soaking stage is judged again on the next run.
    summary.rollout = await step(
      "rollout",
      () => runConfiguredRollout(session, rollout),
      (r) => r,
    );
    if (summary.rollout.writes > 0)
      changed.push(`rollout ${summary.rollout.state}: ${summary.rollout.summary}`);
  }

  // Deleting is a write: only when some entry enforces (a detect-only config changes nothing).
  if (config.deleteUnusedScps && config.scp.some((e) => e.mode === "enforce")) {
    const deleted = await step(
      "scp-delete-unused",
      async () => {
        const p = await planDetachScp({
          inventory,
          organizations,
          targetId: undefined,
          policyNames: [],
          deleteUnused: true,
          quotas: (await plan.scpDependencies()).quotas,
        });
        if (p.changes > 0)
          recordAppliedScp(
            inventory,
            p,
            await applyScpPlan(p, { organizations, logger: log, onStep: wrote(p) }),
          );
        return p.steps.flatMap((st) => (st.kind === "delete-policy" ? [st.policyName] : []));
      },
      (d) => ({ deleted: d.length }),
    );
    summary.scpDeleted = deleted;
  }

  for (const [i, rootPlan] of plan.rootPlans.entries()) {
    const entry = config.root[i] as RunConfig["root"][number];
    const r = await step(
      "root",
      () => applyRootEntry(session, plan.rootAccess.sessions, entry, rootPlan),
      (x) => x,
    );
    summary.root.push(r);
    if (r.removed > 0)
      changed.push(
        `root ${entry.ou}: ${r.removed} root credential(s) removed or MFA deactivated in ${r.changedAccounts} account(s)`,
      );
  }

  for (const planned of plan.rulePlans) {
    const r = await step(
      "rules",
      async () => ruleEntrySummary(planned, await applyRules(session, planned, deps.hooks)),
      (x) => x,
    );
    summary.rules.push(r);
    if (r.written > 0) changed.push(`rules ${r.ou} (${r.mode}): ${r.written} change(s)`);
  }
}
