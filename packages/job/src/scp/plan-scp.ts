import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Inventory } from "@orgwarden/core";
import {
  bindPartition,
  type PlanApplyInput,
  type PolicyTemplate,
  planApplyScp,
  type RenderedPolicy,
  type ResolvedScpQuotas,
  renderLibraryPolicies,
  type ScpParameters,
  type ScpPlan,
  stepActions,
} from "@orgwarden/scp";
import type { JobSession } from "../session/session.js";
import type { ScpSettings } from "../settings/scp-settings.js";

/**
 * apply-scp or one `scp:` entry before any AWS call: its settings and its policies rendered with
 * them, in the partition of the home region (bad input stops here).
 */
export interface ScpDraft {
  library: Map<string, PolicyTemplate>;
  settings: ScpSettings;
  policies: RenderedPolicy[];
}

export function draftScp(library: Map<string, PolicyTemplate>, settings: ScpSettings): ScpDraft {
  return { library, settings, policies: renderLibraryPolicies(library, settings.policies, settings.params) };
}

/**
 * The draft's parameters and policies in the organization's partition: rendered again when it is
 * not the one they were drafted in (see bindPartition).
 */
export function draftIn(
  draft: ScpDraft,
  partition: string,
): { params: ScpParameters; policies: RenderedPolicy[] } {
  const { settings } = draft;
  const params = bindPartition(settings.params, partition);
  return {
    params,
    policies:
      params === settings.params
        ? draft.policies
        : renderLibraryPolicies(draft.library, settings.policies, params),
  };
}

/** What a plan reads from AWS besides the organization (scpPlanDependencies). */
export type ScpPlanDependencies = Pick<PlanApplyInput, "listPrincipals" | "validatePolicies"> & {
  quotas: ResolvedScpQuotas;
};

/**
 * Plans a draft against the organization, for apply-scp and run alike: the policies rendered again
 * when the organization is in another partition than the one they were drafted in; the lockout
 * guard, the quotas and AWS's validation as planApplyScp runs them. Writes nothing.
 */
export function planScpDraft(
  draft: ScpDraft,
  on: { inventory: Inventory; organizations: OrganizationsClient },
  targetId: string,
  dependencies: ScpPlanDependencies,
  allowRootHint?: string,
): Promise<ScpPlan> {
  const { settings } = draft;
  const { params, policies } = draftIn(draft, on.inventory.partition);
  return planApplyScp({
    inventory: on.inventory,
    organizations: on.organizations,
    targetId,
    policies,
    params,
    regions: settings.regions,
    principalTags: settings.principalTags,
    allowRoot: settings.allowRoot,
    ...(allowRootHint ? { allowRootHint } : {}),
    ...dependencies,
  });
}

/**
 * From a delegated administrator, the plan says which Organizations calls the delegation policy (in
 * the management account) must allow: otherwise they are refused half-way with AccessDenied.
 */
export async function noteDelegation(session: JobSession, plan: ScpPlan): Promise<void> {
  const assumer = await session.roleAssumer();
  if (assumer.operatorAccountId === assumer.managementAccountId || plan.changes === 0) return;
  const actions = [...new Set(plan.steps.flatMap(stepActions))];
  plan.notes.push(
    `running from ${assumer.operatorAccountId}, a delegated administrator: the Organizations delegation policy of the management account ${assumer.managementAccountId} must allow ${actions.join(", ")} for this account, and its own IAM policy the same (docs/permissions/organizations-delegation.json, management-write.json)`,
  );
}
