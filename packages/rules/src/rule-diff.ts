/**
 * The parts of an AWS Config managed rule that orgwarden sets, and so compares: one shape for a
 * rule in an account (PutConfigRule) and an organization rule (PutOrganizationConfigRule).
 * https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigRule.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_PutOrganizationConfigRule.html
 */
export interface RuleFields {
  /** The managed rule's identifier (SourceIdentifier, RuleIdentifier). */
  identifier: string | undefined;
  /** InputParameters as AWS takes them: a JSON object, as a string. */
  inputParameters: string | undefined;
  maximumExecutionFrequency: string | undefined;
  /** The resource types the rule is scoped to. */
  resourceTypes: readonly string[] | undefined;
  /** Organization rules only: the accounts the rule does not go to. */
  excludedAccounts?: readonly string[] | undefined;
}

/** What a deployment does to one rule; `changed` names, in words, what differs. */
export type RuleDiff =
  | { action: "create" }
  | { action: "update"; changed: string[] }
  | { action: "unchanged" }
  | { action: "delete" };

/** What a plan does to one rule in one place: what the diff says, or skipped (with the reason why). */
export type RuleAction = RuleDiff["action"] | "skipped";

/** Every action, in the order a summary lists them. */
export const RULE_ACTIONS = [
  "create",
  "update",
  "unchanged",
  "delete",
  "skipped",
] as const satisfies readonly RuleAction[];

/** The actions that write to AWS (PutConfigRule, DeleteConfigRule, and their organization forms). */
export function isRuleWrite(action: RuleAction): boolean {
  return action === "create" || action === "update" || action === "delete";
}

/** How many steps of each action, and `changes`: those that write. */
export type RuleActionCounts = Record<RuleAction, number> & { changes: number };

/**
 * The one count of a rule plan's steps, for accounts and organization plans, the run and the
 * commands alike.
 */
export function countRuleActions(steps: Iterable<{ action: RuleAction }>): RuleActionCounts {
  const counts: RuleActionCounts = { create: 0, update: 0, unchanged: 0, delete: 0, skipped: 0, changes: 0 };
  for (const s of steps) {
    counts[s.action] += 1;
    if (isRuleWrite(s.action)) counts.changes += 1;
  }
  return counts;
}

/**
 * Desired rule against the rule AWS has (undefined: none, or not wanted): create, update,
 * unchanged or delete; undefined when there is neither. Reads nothing.
 */
export function diffRule(
  desired: RuleFields | undefined,
  existing: RuleFields | undefined,
): RuleDiff | undefined {
  if (!desired) return existing ? { action: "delete" } : undefined;
  if (!existing) return { action: "create" };
  const changed = changedFields(existing, desired);
  return changed.length > 0 ? { action: "update", changed } : { action: "unchanged" };
}

/** What differs between a deployed rule and the catalog, in words; empty when nothing does. */
function changedFields(current: RuleFields, want: RuleFields): string[] {
  const out: string[] = [];
  if (current.identifier !== want.identifier) out.push("source identifier");
  if (!sameParams(current.inputParameters, want.inputParameters)) out.push("input parameters");
  if ((current.maximumExecutionFrequency ?? undefined) !== (want.maximumExecutionFrequency ?? undefined)) {
    out.push("execution frequency");
  }
  if (!sameSet(current.resourceTypes, want.resourceTypes)) out.push("scope");
  if (!sameSet(current.excludedAccounts, want.excludedAccounts)) out.push("excluded accounts");
  return out;
}

function sameSet(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return [...(a ?? [])].sort().join(",") === [...(b ?? [])].sort().join(",");
}

/** The same parameters, whatever their order; values compared as strings (AWS's are strings). */
function sameParams(a: string | undefined, b: string | undefined): boolean {
  const parse = (s: string | undefined): Record<string, unknown> => {
    if (!s) return {};
    try {
      return JSON.parse(s) as Record<string, unknown>;
    } catch {
      return { __raw: s };
    }
  };
  const x = parse(a);
  const y = parse(b);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) if (String(x[k]) !== String(y[k])) return false;
  return true;
}
