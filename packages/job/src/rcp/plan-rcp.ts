import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import { type Inventory, readRcps } from "@orgwarden/core";
import {
  bindOrganization,
  type ExternalFindings,
  listExternalFindings,
  type PlanApplyInput,
  type PolicyTemplate,
  planApplyScp,
  RCP_KIND,
  type RcpParameters,
  type RenderedPolicy,
  type ResolvedScpQuotas,
  renderLibraryPolicies,
  resolveScpQuotas,
  type ScpPlan,
  type ScpQuotas,
  validateScpDocuments,
} from "@orgwarden/scp";
import { operatorIdentity } from "../session/operator-identity.js";
import type { JobSession } from "../session/session.js";
import type { RcpSettings } from "../settings/rcp-settings.js";

/**
 * apply-rcp or one `rcp:` entry before any AWS call: its settings and its policies rendered with
 * them (for a stand-in organization: bad input stops here).
 */
export interface RcpDraft {
  library: Map<string, PolicyTemplate>;
  settings: RcpSettings;
  policies: RenderedPolicy[];
}

export function draftRcp(library: Map<string, PolicyTemplate>, settings: RcpSettings): RcpDraft {
  return { library, settings, policies: renderLibraryPolicies(library, settings.policies, settings.params) };
}

/** The draft's parameters and policies for the organization found: its id and partition. */
export function draftRcpIn(
  draft: RcpDraft,
  inventory: Pick<Inventory, "organizationId" | "partition">,
): { params: RcpParameters; policies: RenderedPolicy[] } {
  const params = bindOrganization(draft.settings.params, inventory.organizationId, inventory.partition);
  return {
    params,
    policies: renderLibraryPolicies(draft.library, draft.settings.policies, params),
  };
}

/** The organization with its RCPs read (once per session: the walk reads none). */
export async function rcpInventory(session: JobSession): Promise<Inventory> {
  const inventory = await session.inventory();
  await readRcps(inventory, session.factory.organizations(session.operatorCredentials));
  return inventory;
}

/** The applied RCP quotas: Service Quotas where it lists them, else what was configured, else the defaults. */
export function rcpQuotas(session: JobSession, configured: Partial<ScpQuotas>): Promise<ResolvedScpQuotas> {
  return resolveScpQuotas({
    configured,
    factory: session.factory,
    credentials: session.operatorCredentials,
    kind: RCP_KIND,
  });
}

/** What an RCP plan reads from AWS besides the organization: quotas, AWS's validation, who runs orgwarden. */
export type RcpPlanDependencies = Pick<
  PlanApplyInput,
  "validatePolicies" | "operator" | "externalFindings"
> & {
  quotas: ResolvedScpQuotas;
};

export async function rcpPlanDependencies(
  session: JobSession,
  configuredQuotas: Partial<ScpQuotas>,
  inventory: Inventory,
): Promise<RcpPlanDependencies> {
  let findings: Promise<ExternalFindings> | undefined;
  const operator = await operatorIdentity(session, inventory);
  return {
    quotas: await rcpQuotas(session, configuredQuotas),
    validatePolicies: (documents) =>
      validateScpDocuments({
        documents,
        factory: session.factory,
        credentials: session.operatorCredentials,
        policyType: RCP_KIND.type,
      }),
    operator,
    // Read once for every entry of a run.
    externalFindings: () => {
      findings ??= listExternalFindings({
        factory: session.factory,
        credentials: session.operatorCredentials,
        operatorAccount: operator.accountId,
        managementAccount: inventory.managementAccountId,
        organizations: session.factory.organizations(session.operatorCredentials),
        // The organization's analyzer may live in Access Analyzer's delegated administrator.
        credentialsFor: async (account) => (await session.roleAssumer()).providerFor(account),
      });
      return findings;
    },
  };
}

/**
 * Plans a draft against the organization, for apply-rcp and run alike: rendered for the
 * organization's id, the quotas, AWS's validation and the resource-side lockout guard as
 * planApplyScp runs them for RCPs. Writes nothing.
 */
export function planRcpDraft(
  draft: RcpDraft,
  on: { inventory: Inventory; organizations: OrganizationsClient },
  targetId: string,
  dependencies: RcpPlanDependencies,
  allowRootHint?: string,
): Promise<ScpPlan> {
  const { params, policies } = draftRcpIn(draft, on.inventory);
  return planApplyScp({
    kind: RCP_KIND,
    inventory: on.inventory,
    organizations: on.organizations,
    targetId,
    policies,
    params,
    regions: draft.settings.regions,
    allowRoot: draft.settings.allowRoot,
    ...(allowRootHint ? { allowRootHint } : {}),
    ...dependencies,
  });
}
