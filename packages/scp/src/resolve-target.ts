import { accountsUnder, type Inventory, OrgwardenError, requireTarget, type Target } from "@orgwarden/core";

/**
 * The root, OU or account the user named, refused where SCPs should not (or cannot) go: the root
 * unless allowed, and the management account, which SCPs never affect.
 */
export function checkTarget(
  inventory: Inventory,
  id: string,
  allowRoot: boolean,
  allowRootHint?: string,
): Target {
  const target = requireTarget(inventory, id);
  if (target.kind === "root" && !allowRoot) {
    throw new OrgwardenError(
      "REFUSED",
      `refusing to attach SCPs to the organization root ${id}: they would apply to every account`,
      { hint: allowRootHint ?? "Attach to an OU instead, or pass --allow-root if that is what you mean." },
    );
  }
  if (target.kind === "account" && target.account.isManagement) {
    throw new OrgwardenError("REFUSED", `${id} is the management account: SCPs never affect it`, {
      hint: "Protect the management account with IAM policies and MFA on its root user instead.",
    });
  }
  return target;
}

export function targetNotes(inventory: Inventory, target: Target): string[] {
  if (target.kind === "root") {
    return [
      `SCPs do not affect the management account ${inventory.managementAccountId}, which sits under the root.`,
    ];
  }
  return [];
}

/**
 * Planning counts every policy on a target (the quota of five) and evaluates every level's
 * policies (the lockout guard): an inventory that read only some SCPs' targets cannot plan.
 */
export function requireEveryAttachment(inventory: Inventory): void {
  if (inventory.scpTargetsRead === "some")
    throw new OrgwardenError(
      "INTERNAL",
      "planning SCPs needs every SCP's attachments, and this inventory read only some",
      {
        hint: "Report this as a bug in orgwarden.",
      },
    );
}

/** Active member accounts at or below the target: the accounts an SCP there reaches. */
export function reachedAccounts(inventory: Inventory, target: Target): string[] {
  const accounts = target.kind === "account" ? [target.account] : accountsUnder(inventory, target.id);
  return accounts.filter((a) => a.state === "ACTIVE" && !a.isManagement).map((a) => a.id);
}

export function describeTarget(target: Target): string {
  return `${target.kind === "account" ? "account" : target.kind === "root" ? "root" : "OU"} ${target.path} (${target.id})`;
}
