import { AccountClients, accountsUnder, type OrgAccount, requireTarget } from "@orgwarden/core";
import {
  inShard,
  type Report,
  type ReportSource,
  rootAccessReading,
  type ShardSpec,
  startReport,
} from "@orgwarden/report";
import { loadRuleCatalog, type RuleSettings } from "@orgwarden/rules";
import { loadPolicyLibrary, parseManagedName, scpJudge } from "@orgwarden/scp";
import { type JobHooks, NO_PROGRESS } from "../run/job-deps.js";
import { reportWorkers } from "../session/report-workers.js";
import { rootAccessClients } from "../session/root-access.js";
import type { JobSession } from "../session/session.js";

export interface ReportJobInput {
  /** Only the accounts under this OU, root or account (id or path). */
  ou?: string | undefined;
  sources?: ReportSource[] | undefined;
  shard?: ShardSpec | undefined;
  /** Regional controls here; undefined: every region each account has enabled. */
  regions?: string[] | undefined;
  settings: RuleSettings;
  rulesDir?: string | undefined;
  aggregator?: string | undefined;
  mfaExemptTagKey?: string | undefined;
  /** AssumeRoot sessions audit member root users (when centralized root access is on). */
  rootAudit: boolean;
  /** config-recorder's includeConfigServiceLinkedRoleCheck (Security Hub Config.1); default true. */
  configServiceLinkedRoleCheck?: boolean | undefined;
}

/**
 * `orgwarden report`'s evaluation: one report for every account in scope. Without an OU the checks
 * of each account start as the walk finds it, so the walk overlaps the work. Returns the report and
 * the account clients (Security Hub imports reuse them).
 */
export async function runReportJob(
  session: JobSession,
  input: ReportJobInput,
  hooks: JobHooks = {},
): Promise<{ report: Report; clients: AccountClients; accounts: OrgAccount[] }> {
  const { shard } = input;
  const stream = !input.ou;
  const early: OrgAccount[] = [];
  let add: (a: OrgAccount) => void = (a) => early.push(a);
  const mine = (a: OrgAccount) => !shard || inShard(a.id, shard);
  if (stream) session.onAccount((a) => (mine(a) ? add(a) : undefined));
  // SCP coverage looks only at orgwarden's own policies: their targets are all the walk reads.
  const inventoryDone = session.inventory({ scpTargetsOf: (p) => parseManagedName(p.name) !== undefined });
  const assumer = await session.roleAssumer();
  const clients = new AccountClients(session.factory, assumer);
  const progress = hooks.progress?.("report") ?? NO_PROGRESS;
  const run = startReport({
    sources: input.sources,
    clients,
    homeRegion: session.options.region,
    ...(input.regions ? { regions: input.regions } : {}),
    mfaPolicyName: input.settings.mfaPolicyName,
    partition: assumer.partition,
    judgeScp: scpJudge({
      organizations: session.factory.organizations(session.operatorCredentials),
      library: loadPolicyLibrary(),
      partition: assumer.partition,
    }),
    // A region that refuses orgwarden is explained only by an SCP on the account's path.
    organizations: session.factory.organizations(session.operatorCredentials),
    mfaExemptTagKey: input.mfaExemptTagKey,
    password: input.settings.password,
    configServiceLinkedRoleCheck: input.configServiceLinkedRoleCheck,
    rules: [...loadRuleCatalog(input.rulesDir).values()],
    aggregator: input.aggregator,
    concurrency: session.options.concurrency,
    workers: reportWorkers(session, assumer),
    logger: session.logger,
    onProgress: progress.onProgress,
    rootAccess: rootAccessReading({
      ...rootAccessClients(session, assumer),
      audit: input.rootAudit,
    }),
  });
  if (stream) {
    for (const a of early) run.add(a);
    add = (a) => run.add(a);
  }
  const inventory = await inventoryDone;
  const scope = input.ou ? requireTarget(inventory, input.ou).id : undefined;
  const inScope = scope ? accountsUnder(inventory, scope) : inventory.accounts;
  const accounts = inScope.filter(mine);
  const report = await run.finish(inventory, accounts);
  progress.end();
  if (shard)
    report.shard = {
      ...shard,
      scope: scope ?? "organization",
      scopeAccounts: inScope.length,
      accounts: accounts.map((a) => a.id).sort(),
    };
  session.logger.info(
    {
      rows: report.rows.length,
      accounts: accounts.length,
      calls: session.callCounter.byService(),
      operations: session.callCounter.byOperation(),
      attempts: session.callCounter.totalAttempts(),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      // The main thread's heap (the rows live here; worker threads have their own).
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      cpuS: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e5) / 10,
    },
    "report done",
  );
  return { report, clients, accounts };
}
