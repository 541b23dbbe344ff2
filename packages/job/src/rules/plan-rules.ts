import {
  AccountClients,
  type AccountResult,
  accountsUnder,
  type Inventory,
  type OrgAccount,
  requireTarget,
  type Target,
} from "@orgwarden/core";
import {
  type AppliedRules,
  applyOrganizationRules,
  applyRuleDeployment,
  type OrganizationRulesInput,
  type OrganizationRulesPlan,
  planOrganizationRules,
  planRuleDeployment,
  type RuleDefinition,
  type RuleSettings,
  type RulesPlan,
  refuseUndeployable,
  withGuardDutyAdmins,
} from "@orgwarden/rules";
import { type JobHooks, NO_PROGRESS } from "../session/job-deps.js";
import { organizationRulesInput } from "../session/organization-rules-input.js";
import type { JobSession } from "../session/session.js";
import type { RuleDeployment } from "../settings/rule-settings.js";

/** A rule deployment planned: its scope, and the plan of its mode with what applying it needs. */
export type RuleDeploymentPlan = {
  /** The OU as given, else the organization root's id: what the run's summary names. */
  ou: string;
  target: Target | undefined;
  /** "OU Root/Workloads (ou-…)", "account Root/Workloads/payments (1234…)", "the whole organization". */
  where: string;
  accounts: readonly OrgAccount[];
  rules: readonly RuleDefinition[];
  remove: boolean;
} & (
  | { mode: "accounts"; plan: RulesPlan; clients: AccountClients; settings: RuleSettings }
  | { mode: "organization"; plan: OrganizationRulesPlan; input: OrganizationRulesInput }
);

/** What applying wrote, and the accounts that failed (accounts mode). */
export interface AppliedRuleDeployment {
  written: number;
  failed: Array<Extract<AccountResult<OrgAccount, AppliedRules>, { ok: false }>>;
}

/**
 * Plans a rule deployment (deploy-rules, or a `rules:` entry of run): per account and region in
 * accounts mode (through orgwarden's role; `clients` are shared with the caller's other steps), per
 * region in organization mode (from the management account, every account outside the scope
 * excluded). guardduty-enabled-centralized's central account is read first: each region's GuardDuty
 * delegated administrator, unless the settings name it (a removal needs none). Writes nothing.
 */
export async function planRules(
  session: JobSession,
  inventory: Inventory,
  deployment: RuleDeployment,
  options: { clients?: AccountClients; hooks?: JobHooks } = {},
): Promise<RuleDeploymentPlan> {
  // deployment.ou may be a path (Root/Workloads): accountsUnder takes ids only.
  const target = deployment.ou ? requireTarget(inventory, deployment.ou) : undefined;
  const scope = {
    ou: deployment.ou ?? inventory.rootId,
    target,
    where: describeScope(target),
    accounts: target ? accountsUnder(inventory, target.id) : inventory.accounts,
    rules: deployment.rules,
    remove: deployment.remove,
  };
  const { rules, regions } = deployment;
  const settings = deployment.remove
    ? deployment.settings
    : await withGuardDutyAdmins(deployment.settings, rules, regions, {
        factory: session.factory,
        credentials: session.operatorCredentials,
      });
  if (deployment.mode === "organization") {
    const input = organizationRulesInput(session, inventory, scope.accounts, { rules, settings, regions });
    input.remove = deployment.remove;
    return { ...scope, mode: "organization", input, plan: await planOrganizationRules(input) };
  }
  const clients = options.clients ?? new AccountClients(session.factory, await session.roleAssumer());
  const progress = options.hooks?.progress?.("planning") ?? NO_PROGRESS;
  const plan = await planRuleDeployment({
    accounts: scope.accounts,
    rules,
    settings,
    regions,
    homeRegion: session.options.region,
    clients,
    remove: deployment.remove,
    ensureIamPolicy: deployment.ensureIamPolicy,
    concurrency: session.options.concurrency,
    logger: session.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  return { ...scope, mode: "accounts", plan, clients, settings };
}

/**
 * A plan that can deploy nothing is refused, nothing changed (REFUSED, check no-deployable-account):
 * deploy-rules after showing the plan, run before its first write.
 */
export function refuseEmptyDeployment(planned: RuleDeploymentPlan): void {
  if (planned.mode === "accounts") refuseUndeployable(planned.plan, planned.where);
}

/**
 * Makes the plan's writes: accounts side by side under the concurrency limit (an account that fails
 * is in `failed`, the others are written), or the organization rules, waiting until AWS reports
 * them deployed.
 */
export async function applyRules(
  session: JobSession,
  planned: RuleDeploymentPlan,
  hooks: JobHooks = {},
): Promise<AppliedRuleDeployment> {
  if (planned.plan.changes === 0) return { written: 0, failed: [] };
  if (planned.mode === "organization")
    return { written: await applyOrganizationRules(planned.plan, planned.input), failed: [] };
  const progress = hooks.progress?.("deploying") ?? NO_PROGRESS;
  const applied = await applyRuleDeployment(planned.plan, {
    clients: planned.clients,
    settings: planned.settings,
    homeRegion: session.options.region,
    concurrency: session.options.concurrency,
    logger: session.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  return {
    written: applied.reduce((n, r) => n + (r.ok ? r.value.written : 0), 0),
    failed: applied.filter((r): r is AppliedRuleDeployment["failed"][number] => !r.ok),
  };
}

/** Accounts of an accounts-mode plan that could not be read (0 in organization mode). */
export function unreadAccounts(planned: RuleDeploymentPlan): number {
  return planned.mode === "accounts" ? planned.plan.accounts.filter((r) => !r.ok).length : 0;
}

function describeScope(target: Target | undefined): string {
  if (!target) return "the whole organization";
  return `${target.kind === "account" ? "account" : "OU"} ${target.path} (${target.id})`;
}
