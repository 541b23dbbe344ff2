import {
  describeAwsError,
  type Inventory,
  listOrganizationsQuotas,
  type PolicyTypeName,
  requireTarget,
} from "@orgwarden/core";
import {
  type PolicyOverview,
  type PolicyQuotas,
  readPolicyOverview,
  resolvePolicyQuotas,
} from "@orgwarden/report";
import type { JobSession } from "../session/session.js";

export interface PoliciesJobInput {
  /** Default: every type of the catalogue. */
  types?: readonly PolicyTypeName[] | undefined;
  /** A root, OU or account (id or path): only it and what is under it. */
  ou?: string | undefined;
  /** Progress messages of a long read ("policies: 3 of 15 policy types read"). */
  onProgress?: (message: string) => void;
}

/**
 * `orgwarden policies`: every policy type of the organization, what is attached to each root, OU and
 * account with its owner and the slots left against the live quota, and the accounts whose
 * effective policy is invalid. The organization is walked once; the SCPs' targets are read with the
 * other types', not by the walk.
 */
export async function runPoliciesJob(
  session: JobSession,
  input: PoliciesJobInput,
): Promise<{ overview: PolicyOverview; inventory: Inventory; scope: string | undefined }> {
  const quotas = policyQuotas(session);
  const inventory = await session.inventory({ scpTargetsOf: () => false });
  const scope = input.ou ? requireTarget(inventory, input.ou).id : undefined;
  const overview = await readPolicies(session, inventory, { ...input, ou: scope }, quotas);
  return { overview, inventory, scope };
}

/**
 * The same reading for the report's `policies` source, on the inventory the report walked: called
 * once the walk is complete, while the accounts are evaluated.
 */
export function readPolicies(
  session: JobSession,
  inventory: Inventory,
  input: PoliciesJobInput,
  quotas: Promise<PolicyQuotas> = policyQuotas(session),
): Promise<PolicyOverview> {
  return quotas.then((q) =>
    readPolicyOverview({
      organizations: session.factory.organizations(session.operatorCredentials),
      inventory,
      types: input.types,
      underTargetId: input.ou,
      quotas: q,
      concurrency: session.options.concurrency,
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    }),
  );
}

/**
 * The per-target quotas, read from Service Quotas while the organization is walked; a failed read
 * leaves the defaults, and says why.
 */
export function policyQuotas(session: JobSession): Promise<PolicyQuotas> {
  return listOrganizationsQuotas(session.factory, session.operatorCredentials).then(
    resolvePolicyQuotas,
    (err) => resolvePolicyQuotas({ unread: describeAwsError(err, "Service Quotas").message }),
  );
}
