import type { Inventory } from "@orgwarden/core";
import {
  applyRootCredentialRemoval,
  canManageRootCredentials,
  describeRootAccessFeatures,
  describeRootRemovalStep,
  hasRootCredentials,
  planRootCredentialRemoval,
  type RootRemovalPlan,
  type RootSessions,
  removalOutcome,
} from "@orgwarden/root";
import type { RunConfig } from "../config/run-config.js";
import type { RootAccessClients } from "../session/root-access.js";
import type { JobSession } from "../session/session.js";
import { rootSettings } from "../settings/root-settings.js";
import type { RunSummary } from "./run-summary.js";

export type RootEntryPlan = RootRemovalPlan | { notAudited: string };

/** Every `root:` entry planned (features checked, member root users audited) before the first write. */
export async function planRootEntries(
  session: JobSession,
  config: RunConfig,
  inventory: Inventory,
  access: RootAccessClients,
): Promise<RootEntryPlan[]> {
  const plans: RootEntryPlan[] = [];
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
        ...rootSettings({}, entry),
        allowRootHint: "Set allowRoot: true in that root: entry of the config file if that is what you mean.",
        concurrency: session.options.concurrency,
        logger: session.logger,
      }),
    );
  }
  return plans;
}

/** One `root:` entry: enforce removes what the audit found; detect only counts it. */
export async function applyRootEntry(
  session: JobSession,
  sessions: RootSessions,
  entry: RunConfig["root"][number],
  plan: RootEntryPlan,
): Promise<RunSummary["root"][number]> {
  if ("notAudited" in plan) {
    session.logger.warn({ ou: entry.ou }, plan.notAudited);
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
  let unfinished: NonNullable<RunSummary["root"][number]["unfinished"]> = [];
  if (entry.mode === "enforce" && plan.changes > 0) {
    const results = await applyRootCredentialRemoval(plan, {
      sessions,
      concurrency: session.options.concurrency,
      logger: session.logger,
    });
    const outcomes = results.map((r) => removalOutcome(r, plan.keepMfa));
    // An account that still has what should have gone (a failed step, a new credential, a
    // read-back that failed) counts too; what it lost before that is kept and listed.
    errors += outcomes.filter((o) => o.status !== "DONE").length;
    removed = outcomes.reduce((n, o) => n + o.removed.length, 0);
    changedAccounts = outcomes.filter((o) => o.removed.length > 0).length;
    unfinished = outcomes.flatMap((o) =>
      o.status === "DONE"
        ? []
        : [
            {
              accountId: o.account.id,
              accountName: o.account.name,
              status: o.status,
              removed: o.removed.map(describeRootRemovalStep),
              reason: o.reason ?? "",
            },
          ],
    );
  }
  return {
    ou: entry.ou,
    mode: entry.mode,
    withCredentials,
    removed,
    changedAccounts,
    errors,
    ...(unfinished.length ? { unfinished } : {}),
  };
}
