import { BlockList, isIPv4, isIPv6 } from "node:net";
import { matchesPattern, type PatternMode } from "./policy-pattern.js";
import type { KeyValue, RequestKeys } from "./request-keys.js";

/**
 * The condition operators of the IAM policy language, which SCPs accept in full since September 2025.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export interface ConditionOperator {
  name: string;
  set: "ForAnyValue" | "ForAllValues" | undefined;
  base: string;
  ifExists: boolean;
  /** StringNotEquals, NotIpAddress, ArnNotLike…: true when no policy value matches. */
  negated: boolean;
  /** Does one request value match one policy value (before negation)? */
  matches: (actual: string, expected: string, keys: RequestKeys) => boolean;
  /** Why a policy value cannot be used with this operator, if it cannot. */
  invalidValue: (expected: string) => string | undefined;
  /** Why AWS documents no reading of this comparison, if it does not (see Uncertain). */
  undocumented?: (actual: string, expected: string) => string | undefined;
}

/**
 * A comparison AWS's pages give no reading for (`ArnLike "*"`, an address operator on a value that is
 * no address, a multivalued key without a set operator). The evaluator then assumes the reading
 * under which a Deny applies and an Allow does not, so the lockout guard refuses a change it cannot
 * be sure of rather than approve it; `uncertain` says what was assumed.
 */
export interface Uncertain {
  uncertain: string;
}

export type ConditionVerdict = boolean | Uncertain;

type Family = Pick<ConditionOperator, "negated" | "matches" | "invalidValue" | "undocumented">;

const anyValue = () => undefined;

function pattern(mode: PatternMode, negated: boolean): Family {
  return {
    negated,
    matches: (actual, expected, keys) => matchesPattern(expected, mode, actual, keys),
    invalidValue: anyValue,
    ...(mode === "arn"
      ? {
          undocumented: (_a: string, e: string) =>
            e === "*"
              ? 'an ARN operator with the pattern "*", which has not the six ARN components'
              : undefined,
        }
      : {}),
  };
}

function numeric(cmp: (a: number, e: number) => boolean, negated = false): Family {
  return {
    negated,
    matches: (a, e) => {
      const x = parseNumber(a);
      return x !== undefined && cmp(x, parseNumber(e) as number);
    },
    invalidValue: (e) => (parseNumber(e) === undefined ? `"${e}" is not a number` : undefined),
  };
}

function date(cmp: (a: number, e: number) => boolean, negated = false): Family {
  return {
    negated,
    matches: (a, e) => {
      const x = parseDate(a);
      return x !== undefined && cmp(x, parseDate(e) as number);
    },
    invalidValue: (e) =>
      parseDate(e) === undefined ? `"${e}" is neither an ISO 8601 date nor epoch seconds` : undefined,
  };
}

function ip(negated: boolean): Family {
  return {
    negated,
    matches: (a, e) => ipInRange(a, e),
    invalidValue: (e) =>
      parseRange(e) === undefined ? `"${e}" is not an IPv4 or IPv6 address or CIDR range` : undefined,
    undocumented: (a) =>
      isIPv4(a) || isIPv6(a) ? undefined : `an address operator on "${a}", which is no IP address`,
  };
}

const bool: Family = {
  negated: false,
  matches: (a, e) => a.toLowerCase() === e.toLowerCase(),
  invalidValue: (e) => (/^(true|false)$/i.test(e) ? undefined : `"${e}" is not true or false`),
};

const FAMILIES: Record<string, Family> = {
  StringEquals: pattern("equals", false),
  StringNotEquals: pattern("equals", true),
  StringEqualsIgnoreCase: pattern("equals-ignore-case", false),
  StringNotEqualsIgnoreCase: pattern("equals-ignore-case", true),
  StringLike: pattern("like", false),
  StringNotLike: pattern("like", true),
  ArnEquals: pattern("arn", false),
  ArnLike: pattern("arn", false),
  ArnNotEquals: pattern("arn", true),
  ArnNotLike: pattern("arn", true),
  NumericEquals: numeric((a, e) => a === e),
  NumericNotEquals: numeric((a, e) => a === e, true),
  NumericLessThan: numeric((a, e) => a < e),
  NumericLessThanEquals: numeric((a, e) => a <= e),
  NumericGreaterThan: numeric((a, e) => a > e),
  NumericGreaterThanEquals: numeric((a, e) => a >= e),
  DateEquals: date((a, e) => a === e),
  DateNotEquals: date((a, e) => a === e, true),
  DateLessThan: date((a, e) => a < e),
  DateLessThanEquals: date((a, e) => a <= e),
  DateGreaterThan: date((a, e) => a > e),
  DateGreaterThanEquals: date((a, e) => a >= e),
  Bool: bool,
  BinaryEquals: { negated: false, matches: (a, e) => a === e, invalidValue: anyValue },
  IpAddress: ip(false),
  NotIpAddress: ip(true),
};

/** Parses an operator name, or says why it cannot be judged. */
export function parseConditionOperator(name: string): ConditionOperator | string {
  let rest = name;
  let set: ConditionOperator["set"];
  for (const prefix of ["ForAnyValue", "ForAllValues"] as const) {
    if (rest.startsWith(`${prefix}:`)) {
      set = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  if (rest === "Null") {
    if (set) return `${name}: Null takes no set operator`;
    return {
      name,
      set,
      base: "Null",
      ifExists: false,
      negated: false,
      matches: () => false,
      invalidValue: (e) => (/^(true|false)$/i.test(e) ? undefined : `"${e}" is not true or false`),
    };
  }
  const ifExists = rest.endsWith("IfExists");
  const base = ifExists ? rest.slice(0, -"IfExists".length) : rest;
  const family = FAMILIES[base];
  if (!family) return `unknown condition operator ${name}`;
  return { name, set, base, ifExists, ...family };
}

/**
 * One operator on one key. IAM's rules: several policy values are ORed (NORed for a negated
 * operator); an absent key fails a positive operator and passes a negated one, passes `…IfExists`
 * and `ForAllValues:`, fails `ForAnyValue:`; `Null` tests presence. Where AWS documents no reading,
 * the verdict is Uncertain.
 */
export function conditionHolds(
  op: ConditionOperator,
  value: KeyValue | undefined,
  expected: readonly string[],
  keys: RequestKeys,
): ConditionVerdict {
  // An empty set is an absent key: "if the key is not present in the request context".
  const actual =
    value === undefined || value.length === 0 ? undefined : typeof value === "string" ? [value] : value;
  if (op.base === "Null") {
    const wantAbsent = expected.some((v) => v.toLowerCase() === "true");
    return wantAbsent ? actual === undefined : actual !== undefined;
  }
  if (actual === undefined) {
    if (op.set === "ForAnyValue" && op.ifExists) {
      return { uncertain: `${op.name} on an absent key (IfExists says true, ForAnyValue says false)` };
    }
    if (op.ifExists || op.set === "ForAllValues") return true;
    if (op.set === "ForAnyValue") return false;
    return op.negated;
  }
  if (!op.set && typeof value !== "string") {
    return { uncertain: `${op.name} without ForAnyValue/ForAllValues on a multivalued key` };
  }
  for (const v of actual) {
    for (const e of expected) {
      const why = op.undocumented?.(v, e);
      if (why) return { uncertain: why };
    }
  }
  const positive = (v: string) => expected.some((e) => op.matches(v, e, keys));
  const holds = (v: string) => (op.negated ? !positive(v) : positive(v));
  if (op.set === "ForAllValues") return actual.every(holds);
  if (op.set === "ForAnyValue") return actual.some(holds);
  return holds(actual[0] as string);
}

function parseNumber(s: string): number | undefined {
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s)) return undefined;
  return Number(s);
}

/** ISO 8601 dates and times, or epoch seconds (aws:EpochTime). */
function parseDate(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

interface Range {
  type: "ipv4" | "ipv6";
  net: string;
  bits: number;
}

function parseRange(cidr: string): Range | undefined {
  const [net, bits, extra] = cidr.trim().split("/");
  if (!net || extra !== undefined) return undefined;
  const type = isIPv4(net) ? "ipv4" : isIPv6(net) ? "ipv6" : undefined;
  if (!type) return undefined;
  const max = type === "ipv4" ? 32 : 128;
  if (bits === undefined) return { type, net, bits: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return { type, net, bits: Number(bits) };
}

/** An address of the other family than the range, or a value that is no address at all, is outside. */
function ipInRange(ip: string, cidr: string): boolean {
  const range = parseRange(cidr);
  const type = isIPv4(ip) ? "ipv4" : isIPv6(ip) ? "ipv6" : undefined;
  if (!range || range.type !== type) return false;
  if (range.bits === 0) return true;
  const list = new BlockList();
  list.addSubnet(range.net, range.bits, range.type);
  return list.check(ip, range.type);
}
