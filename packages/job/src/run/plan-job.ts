import { AccountClients, type Inventory, OrgwardenError, readRcps, requireTarget } from "@orgwarden/core";
import { loadRuleCatalog, type RuleDefinition } from "@orgwarden/rules";
import {
  loadPolicyLibrary,
  type PolicyTemplate,
  RCP_KIND,
  type ScpPlan,
  type ScpQuotas,
} from "@orgwarden/scp";
import type { RunConfig } from "../config/run-config.js";
import { checkWritableDir } from "../files/writable-path.js";
import { draftRcp, planRcpDraft, type RcpDraft, rcpPlanDependencies } from "../rcp/plan-rcp.js";
import { type RolloutStart, rolloutSettingsFromConfig } from "../rollout/rollout-settings.js";
import { planRules, type RuleDeploymentPlan, refuseEmptyDeployment } from "../rules/plan-rules.js";
import { draftScp, planScpDraft, type ScpDraft } from "../scp/plan-scp.js";
import type { JobDeps, JobOptions } from "../session/job-deps.js";
import { type RootAccessClients, rootAccessClients } from "../session/root-access.js";
import { scpPlanDependencies } from "../session/scp-plan-inputs.js";
import type { JobSession } from "../session/session.js";
import { rcpSettings } from "../settings/rcp-settings.js";
import { type ReportSettings, reportSettings } from "../settings/report-settings.js";
import { type RuleDeployment, ruleDeployment } from "../settings/rule-settings.js";
import { type AwsCheckSettings, scpSettings } from "../settings/scp-settings.js";
import { ProjectedOrganization } from "./projected-organization.js";
import { planRootEntries, type RootEntryPlan } from "./root-entries.js";

/** What the job checked without AWS: the config as this run uses it, the rendered policies, the rules. */
export interface PreparedJob {
  config: RunConfig;
  options: JobOptions;
  withReport: boolean;
  library: Map<string, PolicyTemplate>;
  configuredQuotas: Partial<ScpQuotas>;
  /** verifyWithAws and verifyRate: AWS's policy simulator on the lockout guard of every entry. */
  awsCheck: AwsCheckSettings;
  /** Per scp: entry: its settings and its policies rendered with them (OUs that differ get variants). */
  scpDrafts: ScpDraft[];
  /** Per rcp: entry, likewise (for a stand-in organization until the plan reads the real one). */
  rcpDrafts: RcpDraft[];
  /** What rcpQuotas: sets; the rest comes from Service Quotas or the defaults. */
  rcpConfiguredQuotas: Partial<ScpQuotas>;
  catalog: Map<string, RuleDefinition>;
  /** Per rules: entry: where its rules go and how, the rules looked up in the catalogue. */
  ruleDeployments: RuleDeployment[];
  /** The report family's settings, from the config file (as `report` reads them without flags). */
  reportSettings: ReportSettings;
  /** The `rollout:` section, resumed after the scp: entries (its policies rendered when it starts). */
  rollout: RolloutStart | undefined;
}

/** Every SCP and root plan made (lockout guard included) before the first write. */
export interface JobPlan extends PreparedJob {
  inventory: Inventory;
  /**
   * One plan per scp: entry, each made against the organization as the enforce entries before it
   * leave it (their placeholder ids for policies not created yet are never applied: an entry after
   * one that wrote is planned again against the real organization).
   */
  scpPlans: ScpPlan[];
  /** Plans an scp: entry again (an earlier entry changed the organization). */
  planScp: (i: number) => Promise<ScpPlan>;
  /** One plan per rcp: entry, each against the organization the enforce rcp: entries before it leave. */
  rcpPlans: ScpPlan[];
  /** Plans an rcp: entry again (an earlier entry changed the organization). */
  planRcp: (i: number) => Promise<ScpPlan>;
  scpDependencies: () => ReturnType<typeof scpPlanDependencies>;
  rootAccess: RootAccessClients;
  rootPlans: RootEntryPlan[];
  /** Member-account clients, one AssumeRole per account for the rules, the report and Security Hub. */
  clients: AccountClients;
  /** One plan per rules: entry; an entry that could deploy nothing has already been refused. */
  rulePlans: RuleDeploymentPlan[];
}

/**
 * Everything that can be checked without AWS, first: the options, a writable report folder (a
 * report that cannot be written must not follow SCP changes), the policy library and every policy
 * rendered, the rule catalogue, the Security Hub region. An invalid config never reaches AWS.
 */
export function prepareJob(
  config: RunConfig,
  session: Pick<JobSession, "options">,
  options: JobOptions = {},
): PreparedJob {
  const withReport = options.report !== false;
  if (options.shard && !withReport)
    throw new OrgwardenError(
      "INVALID_INPUT",
      "--shard runs only the report: with --no-report there is nothing to do",
      {
        hint: "Run the changes once with --no-report, then the report in shards with --shard K/N.",
      },
    );
  // A shard makes no change: the changes are made once, by a run with --no-report.
  const used: RunConfig = options.shard
    ? { ...config, scp: [], rcp: [], rules: [], root: [], rollout: undefined, deleteUnusedScps: false }
    : config;
  if (withReport) checkWritableDir(used.report.outputDir, "the reports (report.outputDir)");
  const library = loadPolicyLibrary();
  const rcpLibrary = loadPolicyLibrary(undefined, RCP_KIND);
  const { configuredQuotas, awsCheck } = scpSettings({}, session.options, used);
  const home = session.options.region;
  const catalog = loadRuleCatalog();
  const rollout = used.rollout
    ? rolloutSettingsFromConfig(used.rollout, session.options, used, new Date())
    : undefined;
  // The rollout's policies rendered now too: bad input stops before any AWS call.
  if (rollout) draftScp(library, rollout.scp);
  return {
    config: used,
    options,
    withReport,
    library,
    configuredQuotas,
    awsCheck,
    scpDrafts: used.scp.map((entry) => draftScp(library, scpSettings({}, session.options, used, entry))),
    rcpDrafts: used.rcp.map((entry) => draftRcp(rcpLibrary, rcpSettings({}, session.options, used, entry))),
    rcpConfiguredQuotas: rcpSettings({}, session.options, used).configuredQuotas,
    catalog,
    ruleDeployments: used.rules.map((entry) => ruleDeployment({}, used, home, catalog, entry)),
    reportSettings: reportSettings({}, used, home),
    rollout,
  };
}

/**
 * The job's plan against the organization: every target exists, every `scp:` entry planned (AWS's
 * validation, quotas, the lockout guard), every `root:` entry audited, every `rules:` entry planned
 * (one that can deploy nothing is refused, as deploy-rules refuses it), all before the first write.
 */
export async function planJob(
  config: RunConfig | PreparedJob,
  inventory: Inventory,
  deps: JobDeps,
  options: JobOptions = {},
): Promise<JobPlan> {
  const { session } = deps;
  const prepared = "library" in config ? config : prepareJob(config, session, options);
  const c = prepared.config;
  for (const e of [...c.scp, ...c.rcp, ...c.rules, ...c.root]) if (e.ou) requireTarget(inventory, e.ou);
  if (c.report.ou) requireTarget(inventory, c.report.ou);
  const organizations = session.factory.organizations(session.operatorCredentials);
  // Quotas, principal listings and validations are read on the first plan, once for every entry.
  let dependencies: ReturnType<typeof scpPlanDependencies> | undefined;
  const scpDependencies = () => {
    dependencies ??= scpPlanDependencies(session, prepared);
    return dependencies;
  };
  const planScpOn = async (i: number, on: Pick<ProjectedOrganization, "inventory" | "organizations">) =>
    planScpDraft(
      prepared.scpDrafts[i] as ScpDraft,
      on,
      (c.scp[i] as RunConfig["scp"][number]).ou,
      await scpDependencies(),
      "Attach to an OU instead, or set allowRoot: true in that scp: entry of the config file.",
    );
  const planScp = (i: number) => planScpOn(i, { inventory, organizations });
  // Each entry against the organization as the enforce entries before it will leave it, so a
  // conflict between entries (a quota reached by both, a variant one detaches and another attaches,
  // a guard verdict that depends on both) is refused here, before any write.
  const projected = new ProjectedOrganization(inventory, organizations);
  const scpPlans: ScpPlan[] = [];
  for (let i = 0; i < c.scp.length; i++) {
    const p = await planScpOn(i, projected);
    projected.checkConflicts(i + 1, p);
    if (c.scp[i]?.mode === "enforce")
      projected.record(
        i + 1,
        p,
        (prepared.scpDrafts[i]?.policies ?? []).map((r) => r.managedName),
      );
    scpPlans.push(p);
  }
  const { rcpPlans, planRcp } = await planRcpEntries(prepared, inventory, deps);
  // One view of centralized root access for the root: entries and the report (features read once).
  const rootAccess = rootAccessClients(session, inventory);
  const rootPlans = await planRootEntries(session, c, inventory, rootAccess);
  const clients = new AccountClients(session.factory, await session.roleAssumer());
  const rulePlans: RuleDeploymentPlan[] = [];
  for (const deployment of prepared.ruleDeployments) {
    const planned = await planRules(session, inventory, deployment, { clients, hooks: deps.hooks ?? {} });
    refuseEmptyDeployment(planned);
    rulePlans.push(planned);
  }
  return {
    ...prepared,
    inventory,
    scpPlans,
    planScp,
    rcpPlans,
    planRcp,
    scpDependencies,
    rootAccess,
    rootPlans,
    clients,
    rulePlans,
  };
}

/**
 * The rcp: entries, planned as the scp: entries are: each against the organization the enforce
 * entries before it leave. The RCPs are read only when the config has an rcp: entry.
 */
async function planRcpEntries(
  prepared: PreparedJob,
  inventory: Inventory,
  deps: JobDeps,
): Promise<Pick<JobPlan, "rcpPlans" | "planRcp">> {
  const c = prepared.config;
  const { session } = deps;
  if (c.rcp.length === 0) {
    return { rcpPlans: [], planRcp: () => Promise.reject(new Error("no rcp: entry")) };
  }
  const organizations = session.factory.organizations(session.operatorCredentials);
  await readRcps(inventory, organizations);
  const dependencies = await rcpPlanDependencies(session, prepared.rcpConfiguredQuotas, inventory);
  const planOn = (i: number, on: Pick<ProjectedOrganization, "inventory" | "organizations">) =>
    planRcpDraft(
      prepared.rcpDrafts[i] as RcpDraft,
      on,
      (c.rcp[i] as RunConfig["rcp"][number]).ou,
      dependencies,
      "Attach to an OU instead, or set allowRoot: true in that rcp: entry of the config file.",
    );
  const projected = new ProjectedOrganization(inventory, organizations);
  const rcpPlans: ScpPlan[] = [];
  for (let i = 0; i < c.rcp.length; i++) {
    const p = await planOn(i, projected);
    projected.checkConflicts(i + 1, p);
    if (c.rcp[i]?.mode === "enforce")
      projected.record(
        i + 1,
        p,
        (prepared.rcpDrafts[i]?.policies ?? []).map((r) => r.managedName),
      );
    rcpPlans.push(p);
  }
  return { rcpPlans, planRcp: (i) => planOn(i, { inventory, organizations }) };
}
