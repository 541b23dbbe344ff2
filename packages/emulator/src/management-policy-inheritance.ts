/**
 * An account's effective management policy (tag, backup, S3, declarative EC2 …) from the documents
 * attached along its path, as AWS Organizations merges them: level by level from the root, each
 * setting's value-setting operator applied (`@@assign` replaces, `@@append` adds to a list, `@@remove`
 * takes from it; a plain value counts as `@@assign`), unless a level above limited the operators its
 * children may use there (`@@operators_allowed_for_child_policies`, `["@@none"]` locks the value).
 * The result carries no operators, as DescribeEffectivePolicy shows it. Written from AWS's page for
 * the emulator, independently of the policies orgwarden renders, so a test of one checks the other.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html
 */

const VALUE_OPERATORS = ["@@assign", "@@append", "@@remove"] as const;
const CHILD_CONTROL = "@@operators_allowed_for_child_policies";

interface Setting {
  value?: unknown;
  children: Map<string, Setting>;
  /** The operators lower levels may use here and below (undefined: all), as the levels above left it. */
  allowed?: ReadonlySet<string>;
  /** A limit written at the level being merged: it binds the levels below, not its own. */
  pending?: ReadonlySet<string>;
}

/**
 * `levels`: the documents attached to each level of the path, root first, the account last. Undefined
 * when nothing applies (no document, or documents that set nothing).
 */
export function effectivePolicyOf(
  levels: ReadonlyArray<ReadonlyArray<unknown>>,
): Record<string, unknown> | undefined {
  const root: Setting = { children: new Map() };
  for (const documents of levels) {
    for (const doc of documents) if (isObject(doc)) mergeInto(root, doc, undefined);
    commitLimits(root);
  }
  const out = plain(root);
  return isObject(out) && Object.keys(out).length > 0 ? out : undefined;
}

function mergeInto(
  setting: Setting,
  doc: Record<string, unknown>,
  inherited: ReadonlySet<string> | undefined,
) {
  const allowed = intersect(inherited, setting.allowed);
  for (const op of VALUE_OPERATORS) {
    if (!(op in doc) || (allowed && !allowed.has(op))) continue;
    const given = doc[op];
    if (op === "@@assign") setting.value = given;
    else if (op === "@@append") setting.value = [...new Set([...asList(setting.value), ...asList(given)])];
    else setting.value = asList(setting.value).filter((v) => !asList(given).includes(v));
  }
  const limit = doc[CHILD_CONTROL];
  if (Array.isArray(limit))
    setting.pending = limit.includes("@@all")
      ? undefined
      : new Set(limit.filter((l): l is string => typeof l === "string" && l !== "@@none"));
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith("@@")) continue;
    let child = setting.children.get(key);
    if (!child) {
      child = { children: new Map() };
      setting.children.set(key, child);
    }
    if (isObject(value)) mergeInto(child, value, allowed);
    else mergeInto(child, { "@@assign": value }, allowed);
  }
}

/** The limits a level wrote take effect for the levels below it. */
function commitLimits(setting: Setting): void {
  if (setting.pending !== undefined) setting.allowed = intersect(setting.allowed, setting.pending);
  setting.pending = undefined;
  for (const child of setting.children.values()) commitLimits(child);
}

function plain(setting: Setting): unknown {
  if (setting.value !== undefined) return setting.value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of setting.children) {
    const value = plain(child);
    if (value !== undefined) out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function intersect(
  a: ReadonlySet<string> | undefined,
  b: ReadonlySet<string> | undefined,
): ReadonlySet<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter((x) => b.has(x)));
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
