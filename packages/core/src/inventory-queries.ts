import { OrgwardenError } from "./errors.js";
import type { Inventory, OrgAccount, OrgUnit } from "./inventory.js";

export type Target =
  | { kind: "root" | "ou"; id: string; name: string; path: string; unit: OrgUnit }
  | { kind: "account"; id: string; name: string; path: string; account: OrgAccount };

const ID_PATTERN = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12})$/;

/**
 * Each inventory's accounts by id, made on first need: the report asks for an account's path six
 * times per account, and a scan of the list each time made 20,000 accounts cost 2.4 billion
 * comparisons. Keyed by the list itself, so a list replaced or grown is indexed again (the
 * accounts are objects the index shares: a moved account's new parent is seen); nothing is shared
 * between inventories, and an index goes with its list.
 */
const accountIndexes = new WeakMap<
  readonly OrgAccount[],
  { length: number; byId: Map<string, OrgAccount> }
>();

/** The account with this id in the inventory (the first, as a scan finds it), or undefined. */
export function accountById(inventory: Inventory, id: string): OrgAccount | undefined {
  const list = inventory.accounts;
  let index = accountIndexes.get(list);
  if (!index || index.length !== list.length) {
    const byId = new Map<string, OrgAccount>();
    for (const a of list) if (!byId.has(a.id)) byId.set(a.id, a);
    index = { length: list.length, byId };
    accountIndexes.set(list, index);
  }
  return index.byId.get(id);
}

/** The root, OU or account with this id, or undefined. */
export function findTarget(inventory: Inventory, id: string): Target | undefined {
  const unit = inventory.units.get(id);
  if (unit) return { kind: unit.kind, id, name: unit.name, path: unit.path, unit };
  const account = accountById(inventory, id);
  if (account)
    return { kind: "account", id, name: account.name, path: `${account.ouPath}/${account.name}`, account };
  return undefined;
}

/**
 * The target named by an id (`ou-…`, `r-…`, a 12-digit account id) or by a path of names from the
 * root (`Root/Workloads/Prod`, an account as `Root/Workloads/Prod/payments`). A malformed id is
 * INVALID_INPUT; an id or path not in the organization is NOT_FOUND, naming what exists there.
 */
export function requireTarget(inventory: Inventory, idOrPath: string): Target {
  if (ID_PATTERN.test(idOrPath)) {
    const target = findTarget(inventory, idOrPath);
    if (target) return target;
    throw new OrgwardenError(
      "NOT_FOUND",
      `no OU, root or account with id ${idOrPath} in organization ${inventory.organizationId}`,
      {
        hint: "List the organization with `orgwarden accounts --output table` and copy the OU id from there.",
      },
    );
  }
  const root = inventory.units.get(inventory.rootId);
  const looksLikePath = idOrPath.includes("/") || idOrPath.toLowerCase() === root?.name.toLowerCase();
  if (!looksLikePath) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `"${idOrPath}" is not a root, OU or account id, nor an OU path`,
      {
        hint: "Use an id like ou-ab12-cdef3456, r-ab12 or a 12-digit account id, or a path like Root/Workloads/Prod (see `orgwarden accounts`).",
      },
    );
  }
  return targetByPath(inventory, idOrPath.replace(/\/+$/, ""));
}

function targetByPath(inventory: Inventory, path: string): Target {
  const candidates: Target[] = [
    ...[...inventory.units.values()].map((u) => findTarget(inventory, u.id) as Target),
    ...inventory.accounts.map((a) => findTarget(inventory, a.id) as Target),
  ];
  const exact = candidates.filter((t) => t.path === path);
  const matches =
    exact.length > 0 ? exact : candidates.filter((t) => t.path.toLowerCase() === path.toLowerCase());
  if (matches.length === 1) return matches[0] as Target;
  if (matches.length > 1) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `the path ${path} is ambiguous: ${matches.map((t) => `${t.path} (${t.id})`).join(", ")}`,
      {
        hint: "Use the id of the one you mean instead of its path.",
      },
    );
  }
  // Name what exists below the deepest part of the path that does exist.
  const parts = path.split("/");
  let parent: Target | undefined;
  for (let n = parts.length - 1; n > 0 && !parent; n--) {
    const prefix = parts.slice(0, n).join("/").toLowerCase();
    parent = candidates.find((t) => t.kind !== "account" && t.path.toLowerCase() === prefix);
  }
  const children = parent?.kind === "account" || !parent ? [] : childNames(inventory, parent.id);
  throw new OrgwardenError(
    "NOT_FOUND",
    `no OU or account at path ${path} in organization ${inventory.organizationId}`,
    {
      hint: parent
        ? `${parent.path} holds: ${children.length ? children.join(", ") : "nothing"}. Paths start at the root (${inventory.units.get(inventory.rootId)?.name ?? "Root"}/…).`
        : `Paths start at the root: ${inventory.units.get(inventory.rootId)?.name ?? "Root"}/… (see \`orgwarden accounts --output table\`).`,
    },
  );
}

function childNames(inventory: Inventory, unitId: string): string[] {
  const unit = inventory.units.get(unitId);
  if (!unit) return [];
  return [
    ...unit.childOuIds.map((id) => inventory.units.get(id)?.name ?? id),
    ...inventory.accounts.filter((a) => a.parentId === unitId).map((a) => a.name),
  ].sort();
}

/** Ids from the root down to the target's parent (the nodes whose SCPs the target inherits). */
export function ancestorIds(inventory: Inventory, targetId: string): string[] {
  const out: string[] = [];
  const account = accountById(inventory, targetId);
  let current = account ? account.parentId : inventory.units.get(targetId)?.parentId;
  while (current) {
    out.unshift(current);
    current = inventory.units.get(current)?.parentId;
  }
  return out;
}

/**
 * aws:ResourceOrgPaths (and aws:PrincipalOrgPaths) of an account of the organization: the
 * organization id, then the root and every OU down to the account's parent, each followed by a
 * slash. Undefined for an account outside the organization.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgpaths
 */
export function orgPathOf(inventory: Inventory, account: string): string | undefined {
  if (!accountById(inventory, account)) return undefined;
  return `${[inventory.organizationId, ...ancestorIds(inventory, account)].join("/")}/`;
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
