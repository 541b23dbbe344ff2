import { type PolicyLevel, type ProbeRequest, type ScpDecision, statementApplies } from "./evaluate-scps.js";
import { type Statement, statementsOf } from "./policy-document.js";
import { type KeyValue, lookupKey, toRequestKeys } from "./request-keys.js";

/** A condition key a statement tests, with the value the request had for it. */
export interface ConditionKeyValue {
  /** As the statement spells it. */
  key: string;
  /** The operators that test it (`BoolIfExists`, `ArnNotLike`, …), in the statement's order. */
  operators: string[];
  /** The request's value; undefined when the request does not carry the key. */
  value: KeyValue | undefined;
}

/** The statement behind an explicit Deny, found again on the levels the decision was made on. */
export interface DecidingStatement {
  nodePath: string;
  policy: string;
  sid: string | undefined;
  /** 0-based position of the statement in its policy. */
  index: number;
  statement: Statement;
  conditionKeys: ConditionKeyValue[];
}

/**
 * Which statement denied the request, and what its condition keys were in the request: the level
 * the decision names, its policy by name, and that policy's first Deny statement that applies (as
 * evaluateScps picks it). Undefined for an allow or a denial no statement makes (no Allow at a
 * level, AWS's simulator).
 */
export function explainDecision(
  levels: readonly PolicyLevel[],
  request: ProbeRequest,
  decision: ScpDecision,
): DecidingStatement | undefined {
  if (decision.effect !== "DENY" || decision.by !== "explicit-deny") return undefined;
  const policy = levels
    .find((l) => l.nodePath === decision.nodePath)
    ?.policies.find((p) => p.name === decision.policy);
  if (!policy) return undefined;
  const keys = toRequestKeys(request.keys);
  for (const [index, st] of statementsOf(policy.document).entries()) {
    // An uncertain verdict is a Deny that applies, as evaluateScps takes it.
    if (st.Effect !== "Deny" || statementApplies(st, request, keys) === false) continue;
    return {
      nodePath: decision.nodePath,
      policy: policy.name,
      sid: st.Sid,
      index,
      statement: st,
      conditionKeys: conditionKeys(st).map(({ key, operators }) => ({
        key,
        operators,
        value: lookupKey(keys, key),
      })),
    };
  }
  return undefined;
}

/** Every condition key of a statement once (names compared as IAM does, ignoring case). */
function conditionKeys(st: Statement): Array<{ key: string; operators: string[] }> {
  const byName = new Map<string, { key: string; operators: string[] }>();
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    for (const key of Object.keys(block)) {
      const seen = byName.get(key.toLowerCase());
      if (seen) seen.operators.push(operator);
      else byName.set(key.toLowerCase(), { key, operators: [operator] });
    }
  }
  return [...byName.values()];
}
