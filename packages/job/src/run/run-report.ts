import { requireTarget } from "@orgwarden/core";
import { closeReport } from "@orgwarden/report";
import { describeTarget } from "@orgwarden/scp";
import { runReportJob } from "../report/report-job.js";
import type { JobDeps } from "../session/job-deps.js";
import type { JobPlan } from "./plan-job.js";
import { changesSinceLastRun, publishChanges, readPreviousReport, writeChanges } from "./run-changes.js";
import { writeRunReport } from "./run-report-files.js";
import type { RunSummary } from "./run-summary.js";
import { importReportToSecurityHub } from "./security-hub-step.js";
import { timedStep } from "./timed-step.js";

/** The summary as the changes left it, before the report adds to it. */
export type SummarySoFar = Omit<RunSummary, "exitCode" | "durationMs" | "writeCalls">;

/**
 * The run's report, after its changes: the report's evaluation as `orgwarden report` makes it (on
 * the organization as the changes left it), the files of report.formats (or the shard's), what
 * changed since the last run and its notification, then Security Hub. Fills in `summary`.
 */
export async function reportRun(plan: JobPlan, deps: JobDeps, summary: SummarySoFar): Promise<void> {
  const { session } = deps;
  const hooks = deps.hooks ?? {};
  const log = session.logger;
  const { config, inventory } = plan;
  const step = timedStep(log);
  const shard = plan.options.shard;
  const { report } = await step(
    "report",
    () =>
      runReportJob(session, { settings: plan.reportSettings, shard }, hooks, {
        inventory,
        clients: plan.clients,
        rootAccess: plan.rootAccess,
        library: plan.library,
        catalog: plan.catalog,
      }),
    (r) => ({ rows: r.report.rows.length }),
  );
  // The rows wait on disk until every file, the changes and Security Hub have had them.
  try {
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
    const region = plan.reportSettings.securityHubRegion;
    if (region) {
      const imported = await step(
        "security-hub",
        () => importReportToSecurityHub(session, report, plan.clients, region, hooks),
        (r) => ({ imported: r.imported, accounts: r.accounts, failed: r.failed.length }),
      );
      summary.securityHub = {
        region,
        imported: imported.imported,
        accounts: imported.accounts,
        failed: imported.failed.length,
      };
    }
  } finally {
    closeReport(report);
  }
}
