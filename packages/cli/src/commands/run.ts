import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  AccountClients,
  accountsUnder,
  type Inventory,
  OrgwardenError,
  requireTarget,
} from "@orgwarden/core";
import {
  collectReport,
  inShard,
  parseShard,
  type Report,
  type ReportPageExtras,
  rootAccessReading,
  type ShardSpec,
} from "@orgwarden/report";
import {
  applyRootCredentialRemoval,
  canManageRootCredentials,
  describeRootAccessFeatures,
  hasRootCredentials,
  planRootCredentialRemoval,
  type RootRemovalPlan,
  type RootSessions,
  remainsAfter,
} from "@orgwarden/root";
import {
  applyOrganizationRules,
  applyRuleDeployment,
  loadRuleCatalog,
  planOrganizationRules,
  planRuleDeployment,
  type RuleDefinition,
  selectRules,
} from "@orgwarden/rules";
import {
  applyScpPlan,
  describeTarget,
  loadPolicyLibrary,
  planApplyScp,
  planDetachScp,
  type RenderedPolicy,
  recordAppliedScp,
  renderLibraryPolicies,
  type ScpParameters,
  type ScpPlan,
  scpJudge,
} from "@orgwarden/scp";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import type { ActionFactory } from "../main.js";
import { describeStep } from "../output/render-scp-plan.js";
import { reportExtension, writeReportFile } from "../output/report-output.js";
import { securityHubRegion, sendToSecurityHub } from "../output/security-hub-output.js";
import { checkWritableDir } from "../output/writable-path.js";
import { reportWorkers } from "../report-workers.js";
import { rootAccessClients } from "../root-access.js";
import { changesSinceLastRun, publishChanges, readPreviousReport, writeChanges } from "../run-changes.js";
import type { RunConfig } from "../run-config.js";
import { scpPlanDependencies } from "../scp-plan-inputs.js";
import { scpSettings } from "../scp-settings.js";
import { organizationRulesInput, ruleSettings } from "./deploy-rules.js";

const WRITE_OPERATION =
  /\.(Create|Update|Put|Delete|Attach|Detach|Enable|Deactivate|Start|Stop|Tag|Untag|BatchImport|BatchUpdate)/;

export interface RunSummary {
  accounts: number;
  scp: Array<{ ou: string; mode: string; changes: number; applied: number; drift: string[] }>;
  /** Unused orgwarden SCPs deleted (deleteUnusedScps). */
  scpDeleted?: string[];
  /** Centralized root access per `root:` entry: accounts whose root user has credentials, what was removed. */
  root: Array<{
    ou: string;
    mode: string;
    withCredentials: number;
    /** Deletions and MFA deactivations made, and in how many accounts. */
    removed: number;
    changedAccounts: number;
    errors: number;
    /** Why a detect entry could not audit (centralized root access off). */
    note?: string;
  }>;
  rules: Array<{ ou: string; mode: string; changes: number; written: number; unreachable: number }>;
  report: { rows: number; byStatus: Record<string, number>; files: string[] } | undefined;
  /** What changed since the last run's latest.json (when there was one). */
  changes?: {
    since: string;
    becameNonCompliant: number;
    fixed: number;
    accountsAdded: number;
    accountsRemoved: number;
    worse: boolean;
    /** The summary to notify.snsTopicArn (only when something got worse). */
    published?: "sent" | "failed";
  };
  /** report.securityHub: findings imported, and the accounts whose findings did not get in. */
  securityHub?: { region: string; imported: number; accounts: number; failed: number };
  /** AWS calls that change something, counted by the SDK middleware. */
  writeCalls: number;
  exitCode: number;
  durationMs: number;
}

/**
 * `orgwarden run --config orgwarden.yaml`: the scheduled job. Inventory once → SCP enforce/detect →
 * rules → report files. Every input is validated and every SCP plan made (lockout guard included)
 * before the first write; an invalid config never reaches AWS.
 */
export interface RunFlags {
  /** false with --no-report. */
  report?: boolean;
  shard?: string;
}

export async function runScheduledJob(ctx: CommandContext, flags: RunFlags = {}): Promise<number> {
  if (!ctx.runConfig) {
    throw new OrgwardenError("INVALID_INPUT", "run needs a config file", {
      hint: "orgwarden run --config orgwarden.yaml (see orgwarden.example.yaml).",
    });
  }
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  const withReport = flags.report !== false;
  if (shard && !withReport)
    throw new OrgwardenError(
      "INVALID_INPUT",
      "--shard runs only the report: with --no-report there is nothing to do",
      {
        hint: "Run the changes once with --no-report, then the report in shards with --shard K/N.",
      },
    );
  // A shard makes no change: the changes are made once, by a run with --no-report.
  const config: RunConfig = shard
    ? { ...ctx.runConfig, scp: [], rules: [], root: [], deleteUnusedScps: false }
    : ctx.runConfig;
  const started = Date.now();
  // Checked before any AWS call: a report that cannot be written must not follow SCP changes.
  checkWritableDir(config.report.outputDir, "the reports (report.outputDir)");
  const log = ctx.logger;
  const out = ctx.io.stdout;
  // Everything that can be checked without AWS, first.
  const library = loadPolicyLibrary();
  const { configuredQuotas, principalTags } = scpSettings({}, ctx.options.roleName, config);
  // Each entry renders with its own parameters: OUs that differ get their own policy variants.
  const scpParams = config.scp.map((entry) => scpSettings({}, ctx.options.roleName, config, entry).params);
  const scpPolicies = config.scp.map((entry, i) =>
    renderLibraryPolicies(library, entry.policies, scpParams[i] as ScpParameters),
  );
  const hub = config.report.securityHub;
  const hubRegion = hub
    ? securityHubRegion(
        typeof hub === "object" ? hub.region : undefined,
        ctx.options.region,
        "report.securityHub.region",
      )
    : undefined;
  const catalog = loadRuleCatalog();
  const ruleSets = config.rules.map((entry) => selectRules(catalog, entry.rules));
  const settings = ruleSettings({}, config);

  const summary: RunSummary = {
    accounts: 0,
    scp: [],
    root: [],
    rules: [],
    report: undefined,
    writeCalls: 0,
    exitCode: ExitCode.ok,
    durationMs: 0,
  };
  const step = async <T>(name: string, fn: () => Promise<T>, counts: (t: T) => Record<string, unknown>) => {
    const t0 = Date.now();
    const result = await fn();
    log.info({ step: name, ...counts(result), durationMs: Date.now() - t0 }, `${name} done`);
    return result;
  };

  const inventory = await step(
    "inventory",
    () => ctx.inventory(),
    (inv) => ({
      accounts: inv.accounts.length,
      ous: inv.units.size - 1,
      scps: inv.scps.size,
    }),
  );
  summary.accounts = inventory.accounts.length;
  for (const e of [...config.scp, ...config.rules, ...config.root]) if (e.ou) requireTarget(inventory, e.ou);
  if (config.report.ou) requireTarget(inventory, config.report.ou);

  // SCPs: plan every entry (validation and lockout guard) before applying any.
  const organizations = ctx.factory.organizations(ctx.operatorCredentials);
  // Quotas, principal listings and validations are read on the first plan, once for every entry.
  let scpDependencies: ReturnType<typeof scpPlanDependencies> | undefined;
  const dependencies = () => {
    scpDependencies ??= scpPlanDependencies(ctx, configuredQuotas);
    return scpDependencies;
  };
  const planScp = async (i: number) =>
    planApplyScp({
      inventory,
      organizations,
      targetId: (config.scp[i] as RunConfig["scp"][number]).ou,
      policies: scpPolicies[i] as RenderedPolicy[],
      params: scpParams[i] as ScpParameters,
      regions: config.connection.regions ?? [ctx.options.region],
      principalTags,
      allowRoot: (config.scp[i] as RunConfig["scp"][number]).allowRoot,
      allowRootHint: "Attach to an OU instead, or set allowRoot: true in that scp: entry of the config file.",
      ...(await dependencies()),
    });
  const plans: ScpPlan[] = [];
  for (let i = 0; i < config.scp.length; i++) plans.push(await planScp(i));
  // Centralized root access: refused before any change when it is off; each entry audited now.
  // One view of centralized root access for the root: entries and the report (features read once).
  const rootAccess = rootAccessClients(ctx, inventory.managementAccountId);
  const rootPlans = await planRootEntries(ctx, config, inventory, rootAccess);
  let changedInventory = false;
  for (let i = 0; i < config.scp.length; i++) {
    const entry = config.scp[i] as RunConfig["scp"][number];
    await step(
      "scp",
      async () => {
        // An earlier entry may have created a shared policy: plan again against the updated inventory.
        const plan = changedInventory ? await planScp(i) : (plans[i] as ScpPlan);
        const drift = plan.steps.filter((s) => s.kind !== "nothing-to-do").map(describeStep);
        let applied = 0;
        if (entry.mode === "enforce" && plan.changes > 0) {
          const result = await applyScpPlan(plan, { organizations, logger: log });
          recordAppliedScp(inventory, plan, result);
          changedInventory = true;
          applied = result.written;
        }
        const s = {
          ou: entry.ou,
          mode: entry.mode,
          changes: plan.changes,
          applied,
          drift: entry.mode === "detect" ? drift : [],
        };
        summary.scp.push(s);
        return s;
      },
      (s) => ({ ou: s.ou, mode: s.mode, changes: s.changes, applied: s.applied, drift: s.drift.length }),
    );
  }

  // Deleting is a write: only when some entry enforces (a detect-only config changes nothing).
  if (config.deleteUnusedScps && config.scp.some((e) => e.mode === "enforce")) {
    await step(
      "scp-delete-unused",
      async () => {
        const plan = await planDetachScp({
          inventory,
          organizations,
          targetId: undefined,
          policyNames: [],
          deleteUnused: true,
          quotas: (await dependencies()).quotas,
        });
        if (plan.changes > 0) {
          const result = await applyScpPlan(plan, { organizations, logger: log });
          recordAppliedScp(inventory, plan, result);
        }
        const deleted = plan.steps.flatMap((st) => (st.kind === "delete-policy" ? [st.policyName] : []));
        summary.scpDeleted = deleted;
        return { deleted: deleted.length };
      },
      (r) => r,
    );
  }

  for (const [i, plan] of rootPlans.entries()) {
    const entry = config.root[i] as RunConfig["root"][number];
    await step(
      "root",
      () => rootEntry(ctx, rootAccess.sessions, entry, plan),
      (r) => r,
    ).then((r) => summary.root.push(r));
  }

  // Config rules.
  const clients = new AccountClients(ctx.factory, await ctx.roleAssumer());
  for (let i = 0; i < config.rules.length; i++) {
    const entry = config.rules[i] as RunConfig["rules"][number];
    const rules = ruleSets[i] as RuleDefinition[];
    await step(
      "rules",
      () => deployRuleEntry(ctx, config, inventory, clients, entry, rules, settings),
      (s) => s,
    ).then((s) => summary.rules.push(s));
  }

  // The report (all of it, or one shard's share as JSON for report merge).
  if (withReport) {
    const report = await step(
      "report",
      async () => {
        const inScope = config.report.ou ? accountsUnder(inventory, config.report.ou) : inventory.accounts;
        const accounts = shard ? inScope.filter((a) => inShard(a.id, shard)) : inScope;
        const r = await collectReport({
          inventory,
          accounts,
          sources: config.report.sources,
          clients,
          homeRegion: ctx.options.region,
          ...(config.connection.regions ? { regions: config.connection.regions } : {}),
          mfaPolicyName: config.mfaPolicyName,
          judgeScp: scpJudge({ organizations, library }),
          rootAccess: rootAccessReading({
            ...rootAccess,
            audit: config.report.rootAudit,
          }),
          mfaExemptTagKey: config.mfaExemptTagKey,
          password: config.passwordPolicy,
          rules: [...catalog.values()],
          aggregator: config.report.aggregator,
          concurrency: ctx.options.concurrency,
          workers: reportWorkers(ctx, clients.assumer),
          logger: log,
        });
        if (shard)
          r.shard = {
            ...shard,
            scope: config.report.ou ?? "organization",
            scopeAccounts: inScope.length,
            accounts: accounts.map((a) => a.id).sort(),
          };
        return r;
      },
      (r) => ({ rows: r.rows.length }),
    );
    const scpDrift = summary.scp
      .filter((s) => s.mode === "detect")
      .map((s) => ({ target: describeTarget(requireTarget(inventory, s.ou)), drift: s.drift }));
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
      if (config.notify && changes.worse)
        summary.changes.published = (await publishChanges(ctx, config.notify, changes)) ? "sent" : "failed";
    }
    if (hubRegion) {
      const imported = await step(
        "security-hub",
        () => sendToSecurityHub(ctx, report, clients, hubRegion),
        (r) => ({ imported: r.imported, accounts: r.accounts, failed: r.failed.length }),
      );
      summary.securityHub = {
        region: hubRegion,
        imported: imported.imported,
        accounts: imported.accounts,
        failed: imported.failed.length,
      };
    }
  }
  const byStatus = summary.report?.byStatus ?? {};

  const incomplete =
    (byStatus.ERROR ?? 0) > 0 ||
    summary.rules.some((r) => r.unreachable > 0) ||
    (summary.securityHub?.failed ?? 0) > 0 ||
    summary.changes?.published === "failed" ||
    summary.root.some((r) => r.errors > 0);
  const nonCompliant =
    (byStatus.NON_COMPLIANT ?? 0) > 0 ||
    summary.scp.some((s) => s.drift.length > 0) ||
    summary.root.some((r) => r.mode === "detect" && r.withCredentials > 0);
  summary.exitCode = incomplete
    ? ExitCode.incomplete
    : config.report.failOn === "non-compliant" && nonCompliant
      ? ExitCode.nonCompliant
      : ExitCode.ok;
  summary.writeCalls = Object.entries(ctx.callCounter.byOperation())
    .filter(([op]) => WRITE_OPERATION.test(op))
    .reduce((n, [, c]) => n + c, 0);
  summary.durationMs = Date.now() - started;
  log.info({ summary }, "run finished");
  out.write(renderSummary(summary));
  return summary.exitCode;
}

/**
 * The report files: every format of report.formats, stamped and as latest.<ext>; a shard writes only
 * shard-K-of-N.json, for orgwarden report merge.
 */
function writeRunReport(
  config: RunConfig,
  report: Report,
  shard: ShardSpec | undefined,
  extras: ReportPageExtras,
): NonNullable<RunSummary["report"]> {
  mkdirSync(config.report.outputDir, { recursive: true });
  const files: string[] = [];
  if (shard) {
    const file = join(config.report.outputDir, `shard-${shard.index}-of-${shard.count}.json`);
    writeReportFile(file, report, "json");
    files.push(file);
  } else {
    const stamp = report.generatedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    for (const format of config.report.formats) {
      const ext = reportExtension(format);
      const file = join(config.report.outputDir, `orgwarden-report-${stamp}.${ext}`);
      writeReportFile(file, report, format, extras);
      copyFileSync(file, join(config.report.outputDir, `latest.${ext}`));
      files.push(file);
    }
  }
  const byStatus: Record<string, number> = {};
  for (const r of report.rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return { rows: report.rows.length, byStatus, files };
}

/** Every `root:` entry planned (features checked, member root users audited) before the first write. */
async function planRootEntries(
  ctx: CommandContext,
  config: RunConfig,
  inventory: Inventory,
  access: ReturnType<typeof rootAccessClients>,
): Promise<Array<RootRemovalPlan | { notAudited: string }>> {
  const plans: Array<RootRemovalPlan | { notAudited: string }> = [];
  if (config.root.length === 0) return plans;
  const features = await access.readFeatures();
  for (const entry of config.root) {
    // A detect entry cannot audit without centralized root access, but the rest of the job can run;
    // an enforce entry is refused here, before any change.
    if (entry.mode === "detect" && !canManageRootCredentials(features)) {
      plans.push({
        notAudited: `not audited: centralized root access is off (${describeRootAccessFeatures(features)}); run orgwarden root enable`,
      });
      continue;
    }
    plans.push(
      await planRootCredentialRemoval({
        inventory,
        targetId: entry.ou,
        features,
        sessions: access.sessions,
        keepMfa: entry.keep.includes("mfa"),
        allowRoot: entry.allowRoot,
        allowRootHint: "Set allowRoot: true in that root: entry of the config file if that is what you mean.",
        concurrency: ctx.options.concurrency,
        logger: ctx.logger,
      }),
    );
  }
  return plans;
}

/** One `root:` entry: enforce removes what the audit found; detect only counts it. */
async function rootEntry(
  ctx: CommandContext,
  sessions: RootSessions,
  entry: RunConfig["root"][number],
  plan: RootRemovalPlan | { notAudited: string },
): Promise<RunSummary["root"][number]> {
  if ("notAudited" in plan) {
    ctx.logger.warn({ ou: entry.ou }, plan.notAudited);
    return {
      ou: entry.ou,
      mode: entry.mode,
      withCredentials: 0,
      removed: 0,
      changedAccounts: 0,
      errors: 0,
      note: plan.notAudited,
    };
  }
  // MFA alone is not a root credential: an MFA-only root user is compliant.
  const withCredentials = plan.accounts.filter(
    (a) => a.audit.credentials !== undefined && hasRootCredentials(a.audit.credentials),
  ).length;
  let errors = plan.accounts.filter((a) => a.audit.status === "ERROR").length;
  let removed = 0;
  let changedAccounts = 0;
  if (entry.mode === "enforce" && plan.changes > 0) {
    const results = await applyRootCredentialRemoval(plan, {
      sessions,
      concurrency: ctx.options.concurrency,
      logger: ctx.logger,
    });
    // An account that still has what should have gone (a failed step, a new credential) counts too.
    errors += results.filter((r) => !r.ok || remainsAfter(r.value, plan.keepMfa)).length;
    removed = results.reduce((n, r) => n + (r.ok ? r.value.done.length : 0), 0);
    changedAccounts = results.filter((r) => r.ok && r.value.done.length > 0).length;
  }
  return { ou: entry.ou, mode: entry.mode, withCredentials, removed, changedAccounts, errors };
}

async function deployRuleEntry(
  ctx: CommandContext,
  config: RunConfig,
  inventory: Inventory,
  clients: AccountClients,
  entry: RunConfig["rules"][number],
  rules: RuleDefinition[],
  settings: ReturnType<typeof ruleSettings>,
): Promise<RunSummary["rules"][number]> {
  const accounts = entry.ou ? accountsUnder(inventory, entry.ou) : inventory.accounts;
  const regions = entry.regions ?? config.connection.regions ?? [ctx.options.region];
  const ou = entry.ou ?? inventory.rootId;
  if (entry.mode === "organization") {
    const input = organizationRulesInput(ctx, inventory, accounts, { rules, settings, regions });
    const changes = await planOrganizationRules(input);
    const n = changes.filter((c) => ["create", "update", "delete"].includes(c.action)).length;
    const written = n > 0 ? await applyOrganizationRules(changes, input) : 0;
    return { ou, mode: entry.mode, changes: n, written, unreachable: 0 };
  }
  const plan = await planRuleDeployment({
    accounts,
    rules,
    settings,
    regions,
    homeRegion: ctx.options.region,
    clients,
    ensureIamPolicy: entry.ensureIamPolicy,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
  });
  const applied =
    plan.changes > 0
      ? await applyRuleDeployment(plan, {
          clients,
          settings,
          homeRegion: ctx.options.region,
          concurrency: ctx.options.concurrency,
          logger: ctx.logger,
        })
      : [];
  const unreachable = plan.accounts.filter((r) => !r.ok).length + applied.filter((r) => !r.ok).length;
  const written = applied.reduce((n, r) => n + (r.ok ? r.value.written : 0), 0);
  return { ou, mode: entry.mode, changes: plan.changes, written, unreachable };
}

function renderSummary(s: RunSummary): string {
  const lines = [`orgwarden run: ${s.accounts} accounts`];
  for (const e of s.scp) {
    lines.push(
      e.mode === "enforce"
        ? `  scp ${e.ou} (enforce): ${e.applied ? `${e.applied} change(s) applied` : "nothing to do"}`
        : `  scp ${e.ou} (detect): ${e.drift.length ? `DRIFT: ${e.drift.join("; ")}` : "no drift"}`,
    );
  }
  if (s.scpDeleted?.length) lines.push(`  scp: deleted unused ${s.scpDeleted.join(", ")}`);
  for (const r of s.root) {
    const errors = r.errors ? `, ${r.errors} account(s) could not be audited or cleaned` : "";
    if (r.note) {
      lines.push(`  root ${r.ou} (${r.mode}): ${r.note}`);
      continue;
    }
    lines.push(
      r.mode === "enforce"
        ? `  root ${r.ou} (enforce): ${r.removed ? `${r.removed} root credential(s) removed or MFA deactivated in ${r.changedAccounts} account(s)` : "nothing to do"}${errors}`
        : `  root ${r.ou} (detect): ${r.withCredentials ? `ROOT CREDENTIALS in ${r.withCredentials} account(s)` : "no root credentials"}${errors}`,
    );
  }
  for (const r of s.rules) {
    lines.push(
      `  rules ${r.ou} (${r.mode}): ${r.written ? `${r.written} change(s)` : "nothing to do"}${r.unreachable ? `, ${r.unreachable} account(s) unreachable` : ""}`,
    );
  }
  if (s.report) {
    lines.push(
      `  report: ${s.report.rows} rows (${Object.entries(s.report.byStatus)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")})`,
    );
    for (const f of s.report.files) lines.push(`    ${f}`);
  }
  if (s.changes)
    lines.push(
      `  since the last run (${s.changes.since}): ${s.changes.becameNonCompliant} row(s) became NON_COMPLIANT, ${s.changes.fixed} fixed, ${s.changes.accountsAdded} account(s) added, ${s.changes.accountsRemoved} removed${s.changes.published === "sent" ? "; published to SNS" : s.changes.published === "failed" ? "; SNS publish FAILED" : ""}`,
    );
  if (s.securityHub)
    lines.push(
      `  security hub (${s.securityHub.region}): ${s.securityHub.imported} findings imported into ${s.securityHub.accounts} account(s)${s.securityHub.failed ? `, ${s.securityHub.failed} account(s) FAILED` : ""}`,
    );
  lines.push(`  AWS write calls: ${s.writeCalls}; ${(s.durationMs / 1000).toFixed(1)} s; exit ${s.exitCode}`);
  return `${lines.join("\n")}\n`;
}

export function registerRun(program: Command, action: ActionFactory): void {
  program
    .command("run")
    .description(
      "the scheduled job: inventory → SCPs → root credentials → Config rules → reports (needs --config)",
    )
    .addHelpText(
      "after",
      "\nExample: orgwarden run --config orgwarden.yaml\n" +
        "Writes orgwarden-report-<UTC time>.<ext> and latest.<ext> into report.outputDir,\n" +
        "and, when the last run left a latest.json there, changes.json and changes.txt:\n" +
        "accounts added and removed, rows that became NON_COMPLIANT or were fixed, SCP\n" +
        "drift; notify.snsTopicArn gets that summary when something got worse.\n" +
        "Exit 2 (nothing changed) for an invalid config, a refused SCP plan, an\n" +
        "unwritable report.outputDir, or a root: enforce entry without centralized root\n" +
        "access. Exit 3 when an account could not be reached, audited or cleaned, or\n" +
        "its findings did not reach Security Hub (report.securityHub), or the notify:\n" +
        "topic could not be published to; 4 with\n" +
        "report.failOn: non-compliant and findings, SCP drift, or root credentials found\n" +
        "by a root: detect entry.\n" +
        "Thousands of accounts: run --no-report once (the changes), then --shard 1/N …\n" +
        "N/N side by side (each writes shard-K-of-N.json), then orgwarden report merge\n" +
        "on those files. deploy/orgwarden-scheduled.yaml does this with ReportShards.\n",
    )
    .option("--no-report", "make the changes only (scp:, root:, rules:), no report")
    .option(
      "--shard <K/N>",
      "the report only, for shard K of N, as report.outputDir/shard-K-of-N.json (merge with orgwarden report merge); no change is made",
    )
    .action(action(runScheduledJob));
}
