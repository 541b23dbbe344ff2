import { BlockList, isIPv4, isIPv6 } from "node:net";
import { OrgwardenError } from "@orgwarden/core";
import { asList, type PolicyDocument, type Statement, statementsOf } from "./policy-document.js";

/** One request to judge: what is asked, on what, with which condition keys present. */
export interface ProbeRequest {
  action: string;
  resource: string;
  /** Condition keys present in the request; an absent key is simply not listed. Names are case-insensitive. */
  keys: Record<string, string>;
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
  | { effect: "ALLOW" }
  | {
      effect: "DENY";
      by: "explicit-deny";
      policy: string;
      sid: string | undefined;
      managed: boolean;
      nodePath: string;
    }
  | { effect: "DENY"; by: "no-allow"; nodePath: string };

/**
 * SCP evaluation along an account's path: an explicit Deny in any SCP on the path denies; otherwise
 * every level (root, each OU, the account) must have at least one SCP with a matching Allow.
 */
export function evaluateScps(levels: readonly PolicyLevel[], request: ProbeRequest): ScpDecision {
  const keys = lowerKeys(request.keys);
  for (const level of levels) {
    for (const policy of level.policies) {
      for (const st of statementsOf(policy.document)) {
        if (st.Effect === "Deny" && statementMatches(st, request, keys)) {
          return {
            effect: "DENY",
            by: "explicit-deny",
            policy: policy.name,
            sid: st.Sid,
            managed: policy.managed,
            nodePath: level.nodePath,
          };
        }
      }
    }
  }
  for (const level of levels) {
    const allowed = level.policies.some((p) =>
      statementsOf(p.document).some((st) => st.Effect === "Allow" && statementMatches(st, request, keys)),
    );
    if (!allowed) return { effect: "DENY", by: "no-allow", nodePath: level.nodePath };
  }
  return { effect: "ALLOW" };
}

export function statementMatches(
  st: Statement,
  request: ProbeRequest,
  keys = lowerKeys(request.keys),
): boolean {
  const actionHit = st.Action
    ? asList(st.Action).some((p) => globMatch(p, request.action, true))
    : !asList(st.NotAction).some((p) => globMatch(p, request.action, true));
  if (!actionHit) return false;
  if (st.Resource !== undefined && !asList(st.Resource).some((p) => globMatch(p, request.resource, false)))
    return false;
  if (
    st.NotResource !== undefined &&
    asList(st.NotResource).some((p) => globMatch(p, request.resource, false))
  )
    return false;
  for (const [operator, block] of Object.entries(st.Condition ?? {})) {
    for (const [key, raw] of Object.entries(block)) {
      const values = (Array.isArray(raw) ? raw : [raw]).map(String);
      if (!conditionHolds(operator, keys[key.toLowerCase()], values)) return false;
    }
  }
  return true;
}

type Matcher = (actual: string, expected: string) => boolean;

const MATCHERS: Record<string, Matcher> = {
  StringEquals: (a, e) => a === e,
  StringEqualsIgnoreCase: (a, e) => a.toLowerCase() === e.toLowerCase(),
  StringLike: (a, e) => globMatch(e, a, false),
  ArnEquals: (a, e) => arnMatch(e, a),
  ArnLike: (a, e) => arnMatch(e, a),
  Bool: (a, e) => a.toLowerCase() === e.toLowerCase(),
  IpAddress: (a, e) => ipInCidr(a, e),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
  NotIpAddress: "IpAddress",
};

/**
 * One condition operator on one key. IAM semantics: an absent key fails a positive operator, passes a
 * negated one, and passes anything with the IfExists suffix; values of one key are ORed (NORed for
 * negated operators). Operators the guard does not know are refused, never guessed.
 */
export function conditionHolds(operator: string, actual: string | undefined, values: string[]): boolean {
  if (operator === "Null") {
    const wantAbsent = values.some((v) => v.toLowerCase() === "true");
    return wantAbsent ? actual === undefined : actual !== undefined;
  }
  const ifExists = operator.endsWith("IfExists");
  const base = ifExists ? operator.slice(0, -"IfExists".length) : operator;
  const positive = NEGATED[base] ?? base;
  const matcher = MATCHERS[positive];
  if (!matcher || base.startsWith("ForAnyValue:") || base.startsWith("ForAllValues:")) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `the lockout guard cannot evaluate the condition operator ${operator}`,
      {
        hint: "Use the String*, Arn*, Bool, Null and IpAddress operators (and their IfExists forms) in orgwarden's SCPs.",
      },
    );
  }
  if (actual === undefined) return ifExists || base in NEGATED;
  const anyMatch = values.some((v) => matcher(actual, v));
  return base in NEGATED ? !anyMatch : anyMatch;
}

/** IAM wildcard match: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

/** ArnLike: each of the six colon-separated parts is matched on its own, so `*` never spans a colon. */
export function arnMatch(pattern: string, arn: string): boolean {
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return globMatch(pattern, arn, false);
  return p.every((part, i) => globMatch(part, a[i] ?? "", false));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split("/");
  if (!net) return false;
  const type = isIPv4(net) ? "ipv4" : isIPv6(net) ? "ipv6" : undefined;
  const ipType = isIPv4(ip) ? "ipv4" : isIPv6(ip) ? "ipv6" : undefined;
  if (!type || type !== ipType) return false;
  const list = new BlockList();
  list.addSubnet(net, bits === undefined ? (type === "ipv4" ? 32 : 128) : Number(bits), type);
  return list.check(ip, type);
}

function lowerKeys(keys: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
}
