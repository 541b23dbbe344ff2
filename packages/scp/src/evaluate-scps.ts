import { OrgwardenError } from "@orgwarden/core";
import {
  type ConditionOperator,
  type ConditionVerdict,
  conditionHolds,
  parseConditionOperator,
  type Uncertain,
} from "./condition-operators.js";
import { asList, type PolicyDocument, type Statement, statementsOf } from "./policy-document.js";
import { matchesPattern } from "./policy-pattern.js";
import { type KeyValue, lookupKey, type RequestKeys, toRequestKeys } from "./request-keys.js";

/** One request to judge: what is asked, on what, with which condition keys present. */
export interface ProbeRequest {
  action: string;
  resource: string;
  /**
   * Condition keys present in the request (an absent key is simply not listed); a multivalued key
   * such as `aws:TagKeys` holds a list. Names are case-insensitive.
   */
  keys: Readonly<Record<string, KeyValue>>;
}

export interface EvaluatedPolicy {
  name: string;
  document: PolicyDocument;
  /** Managed by orgwarden (or about to be attached by this plan). */
  managed: boolean;
}

/** The SCPs attached directly at one node of the path from the root to the target. */
export interface PolicyLevel {
  nodeId: string;
  nodePath: string;
  policies: EvaluatedPolicy[];
}

export type ScpDecision =
  | {
      effect: "ALLOW";
      exempt?: "service-linked-role";
      /** Set when AWS's policy simulator allows what orgwarden's evaluator denies (see aws-simulator/). */
      engine?: "aws";
    }
  | {
      effect: "DENY";
      by: "explicit-deny";
      policy: string;
      sid: string | undefined;
      managed: boolean;
      nodePath: string;
      /** Set when the Deny applies only under orgwarden's assumed reading of an undocumented case. */
      assumed?: string;
    }
  | { effect: "DENY"; by: "no-allow"; nodePath: string; assumed?: string }
  | {
      /** AWS's policy simulator denies what orgwarden's evaluator allows: it names no statement. */
      effect: "DENY";
      by: "aws-simulator";
      decision: "explicitDeny" | "implicitDeny";
      nodePath: string;
      assumed?: undefined;
    };

/**
 * Service-linked roles are never subject to SCPs: "SCPs do not affect any service-linked role".
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
const SERVICE_LINKED_ROLE = /^arn:[^:]+:iam::\d{12}:role\/aws-service-role\//;

/**
 * SCP evaluation along an account's path: an explicit Deny in any SCP on the path denies; otherwise
 * every level (root, each OU, the account) must have at least one SCP with a matching Allow.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policies.html
 */
export function evaluateScps(levels: readonly PolicyLevel[], request: ProbeRequest): ScpDecision {
  const keys = toRequestKeys(request.keys);
  const principal = lookupKey(keys, "aws:PrincipalArn");
  if (typeof principal === "string" && SERVICE_LINKED_ROLE.test(principal)) {
    return { effect: "ALLOW", exempt: "service-linked-role" };
  }
  for (const level of levels) {
    for (const policy of level.policies) {
      for (const [index, st] of statementsOf(policy.document).entries()) {
        if (st.Effect !== "Deny") continue;
        const verdict = judged(policy, index, st, request, keys);
        if (verdict === false) continue;
        return {
          effect: "DENY",
          by: "explicit-deny",
          policy: policy.name,
          sid: st.Sid,
          managed: policy.managed,
          nodePath: level.nodePath,
          ...(verdict === true ? {} : { assumed: verdict.uncertain }),
        };
      }
    }
  }
  for (const level of levels) {
    let assumed: string | undefined;
    const allowed = level.policies.some((p) =>
      statementsOf(p.document).some((st, index) => {
        if (st.Effect !== "Allow") return false;
        const verdict = judged(p, index, st, request, keys);
        if (typeof verdict === "object") assumed ??= verdict.uncertain;
        return verdict === true;
      }),
    );
    if (!allowed) {
      return { effect: "DENY", by: "no-allow", nodePath: level.nodePath, ...(assumed ? { assumed } : {}) };
    }
  }
  return { effect: "ALLOW" };
}

function judged(
  policy: EvaluatedPolicy,
  index: number,
  st: Statement,
  request: ProbeRequest,
  keys: RequestKeys,
): ConditionVerdict {
  const problem = statementProblems(st)[0];
  if (problem) throw cannotEvaluate(policy.name, index, st, problem);
  return statementApplies(st, request, keys);
}

/**
 * Does the statement apply to the request? True, false, or Uncertain when it hangs on a comparison
 * AWS documents no reading for (a Deny is then taken to apply, an Allow not). Its conditions must
 * be judgeable (see statementProblems).
 */
export function statementApplies(
  st: Statement,
  request: ProbeRequest,
  keys: RequestKeys = toRequestKeys(request.keys),
): ConditionVerdict {
  const actionHit = st.Action
    ? asList(st.Action).some((p) => matchesPattern(p, "action", request.action, undefined))
    : !asList(st.NotAction).some((p) => matchesPattern(p, "action", request.action, undefined));
  if (!actionHit) return false;
  if (
    st.Resource !== undefined &&
    !asList(st.Resource).some((p) => matchesPattern(p, "resource", request.resource, keys))
  )
    return false;
  if (
    st.NotResource !== undefined &&
    asList(st.NotResource).some((p) => matchesPattern(p, "resource", request.resource, keys))
  )
    return false;
  let uncertain: Uncertain | undefined;
  for (const [name, block] of Object.entries(st.Condition ?? {})) {
    const op = parseConditionOperator(name) as ConditionOperator;
    for (const [key, raw] of Object.entries(block)) {
      const verdict = conditionHolds(op, lookupKey(keys, key), conditionValues(raw), keys);
      if (verdict === false) return false;
      if (verdict !== true) uncertain ??= { uncertain: `${verdict.uncertain} (${key})` };
    }
  }
  return uncertain ?? true;
}

/**
 * What in a statement the evaluator cannot judge: an unknown operator, or a value the operator
 * cannot take (a malformed CIDR, a date that is not one). Empty when the statement is fine.
 */
export function statementProblems(st: Statement): string[] {
  let known = PROBLEMS.get(st);
  if (!known) {
    known = findProblems(st);
    PROBLEMS.set(st, known);
  }
  return known;
}

/** A statement is judged for every probe request: its problems are found once per statement object. */
const PROBLEMS = new WeakMap<Statement, string[]>();

function findProblems(st: Statement): string[] {
  const problems: string[] = [];
  for (const [name, block] of Object.entries(st.Condition ?? {})) {
    const op = parseConditionOperator(name);
    if (typeof op === "string") {
      problems.push(op);
      continue;
    }
    for (const [key, raw] of Object.entries(block)) {
      for (const v of conditionValues(raw)) {
        const why = op.invalidValue(v);
        if (why) problems.push(`${name} on ${key}: ${why}`);
      }
    }
  }
  return problems;
}

/** Every problem of every statement of a document, each naming its statement. */
export function policyProblems(document: PolicyDocument): string[] {
  return statementsOf(document).flatMap((st, i) =>
    statementProblems(st).map((p) => `statement ${statementLabel(st, i)}: ${p}`),
  );
}

function conditionValues(raw: unknown): string[] {
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

function statementLabel(st: Statement, index: number): string {
  return st.Sid ? `${st.Sid} (#${index + 1})` : `#${index + 1}`;
}

function cannotEvaluate(policy: string, index: number, st: Statement, problem: string): OrgwardenError {
  return new OrgwardenError(
    "INVALID_INPUT",
    `the lockout guard cannot evaluate SCP ${policy}, statement ${statementLabel(st, index)}: ${problem}`,
    {
      hint: "orgwarden refuses to change SCPs on a path it cannot evaluate. Fix that statement in the policy named above (AWS would reject or misread it too), then run again. Nothing was changed.",
      details: { policy, statement: st.Sid ?? index + 1, problem },
    },
  );
}
