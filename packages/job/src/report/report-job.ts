import {
  AccountClients,
  accountsUnder,
  type Inventory,
  type OrgAccount,
  readRcps,
  requireTarget,
  type ScpSummary,
} from "@orgwarden/core";
import { inShard, type Report, rootAccessReading, type ShardSpec, startReport } from "@orgwarden/report";
import { loadRuleCatalog, type RuleDefinition } from "@orgwarden/rules";
import {
  loadPolicyLibrary,
  type PolicyTemplate,
  parseManagedName,
  RCP_KIND,
  type ScpJudgement,
  scpJudge,
} from "@orgwarden/scp";
import { readPolicies } from "../policies/policies-job.js";
import { type JobHooks, NO_PROGRESS } from "../session/job-deps.js";
import { reportWorkers } from "../session/report-workers.js";
import { type RootAccessClients, rootAccessClients } from "../session/root-access.js";
import type { JobSession } from "../session/session.js";
import type { ReportSettings } from "../settings/report-settings.js";

export interface ReportJobInput {
  /** The report family's settings (reportSettings: report's flags over orgwarden.yaml over the defaults). */
  settings: Pick<
    ReportSettings,
    | "ou"
    | "sources"
    | "regions"
    | "rules"
    | "aggregator"
    | "mfaExemptTagKey"
    | "rootAudit"
    | "configServiceLinkedRoleCheck"
  >;
  /** Only this shard's accounts, stamped with the shard block that report merge checks. */
  shard?: ShardSpec | undefined;
  /** The rule catalogue's folder (report --rules-dir); default the shipped one. */
  rulesDir?: string | undefined;
}

/**
 * What `run` already holds when its report starts: the organization as its changes left it (the
 * SCPs it attached are in it), its member-account clients, root access and what it loaded. The
 * report command holds none of it: it walks the organization itself.
 */
export interface ReportJobHeld {
  inventory: Inventory;
  clients: AccountClients;
  rootAccess: RootAccessClients;
  library: Map<string, PolicyTemplate>;
  catalog: Map<string, RuleDefinition>;
}

/**
 * The report's evaluation, for `orgwarden report` and `orgwarden run` alike: one report for every
 * account in scope (report.ou, --ou), or one shard's share of them. Without an OU or a run's walk,
 * the checks of each account start as the walk finds it, so the walk overlaps the work. Returns the
 * report, the account clients (Security Hub imports reuse them) and the accounts evaluated. The
 * report's rows are on disk until the caller closes it (closeReport) once every file is written.
 */
export async function runReportJob(
  session: JobSession,
  input: ReportJobInput,
  hooks: JobHooks = {},
  held?: ReportJobHeld,
): Promise<{ report: Report; clients: AccountClients; accounts: OrgAccount[] }> {
  const { settings, shard } = input;
  const mine = (a: OrgAccount) => !shard || inShard(a.id, shard);
  const stream = !held && !settings.ou;
  const early: OrgAccount[] = [];
  let add: (a: OrgAccount) => void = (a) => early.push(a);
  if (stream) session.onAccount((a) => (mine(a) ? add(a) : undefined));
  // SCP coverage looks only at orgwarden's own policies: their targets are all the walk reads.
  const walked = held
    ? Promise.resolve(held.inventory)
    : session.inventory({ scpTargetsOf: (p) => parseManagedName(p.name) !== undefined });
  const assumer = held ? held.clients.assumer : await session.roleAssumer();
  const clients = held?.clients ?? new AccountClients(session.factory, assumer);
  // The organization's partition once it is known; before the walk, the one the role ARNs use.
  const partition = held?.inventory.partition ?? assumer.partition;
  const organizations = session.factory.organizations(session.operatorCredentials);
  const progress = hooks.progress?.("report") ?? NO_PROGRESS;
  const run = startReport({
    sources: settings.sources,
    clients,
    homeRegion: session.options.region,
    ...(settings.regions ? { regions: settings.regions } : {}),
    mfaPolicyName: settings.rules.mfaPolicyName,
    partition,
    judgeScp: scpJudge({ organizations, library: held?.library ?? loadPolicyLibrary(), partition }),
    judgeRcp: rcpJudge(walked, organizations, partition),
    // A region that refuses orgwarden is explained only by an SCP on the account's path.
    organizations,
    mfaExemptTagKey: settings.mfaExemptTagKey,
    password: settings.rules.password,
    configServiceLinkedRoleCheck: settings.configServiceLinkedRoleCheck,
    rules: [...(held?.catalog ?? loadRuleCatalog(input.rulesDir)).values()],
    aggregator: settings.aggregator,
    concurrency: session.options.concurrency,
    workers: reportWorkers(session, assumer),
    callCounter: session.callCounter,
    logger: session.logger,
    onProgress: progress.onProgress,
    rootAccess: rootAccessReading({
      ...(held?.rootAccess ?? rootAccessClients(session, assumer)),
      audit: settings.rootAudit,
    }),
    // The policies source (only when named): every policy type, read once the walk is complete.
    policies: (walkedInventory) =>
      readPolicies(session, walkedInventory, {
        ou: settings.ou ? requireTarget(walkedInventory, settings.ou).id : undefined,
      }),
  });
  if (stream) {
    for (const a of early) run.add(a);
    add = (a) => run.add(a);
  }
  let inventory: Inventory;
  let scope: string | undefined;
  try {
    inventory = await walked;
    // settings.ou may be a path (Root/Workloads): accountsUnder takes ids only.
    scope = settings.ou ? requireTarget(inventory, settings.ou).id : undefined;
    // RCP coverage joins the SCP rows, and credits the guardrails' rows, where the RCP type is enabled
    // (ListRoots said so during the walk): only then are RCPs read, and only orgwarden's targets.
    const rcps =
      settings.sources === undefined || settings.sources.some((s) => s === "scp" || s === "guardrails");
    if (rcps && inventory.rcpPolicyType === "ENABLED")
      await readRcps(inventory, organizations, (p) => parseManagedName(p.name) !== undefined);
  } catch (err) {
    run.close();
    throw err;
  }
  const inScope = scope ? accountsUnder(inventory, scope) : inventory.accounts;
  const accounts = inScope.filter(mine);
  const report = await run.finish(inventory, accounts);
  progress.end();
  // The scope by id, however --ou or report.ou named it: shards of one scope merge.
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
      // Retries, back-off, throttled-scope pauses and each account's span: where waiting went.
      waits: session.callCounter.waitSummary(),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      // The main thread's heap once every row is written to disk: what the report holds in memory
      // (worker threads have their own heaps).
      heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
      // Member accounts whose role credentials (or AssumeRole failure) this thread still holds. Alone,
      // every account it assumed into (the rows may act as them). With workers, those evaluated here
      // before the workers were decided, the management account (every account's Config aggregator
      // reads may go through it) and those the rows assumed into again (tag-exempt RCPs): any other
      // is forgotten once evaluated.
      credentialsHeld: assumer.held,
      cpuS: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1e5) / 10,
    },
    "report done",
  );
  return { report, clients, accounts };
}

/** Judges orgwarden's RCPs against the RCP library, for the organization the walk finds (each read once). */
function rcpJudge(
  walked: Promise<Inventory>,
  organizations: ReturnType<JobSession["factory"]["organizations"]>,
  partition: string,
): (policy: ScpSummary) => Promise<ScpJudgement> {
  let judge: ((policy: ScpSummary) => Promise<ScpJudgement>) | undefined;
  return async (policy) => {
    const inventory = await walked;
    judge ??= scpJudge({
      organizations,
      library: loadPolicyLibrary(undefined, RCP_KIND),
      partition: inventory.partition || partition,
      organizationId: inventory.organizationId,
      kind: RCP_KIND,
    });
    return judge(policy);
  };
}
