import { AccountClients, accountsUnder, describeAwsError, requireTarget } from "@orgwarden/core";
import { collectReport, inShard, type Report, rootAccessReading } from "@orgwarden/report";
import type { RuleDefinition } from "@orgwarden/rules";
import {
  applyScpPlan,
  describeTarget,
  planDetachScp,
  recordAppliedScp,
  type ScpPlan,
  type ScpStep,
  scpJudge,
} from "@orgwarden/scp";
import type { RunConfig } from "../config/run-config.js";
import { ExitCode } from "../exit-codes.js";
import { reportWorkers } from "../session/report-workers.js";
import { describeStep } from "./describe-scp-step.js";
import type { JobDeps } from "./job-deps.js";
import type { JobPlan } from "./plan-job.js";
import { applyRootEntry } from "./root-entries.js";
import { deployRuleEntry } from "./rule-entries.js";
import { changesSinceLastRun, publishChanges, readPreviousReport, writeChanges } from "./run-changes.js";
import { writeRunReport } from "./run-report-files.js";
import { countWriteCalls, jobExitCode, type RunSummary } from "./run-summary.js";
import { importReportToSecurityHub } from "./security-hub-step.js";
import { timedStep } from "./timed-step.js";

/**
 * Runs a plan: SCP entries (enforce applies, detect reports drift), unused SCPs deleted, root
 * credentials, Config rules, then the report files, what changed since the last run, Security Hub.
 * Returns the summary with its exit code.
 */
export async function applyJob(plan: JobPlan, deps: JobDeps): Promise<RunSummary> {
  const { session } = deps;
  const hooks = deps.hooks ?? {};
  const started = Date.now();
  const log = session.logger;
  const { config, inventory } = plan;
  const step = timedStep(log);
  const summary: Omit<RunSummary, "exitCode" | "durationMs" | "writeCalls"> = {
    accounts: inventory.accounts.length,
    scp: [],
    root: [],
    rules: [],
    report: undefined,
  };
  // Every write made so far, in words: what the summary lists when a later step stops the run.
  const changed: string[] = [];
  const clients = new AccountClients(session.factory, await session.roleAssumer());
  try {
    await applyChanges(plan, deps, summary, changed, clients);
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

  if (plan.withReport) {
    const shard = plan.options.shard;
    const report = await step(
      "report",
      () => collectRunReport(plan, deps, clients),
      (r) => ({ rows: r.rows.length }),
    );
    const scpDrift = summary.scp
      .filter((s) => s.mode === "detect")
      .map((s) => ({ target: describeTarget(requireTarget(inventory, s.ou)), drift: s.drift }));
    // Kept in latest.json: the next run tells the drift that stands from the drift that is new.
    if (!shard) report.scpDrift = scpDrift.filter((d) => d.drift.length > 0);
    // The last run's latest.json, read before this run's replaces it.
    const changes = shard
      ? undefined
      : changesSinceLastRun(readPreviousReport(config.report.outputDir, log), report, scpDrift, log);
    const written = writeRunReport(config, report, shard, { scpDrift, ...(changes ? { changes } : {}) });
    summary.report = written;
    if (changes) {
      written.files.push(...writeChanges(config.report.outputDir, changes, config.notify?.reportUrl));
      summary.changes = {
        since: changes.previousGeneratedAt,
        becameNonCompliant: changes.becameNonCompliant.length,
        fixed: changes.fixed.length,
        accountsAdded: changes.accountsAdded.length,
        accountsRemoved: changes.accountsRemoved.length,
        worse: changes.worse,
      };
      if (config.notify && changes.worse) {
        const sent = await publishChanges(session, config.notify, changes, hooks.notice ?? (() => {}));
        summary.changes.published = sent ? "sent" : "failed";
      }
    }
    if (plan.hubRegion) {
      const region = plan.hubRegion;
      const imported = await step(
        "security-hub",
        () => importReportToSecurityHub(session, report, clients, region, hooks),
        (r) => ({ imported: r.imported, accounts: r.accounts, failed: r.failed.length }),
      );
      summary.securityHub = {
        region,
        imported: imported.imported,
        accounts: imported.accounts,
        failed: imported.failed.length,
      };
    }
  }
  const done: RunSummary = {
    ...summary,
    writeCalls: countWriteCalls(session.callCounter.byOperation()),
    exitCode: jobExitCode(summary, config.report.failOn),
    durationMs: Date.now() - started,
  };
  log.info({ summary: done }, "run finished");
  return done;
}

/**
 * The changes of a run, in the config's order: scp: entries (enforce applies, detect reports
 * drift), unused SCPs deleted, root: entries, rules: entries. Each write is added to `changed`.
 */
async function applyChanges(
  plan: JobPlan,
  deps: JobDeps,
  summary: Omit<RunSummary, "exitCode" | "durationMs" | "writeCalls">,
  changed: string[],
  clients: AccountClients,
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
        };
      },
      (r) => ({ ou: r.ou, mode: r.mode, changes: r.changes, applied: r.applied, drift: r.drift.length }),
    );
    summary.scp.push(s);
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

  for (let i = 0; i < config.rules.length; i++) {
    const entry = config.rules[i] as RunConfig["rules"][number];
    const rules = plan.ruleSets[i] as RuleDefinition[];
    const r = await step(
      "rules",
      () => deployRuleEntry(session, config, inventory, clients, entry, rules, plan.settings),
      (x) => x,
    );
    summary.rules.push(r);
    if (r.written > 0) changed.push(`rules ${r.ou} (${r.mode}): ${r.written} change(s)`);
  }
}

/** The report (all of it, or one shard's share as JSON for report merge). */
async function collectRunReport(plan: JobPlan, deps: JobDeps, clients: AccountClients): Promise<Report> {
  const { session } = deps;
  const { config, inventory } = plan;
  const shard = plan.options.shard;
  // report.ou may be a path (Root/Workloads): accountsUnder takes ids only.
  const inScope = config.report.ou
    ? accountsUnder(inventory, requireTarget(inventory, config.report.ou).id)
    : inventory.accounts;
  const accounts = shard ? inScope.filter((a) => inShard(a.id, shard)) : inScope;
  const report = await collectReport({
    inventory,
    accounts,
    sources: config.report.sources,
    clients,
    homeRegion: session.options.region,
    ...(config.connection.regions ? { regions: config.connection.regions } : {}),
    mfaPolicyName: plan.settings.mfaPolicyName,
    partition: inventory.partition,
    judgeScp: scpJudge({
      organizations: session.factory.organizations(session.operatorCredentials),
      library: plan.library,
      partition: inventory.partition,
    }),
    // A region that refuses orgwarden is explained only by an SCP on the account's path.
    organizations: session.factory.organizations(session.operatorCredentials),
    rootAccess: rootAccessReading({ ...plan.rootAccess, audit: config.report.rootAudit }),
    mfaExemptTagKey: config.mfaExemptTagKey,
    password: plan.settings.password,
    configServiceLinkedRoleCheck: config.report.includeConfigServiceLinkedRoleCheck,
    rules: [...plan.catalog.values()],
    aggregator: config.report.aggregator,
    concurrency: session.options.concurrency,
    workers: reportWorkers(session, clients.assumer),
    logger: session.logger,
  });
  if (shard)
    report.shard = {
      ...shard,
      scope: config.report.ou ?? "organization",
      scopeAccounts: inScope.length,
      accounts: accounts.map((a) => a.id).sort(),
    };
  return report;
}
