import type { Inventory } from "@orgwarden/core";
import {
  listPrincipalsWith,
  type PlanApplyInput,
  type ResolvedScpQuotas,
  resolveScpQuotas,
  type ScpQuotas,
  validateScpDocuments,
} from "@orgwarden/scp";
import type { CommandContext } from "./context.js";

/**
 * What an SCP plan reads from AWS besides the organization: the applied quotas (Service Quotas),
 * AWS's validation of the documents (IAM Access Analyzer), and the roles and users behind exempt
 * principals (the management account with the operator's credentials, members through the role).
 * Each is optional: where the operator may not call it, the plan says so and falls back.
 */
export async function scpPlanDependencies(
  ctx: CommandContext,
  inventory: Inventory,
  configuredQuotas: Partial<ScpQuotas>,
): Promise<Pick<PlanApplyInput, "listPrincipals" | "validatePolicies"> & { quotas: ResolvedScpQuotas }> {
  const assumer = await ctx.roleAssumer();
  const quotas = await resolveScpQuotas({
    configured: configuredQuotas,
    factory: ctx.factory,
    credentials: ctx.operatorCredentials,
  });
  return {
    quotas,
    listPrincipals: listPrincipalsWith(ctx.factory, (accountId) =>
      accountId === inventory.managementAccountId ? ctx.operatorCredentials : assumer.providerFor(accountId),
    ),
    validatePolicies: (documents) =>
      validateScpDocuments({ documents, factory: ctx.factory, credentials: ctx.operatorCredentials }),
  };
}
