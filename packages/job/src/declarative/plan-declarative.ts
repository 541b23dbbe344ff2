import { type Inventory, readManagementPolicies } from "@orgwarden/core";
import {
  DECLARATIVE_POLICY_KINDS,
  type DeclarativePolicyType,
  isDeclarativePolicyType,
  type PolicyKind,
  planApplyDeclarative,
  planDetachScp,
  policyKindOf,
  type RenderedDeclarativePolicy,
  type ResolvedScpQuotas,
  renderDeclarativePolicy,
  resolveScpQuotas,
  type ScpPlan,
} from "@orgwarden/scp";
import type { JobSession } from "../session/session.js";

/*
 * apply-s3-policy, apply-ec2-policy, their detach commands and their `status`: S3 organization-level
 * Block Public Access and the EC2 declarative policy on the policy engine (their kinds in
 * packages/scp/src/policy-kind.ts).
 */

/**
 * A parameter set's policy, rendered before any AWS call: an unknown setting or a value AWS does not
 * allow stops here (INVALID_INPUT, exit 2).
 */
export function draftDeclarative(
  type: DeclarativePolicyType,
  parameters: Readonly<Record<string, unknown>>,
): RenderedDeclarativePolicy {
  return renderDeclarativePolicy(type, parameters);
}

/** The organization with the kind's policies and their targets read (once per session: the walk reads none). */
export async function declarativeInventory(session: JobSession, kind: PolicyKind): Promise<Inventory> {
  const inventory = await session.inventory();
  await readManagementPolicies(
    inventory,
    session.factory.organizations(session.operatorCredentials),
    kind.type,
  );
  return inventory;
}

/**
 * The kind's applied quotas: Service Quotas where it names the type, else the policy-type
 * catalogue's default (AWS's figure, or orgwarden's labelled assumption where AWS gives none).
 */
export function declarativeQuotas(session: JobSession, kind: PolicyKind): Promise<ResolvedScpQuotas> {
  return resolveScpQuotas({
    configured: {},
    factory: session.factory,
    credentials: session.operatorCredentials,
    kind,
  });
}

/** Plans a parameter set's policy on a root, OU or account: the engine's apply plan. Writes nothing. */
export async function planDeclarative(
  session: JobSession,
  policy: RenderedDeclarativePolicy,
  target: { targetId: string; allowRoot: boolean },
  inventory?: Inventory,
): Promise<ScpPlan> {
  const kind = policyKindOf(policy.type);
  const organization = inventory ?? (await declarativeInventory(session, kind));
  return planApplyDeclarative({
    inventory: organization,
    organizations: session.factory.organizations(session.operatorCredentials),
    targetId: target.targetId,
    policy,
    allowRoot: target.allowRoot,
    quotas: await declarativeQuotas(session, kind),
  });
}

/**
 * Plans detaching orgwarden's policies of the kind from a target (all of them, or the variants
 * named), and with deleteUnused deleting those attached nowhere: the engine's detach plan. A target
 * may be left with none of the kind; the plan says that AWS then puts the accounts' own settings back.
 */
export async function planDetachDeclarative(
  session: JobSession,
  kind: PolicyKind,
  input: { targetId: string | undefined; policyNames: string[]; deleteUnused: boolean },
  inventory?: Inventory,
): Promise<ScpPlan> {
  const organization = inventory ?? (await declarativeInventory(session, kind));
  const plan = await planDetachScp({
    kind,
    inventory: organization,
    organizations: session.factory.organizations(session.operatorCredentials),
    targetId: input.targetId,
    policyNames: input.policyNames,
    deleteUnused: input.deleteUnused,
    quotas: await declarativeQuotas(session, kind),
  });
  if (plan.steps.some((s) => s.kind === "detach-policy")) plan.notes.push(detachNote(kind));
  return plan;
}

/**
 * What a detach gives back: AWS restores each account's own settings of what the policy set.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative.html
 */
function detachNote(kind: PolicyKind): string {
  const page = isDeclarativePolicyType(kind.type) ? ` (${DECLARATIVE_POLICY_KINDS[kind.type].page})` : "";
  const what =
    kind.type === "S3_POLICY"
      ? "once no S3 policy applies to an account, its own S3 Block Public Access settings come back, as they were before the policy"
      : "once no EC2 declarative policy sets an attribute for an account, the attribute rolls back to the state it had before the policy was attached, in each region";
  return `${what}${page}; orgwarden never disables the ${kind.type} type`;
}
