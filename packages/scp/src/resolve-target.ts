import { accountsUnder, type Inventory, OrgwardenError, requireTarget, type Target } from "@orgwarden/core";
import { kindNoun, type PolicyKind, policiesOf, SCP_KIND } from "./policy-kind.js";

/**
 * The root, OU or account the user named, refused where the kind's policies should not (or cannot)
 * go: the root unless allowed, and for SCPs and RCPs the management account, which neither ever
 * affects: SCPs do not limit its principals, RCPs do not limit its resources. A management policy
 * (S3, EC2 declarative) applies there like anywhere else.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
export function checkTarget(
  inventory: Inventory,
  id: string,
  allowRoot: boolean,
  allowRootHint?: string,
  kind: PolicyKind = SCP_KIND,
): Target {
  const target = requireTarget(inventory, id);
  const them = kindNoun(kind);
  if (target.kind === "root" && !allowRoot) {
    throw new OrgwardenError(
      "REFUSED",
      `refusing to attach ${them} to the organization root ${id}: they would apply to every account`,
      { hint: allowRootHint ?? "Attach to an OU instead, or pass --allow-root if that is what you mean." },
    );
  }
  if (target.kind === "account" && target.account.isManagement && kind.category === "authorization") {
    throw new OrgwardenError(
      "REFUSED",
      `${id} is the management account: ${them} never affect it${kind.family === "rcp" ? "s resources" : ""}`,
      {
        hint:
          kind.family === "rcp"
            ? "Protect the management account's resources with their own resource policies instead."
            : "Protect the management account with IAM policies and MFA on its root user instead.",
      },
    );
  }
  return target;
}

export function targetNotes(inventory: Inventory, target: Target, kind: PolicyKind = SCP_KIND): string[] {
  if (kind.category === "management") {
    const management = inventory.accounts.find((a) => a.isManagement);
    return management && reachedAccounts(inventory, target, kind).includes(management.id)
      ? [
          `the management account ${management.id} is under the target: unlike SCPs and RCPs, ${kind.many} apply to it too`,
        ]
      : [];
  }
  if (target.kind === "root") {
    return [
      kind.family === "rcp"
        ? `RCPs do not affect the resources of the management account ${inventory.managementAccountId}, which sits under the root.`
        : `SCPs do not affect the management account ${inventory.managementAccountId}, which sits under the root.`,
    ];
  }
  return [];
}

/**
 * Planning counts every policy on a target (the quota of five) and evaluates every level's
 * policies (the lockout guard): an inventory that read only some SCPs' targets cannot plan, nor
 * one that has not read the RCPs when RCPs are planned.
 */
export function requireEveryAttachment(inventory: Inventory, kind: PolicyKind = SCP_KIND): void {
  const read = kind.family === "scp" ? inventory.scpTargetsRead : policiesOf(inventory, kind).targetsRead;
  if (read === "some")
    throw new OrgwardenError(
      "INTERNAL",
      `planning ${kindNoun(kind)} needs every ${kind.short}'s attachments, and this inventory read only some`,
      {
        hint: "Report this as a bug in orgwarden.",
      },
    );
}

/**
 * Active accounts at or below the target that a policy of the kind there reaches: the member
 * accounts for SCPs and RCPs, the management account too for a management policy.
 */
export function reachedAccounts(inventory: Inventory, target: Target, kind: PolicyKind = SCP_KIND): string[] {
  const accounts = target.kind === "account" ? [target.account] : accountsUnder(inventory, target.id);
  return accounts
    .filter((a) => a.state === "ACTIVE" && (!a.isManagement || kind.category === "management"))
    .map((a) => a.id);
}

export function describeTarget(target: Target): string {
  return `${target.kind === "account" ? "account" : target.kind === "root" ? "root" : "OU"} ${target.path} (${target.id})`;
}
