import {
  type AttachedPolicies,
  type AuthorizationPolicyType,
  type Inventory,
  OrgwardenError,
} from "@orgwarden/core";

/**
 * The policy types the one engine plans, applies, detaches and checks for drift: the two
 * authorization types, and the two management types orgwarden writes from a parameter set (S3
 * organization-level Block Public Access, the EC2 declarative policy).
 */
export type EnginePolicyType = AuthorizationPolicyType | "S3_POLICY" | "DECLARATIVE_POLICY_EC2";

/**
 * What differs between the policy types the engine plans, applies, detaches and judges: the type
 * string, where its policies come from, the AWS managed policy Organizations attaches everywhere,
 * and how a plan names them. Everything else (plan → apply, quotas, replacing a variant, drift) is
 * one engine. SCPs cap what member-account principals may do; RCPs cap what member-account
 * resources allow, whoever calls; S3 and EC2 declarative policies set the accounts' own
 * configuration of a service.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_authorization_policies.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies.html
 */
export interface PolicyKind {
  type: EnginePolicyType;
  /** How plans, refusals and notes name one policy of the kind. */
  short: "SCP" | "RCP" | "S3 policy" | "EC2 declarative policy";
  /** ... and several. */
  many: "SCPs" | "RCPs" | "S3 policies" | "EC2 declarative policies";
  /**
   * The commands' stem (apply-scp, detach-rcp, `s3-policy status`) and, for an authorization kind,
   * its library folder (`scp/`, `rcp/`).
   */
  family: "scp" | "rcp" | "s3-policy" | "ec2-policy";
  /**
   * The one switch for the engine's authorization-only parts. `authorization`: the policies are
   * templates of a library, judged by the evaluator and the lockout guard, checked by IAM Access
   * Analyzer and AWS's policy simulator; every target keeps at least one (the full-access policy);
   * they never affect the management account, which is refused as a target. `management`: a
   * rendered parameter set (packages/scp/src/declarative/), none of those checks (they judge IAM
   * policy documents, and these set a service's configuration, not permissions); a target may be
   * left with none, and the management account is a target like any other, as the policy applies
   * there too ("Affects management account: Yes" in AWS's policy type table).
   */
  category: "authorization" | "management";
  /**
   * The AWS managed policy Organizations attaches to the root, every OU and every account when an
   * authorization type is enabled: it allows everything, so enabling the type changes no
   * permission. Management types attach nothing when enabled.
   */
  fullAccess: "FullAWSAccess" | "RCPFullAWSAccess" | undefined;
}

export const SCP_KIND = {
  type: "SERVICE_CONTROL_POLICY",
  short: "SCP",
  many: "SCPs",
  family: "scp",
  category: "authorization",
  fullAccess: "FullAWSAccess",
} as const satisfies PolicyKind;

/** https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html */
export const RCP_KIND = {
  type: "RESOURCE_CONTROL_POLICY",
  short: "RCP",
  many: "RCPs",
  family: "rcp",
  category: "authorization",
  fullAccess: "RCPFullAWSAccess",
} as const satisfies PolicyKind;

/** https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3.html */
export const S3_POLICY_KIND = {
  type: "S3_POLICY",
  short: "S3 policy",
  many: "S3 policies",
  family: "s3-policy",
  category: "management",
  fullAccess: undefined,
} as const satisfies PolicyKind;

/** https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_declarative.html */
export const EC2_POLICY_KIND = {
  type: "DECLARATIVE_POLICY_EC2",
  short: "EC2 declarative policy",
  many: "EC2 declarative policies",
  family: "ec2-policy",
  category: "management",
  fullAccess: undefined,
} as const satisfies PolicyKind;

const KINDS: readonly PolicyKind[] = [SCP_KIND, RCP_KIND, S3_POLICY_KIND, EC2_POLICY_KIND];

/** The kind of a policy type string (a plan's, a template's). */
export function policyKindOf(type: EnginePolicyType): PolicyKind {
  return KINDS.find((k) => k.type === type) ?? SCP_KIND;
}

/**
 * The kind's policies and attachments as the inventory has them: the SCPs the walk read, the RCPs
 * once readRcps has read them, a management type's once readManagementPolicies has (planning on an
 * inventory that has not is a bug).
 */
export function policiesOf(inventory: Inventory, kind: PolicyKind): AttachedPolicies {
  if (kind.type === "SERVICE_CONTROL_POLICY") {
    return {
      status: inventory.scpPolicyType,
      policies: inventory.scps,
      attachments: inventory.scpAttachments,
    };
  }
  const read =
    kind.type === "RESOURCE_CONTROL_POLICY" ? inventory.rcps : inventory.managementPolicies?.[kind.type];
  if (!read) {
    throw new OrgwardenError("INTERNAL", `this inventory has not read the organization's ${kind.many}`, {
      hint: `Report this as a bug in orgwarden (${kind.type === "RESOURCE_CONTROL_POLICY" ? "readRcps" : "readManagementPolicies"} before planning ${kind.many}).`,
    });
  }
  return read;
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
    if (kind.type === "RESOURCE_CONTROL_POLICY") inventory.rcpPolicyType = "ENABLED";
    now.status = "ENABLED";
  }
}

/** "SCPs" / "S3 policies", or the singular for one. */
export function kindNoun(kind: PolicyKind, n = 2): string {
  return n === 1 ? kind.short : kind.many;
}

/**
 * The organization as it will be once the kind's type is enabled at the root: for an authorization
 * type, Organizations then attaches the full-access policy to the root, every OU and every account
 * (where it is not already), so every level allows what it allowed before; a management type is
 * only enabled. A plan that starts with the enable step is planned (quotas, the lockout guard) on
 * this view. The inventory itself is not changed.
 * https://docs.aws.amazon.com/organizations/latest/userguide/enable-policy-type.html
 */
export function enabledView(inventory: Inventory, kind: PolicyKind): Inventory {
  const current = policiesOf(inventory, kind);
  if (kind.fullAccess === undefined) {
    const enabled: AttachedPolicies = { ...current, status: "ENABLED" };
    return { ...inventory, managementPolicies: { ...inventory.managementPolicies, [kind.type]: enabled } };
  }
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
