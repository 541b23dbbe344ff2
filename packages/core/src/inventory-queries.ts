import { OrgwardenError } from "./errors.js";
import type { Inventory, OrgAccount, OrgUnit } from "./inventory.js";

export type Target =
  | { kind: "root" | "ou"; id: string; name: string; path: string; unit: OrgUnit }
  | { kind: "account"; id: string; name: string; path: string; account: OrgAccount };

const ID_PATTERN = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;

/** The root, OU or account with this id, or undefined. */
export function findTarget(inventory: Inventory, id: string): Target | undefined {
  const unit = inventory.units.get(id);
  if (unit) return { kind: unit.kind, id, name: unit.name, path: unit.path, unit };
  const account = inventory.accounts.find((a) => a.id === id);
  if (account)
    return { kind: "account", id, name: account.name, path: `${account.ouPath}/${account.name}`, account };
  return undefined;
}

/** Like findTarget, but a missing or malformed id is an INVALID_INPUT/NOT_FOUND error naming it. */
export function requireTarget(inventory: Inventory, id: string): Target {
  if (!ID_PATTERN.test(id)) {
    throw new OrgwardenError("INVALID_INPUT", `"${id}" is not a root, OU or account id`, {
      hint: "Use an id like ou-ab12-cdef3456, r-ab12 or a 12-digit account id (see `orgwarden accounts`).",
    });
  }
  const target = findTarget(inventory, id);
  if (!target) {
    throw new OrgwardenError(
      "NOT_FOUND",
      `no OU, root or account with id ${id} in organization ${inventory.organizationId}`,
      {
        hint: "List the organization with `orgwarden accounts --output table` and copy the OU id from there.",
      },
    );
  }
  return target;
}

/** Ids from the root down to the target's parent (the nodes whose SCPs the target inherits). */
export function ancestorIds(inventory: Inventory, targetId: string): string[] {
  const out: string[] = [];
  const account = inventory.accounts.find((a) => a.id === targetId);
  let current = account ? account.parentId : inventory.units.get(targetId)?.parentId;
  while (current) {
    out.unshift(current);
    current = inventory.units.get(current)?.parentId;
  }
  return out;
}

/** Every account at or below the target, in inventory order. */
export function accountsUnder(inventory: Inventory, targetId: string): OrgAccount[] {
  const unit = inventory.units.get(targetId);
  if (!unit) return inventory.accounts.filter((a) => a.id === targetId);
  const ids = new Set<string>();
  const stack = [unit];
  while (stack.length > 0) {
    const u = stack.pop();
    if (!u) break;
    ids.add(u.id);
    for (const c of u.childOuIds) {
      const child = inventory.units.get(c);
      if (child) stack.push(child);
    }
  }
  return inventory.accounts.filter((a) => ids.has(a.parentId));
}

/**
 * SCP ids in effect for a target: the union of what is attached to it and to every ancestor.
 * There is no AWS API for this; the inventory already holds every attachment.
 */
export function effectiveScpIds(inventory: Inventory, targetId: string): string[] {
  const ids = new Set<string>();
  for (const node of [...ancestorIds(inventory, targetId), targetId]) {
    for (const p of inventory.scpAttachments.get(node) ?? []) ids.add(p);
  }
  return [...ids];
}
