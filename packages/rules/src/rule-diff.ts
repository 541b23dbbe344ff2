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
