import {
  type AttachedPolicies,
  type AuthorizationPolicyType,
  type Inventory,
  OrgwardenError,
} from "@orgwarden/core";

/**
 * What differs between the two authorization policy types the engine plans, applies, detaches and
 * judges: the type string, the library folder, the AWS managed policy Organizations attaches
 * everywhere, and how a plan names them. Everything else (plan → apply, the guard, drift) is one
 * engine. SCPs cap what member-account principals may do; RCPs cap what member-account resources
 * allow, whoever calls.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_authorization_policies.html
 */
export interface PolicyKind {
  type: AuthorizationPolicyType;
  /** "SCP" or "RCP": how plans, refusals and notes name one policy of the kind. */
  short: "SCP" | "RCP";
  /** The library folder (`scp/`, `rcp/`) and the commands' stem (apply-scp, apply-rcp). */
  family: "scp" | "rcp";
  /**
   * The AWS managed policy Organizations attaches to the root, every OU and every account when the
   * type is enabled: it allows everything, so enabling the type changes no permission.
   */
  fullAccess: "FullAWSAccess" | "RCPFullAWSAccess";
}

export const SCP_KIND: PolicyKind = {
  type: "SERVICE_CONTROL_POLICY",
  short: "SCP",
  family: "scp",
  fullAccess: "FullAWSAccess",
};

/** https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html */
export const RCP_KIND: PolicyKind = {
  type: "RESOURCE_CONTROL_POLICY",
  short: "RCP",
  family: "rcp",
  fullAccess: "RCPFullAWSAccess",
};

/** The kind of a policy type string (a plan's, a template's). */
export function policyKindOf(type: AuthorizationPolicyType): PolicyKind {
  return type === RCP_KIND.type ? RCP_KIND : SCP_KIND;
}

/**
 * The kind's policies and attachments as the inventory has them: the SCPs the walk read, or the
 * RCPs once readRcps has read them (planning RCPs on an inventory that has not is a bug).
 */
export function policiesOf(inventory: Inventory, kind: PolicyKind): AttachedPolicies {
  if (kind.type === "SERVICE_CONTROL_POLICY") {
    return {
      status: inventory.scpPolicyType,
      policies: inventory.scps,
      attachments: inventory.scpAttachments,
    };
  }
  if (!inventory.rcps) {
    throw new OrgwardenError("INTERNAL", "this inventory has not read the organization's RCPs", {
      hint: "Report this as a bug in orgwarden (readRcps before planning RCPs).",
    });
  }
  return inventory.rcps;
}

/**
 * Records that the kind's policy type is now enabled at the root (after apply, or in a projection),
 * with the full-access policy Organizations attached everywhere (see enabledView).
 */
export function markPolicyTypeEnabled(inventory: Inventory, kind: PolicyKind): void {
  const now = policiesOf(inventory, kind);
  const enabled = policiesOf(enabledView(inventory, kind), kind);
  for (const [id, p] of enabled.policies) now.policies.set(id, p);
  for (const [target, ids] of enabled.attachments) now.attachments.set(target, ids);
  if (kind.type === "SERVICE_CONTROL_POLICY") inventory.scpPolicyType = "ENABLED";
  else {
    inventory.rcpPolicyType = "ENABLED";
    now.status = "ENABLED";
  }
}

/** "SCPs" / "RCPs", or the singular for one. */
export function kindNoun(kind: PolicyKind, n = 2): string {
  return n === 1 ? kind.short : `${kind.short}s`;
}

/**
 * The organization as it will be once the kind's type is enabled at the root: Organizations then
 * attaches the full-access policy to the root, every OU and every account (where it is not already),
 * so every level allows what it allowed before. A plan that starts with the enable step is planned
 * (quotas, the lockout guard) on this view. The inventory itself is not changed.
 * https://docs.aws.amazon.com/organizations/latest/userguide/enable-policy-type.html
 */
export function enabledView(inventory: Inventory, kind: PolicyKind): Inventory {
  const current = policiesOf(inventory, kind);
  const full = [...current.policies.values()].find((p) => p.awsManaged && p.name === kind.fullAccess) ?? {
    id: `p-${kind.fullAccess}`,
    name: kind.fullAccess,
    arn: "",
    description: "AWS managed: allows every action",
    awsManaged: true,
  };
  const policies = new Map(current.policies).set(full.id, full);
  const attachments = new Map([...current.attachments].map(([t, ids]) => [t, [...ids]]));
  for (const target of [...inventory.units.keys(), ...inventory.accounts.map((a) => a.id)]) {
    const ids = attachments.get(target) ?? [];
    if (!ids.includes(full.id)) attachments.set(target, [...ids, full.id].sort());
  }
  const enabled: AttachedPolicies = { status: "ENABLED", policies, attachments };
  return kind.type === "SERVICE_CONTROL_POLICY"
    ? { ...inventory, scpPolicyType: "ENABLED", scps: policies, scpAttachments: attachments }
    : { ...inventory, rcpPolicyType: "ENABLED", rcps: enabled };
}
