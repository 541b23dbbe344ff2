import { type AccountClients, accountsUnder, type Inventory, requireTarget } from "@orgwarden/core";
import {
  applyOrganizationRules,
  applyRuleDeployment,
  planOrganizationRules,
  planRuleDeployment,
  type RuleDefinition,
  type RuleSettings,
} from "@orgwarden/rules";
import type { RunConfig } from "../config/run-config.js";
import { organizationRulesInput } from "../session/organization-rules-input.js";
import type { JobSession } from "../session/session.js";
import { workRegions } from "../settings/connection-settings.js";
import type { RunSummary } from "./run-summary.js";

/**
 * One `rules:` entry: plan the rules of its OU (accounts or organization mode), then write them
 * (with `dryRun`, only the plan: `written` stays 0).
 */
export async function deployRuleEntry(
  session: JobSession,
  config: RunConfig,
  inventory: Inventory,
  clients: AccountClients,
  entry: RunConfig["rules"][number],
  rules: RuleDefinition[],
  settings: RuleSettings,
  dryRun = false,
): Promise<RunSummary["rules"][number]> {
  // entry.ou may be a path (Root/Workloads): accountsUnder takes ids only.
  const accounts = entry.ou
    ? accountsUnder(inventory, requireTarget(inventory, entry.ou).id)
    : inventory.accounts;
  const home = session.options.region;
  // The entry's own regions, else the ones every command works in (connection.regions, the home region).
  const regions = entry.regions ?? workRegions(undefined, config, home);
  const ou = entry.ou ?? inventory.rootId;
  if (entry.mode === "organization") {
    const input = organizationRulesInput(session, inventory, accounts, { rules, settings, regions });
    const changes = await planOrganizationRules(input);
    const n = changes.filter((c) => ["create", "update", "delete"].includes(c.action)).length;
    const written = n > 0 && !dryRun ? await applyOrganizationRules(changes, input) : 0;
    return { ou, mode: entry.mode, changes: n, written, unreachable: 0 };
  }
  const common = { clients, settings, homeRegion: home, concurrency: session.options.concurrency };
  const plan = await planRuleDeployment({
    ...common,
    accounts,
    rules,
    regions,
    ensureIamPolicy: entry.ensureIamPolicy,
    logger: session.logger,
  });
  const applied =
    plan.changes > 0 && !dryRun ? await applyRuleDeployment(plan, { ...common, logger: session.logger }) : [];
  const unreachable = plan.accounts.filter((r) => !r.ok).length + applied.filter((r) => !r.ok).length;
  const written = applied.reduce((n, r) => n + (r.ok ? r.value.written : 0), 0);
  return { ou, mode: entry.mode, changes: plan.changes, written, unreachable };
}
