import { AccountClients, accountsUnder, requireTarget } from "@orgwarden/core";
import { collectReport, inShard, type Report, rootAccessReading } from "@orgwarden/report";
import type { RuleDefinition } from "@orgwarden/rules";
import {
  applyScpPlan,
  describeTarget,
  planDetachScp,
  recordAppliedScp,
  type ScpPlan,
  scpJudge,
} from "@orgwarden/scp";
import type { RunConfig } from "../config/run-config.js";
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
  const organizations = session.factory.organizations(session.operatorCredentials);

  let changedInventory = false;
  for (let i = 0; i < config.scp.length; i++) {
    const entry = config.scp[i] as RunConfig["scp"][number];
    const s = await step(
      "scp",
      async () => {
        // An earlier entry may have created a shared policy: plan again against the updated inventory.
        const p = changedInventory ? await plan.planScp(i) : (plan.scpPlans[i] as ScpPlan);
        let applied = 0;
        if (entry.mode === "enforce" && p.changes > 0) {
          const result = await applyScpPlan(p, { organizations, logger: log });
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
          recordAppliedScp(inventory, p, await applyScpPlan(p, { organizations, logger: log }));
        return p.steps.flatMap((st) => (st.kind === "delete-policy" ? [st.policyName] : []));
      },
      (d) => ({ deleted: d.length }),
    );
    summary.scpDeleted = deleted;
  }

  for (const [i, rootPlan] of plan.rootPlans.entries()) {
    const entry = config.root[i] as RunConfig["root"][number];
    summary.root.push(
      await step(
        "root",
        () => applyRootEntry(session, plan.rootAccess.sessions, entry, rootPlan),
        (r) => r,
      ),
    );
  }

  const clients = new AccountClients(session.factory, await session.roleAssumer());
  for (let i = 0; i < config.rules.length; i++) {
    const entry = config.rules[i] as RunConfig["rules"][number];
    const rules = plan.ruleSets[i] as RuleDefinition[];
    summary.rules.push(
      await step(
        "rules",
        () => deployRuleEntry(session, config, inventory, clients, entry, rules, plan.settings),
        (s) => s,
      ),
    );
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

/** The report (all of it, or one shard's share as JSON for report merge). */
async function collectRunReport(plan: JobPlan, deps: JobDeps, clients: AccountClients): Promise<Report> {
  const { session } = deps;
  const { config, inventory } = plan;
  const shard = plan.options.shard;
  const inScope = config.report.ou ? accountsUnder(inventory, config.report.ou) : inventory.accounts;
  const accounts = shard ? inScope.filter((a) => inShard(a.id, shard)) : inScope;
  const report = await collectReport({
    inventory,
    accounts,
    sources: config.report.sources,
    clients,
    homeRegion: session.options.region,
    ...(config.connection.regions ? { regions: config.connection.regions } : {}),
    mfaPolicyName: plan.settings.mfaPolicyName,
    judgeScp: scpJudge({
      organizations: session.factory.organizations(session.operatorCredentials),
      library: plan.library,
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
