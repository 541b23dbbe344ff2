import { BlockList, isIPv4, isIPv6 } from "node:net";
import type { EvaluatedPolicy } from "../evaluate-scps.js";
import { asList, statementsOf } from "../policy-document.js";
import { OTHER_VALUE, unobservableKeyVariants } from "./key-variants.js";

/**
 * The value a request as recorded carries for aws:SourceVpc when it came over a VPC endpoint: AWS
 * sets the key on every such request, and no field of a CloudTrail record names the VPC. It names
 * no VPC a policy can list (a VPC id is `vpc-` and hexadecimal digits).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc
 */
export const UNRECORDED_VPC = "vpc-unrecorded";

/** What a verdict that hangs on the resource of a call whose event names none hangs on. */
export const UNNAMED_RESOURCE = "resource (the event names none)";

/** What the policies of a change compare requests with, read once per change. */
export interface PolicyTerms {
  /** The keys events cannot show, each tried alone: see unobservableKeyVariants. */
  unobservable: Map<string, Array<string | undefined>>;
  /** Each literal the statements compare a key with, by lower-cased key. */
  literals: ReadonlyMap<string, readonly string[]>;
  /** An address outside every range the statements name (undefined when they cover them all). */
  addressOutside: string | undefined;
  /** The Resource and NotResource patterns of the Deny statements, other than `*`. */
  denyResources: readonly string[];
}

/**
 * Addresses an AWS service's call might come from, tried in turn for one no range holds: the
 * documentation ranges (RFC 5737, RFC 3849), then one address in each /8.
 */
const OUTSIDE_CANDIDATES = [
  "192.0.2.1",
  "198.51.100.1",
  "203.0.113.1",
  "2001:db8::1",
  ...Array.from({ length: 223 }, (_, i) => `${i + 1}.1.2.3`),
];

export function policyTerms(policies: readonly EvaluatedPolicy[]): PolicyTerms {
  const literals = new Map<string, Set<string>>();
  const ranges = new BlockList();
  const resources = new Set<string>();
  for (const policy of policies) {
    for (const st of statementsOf(policy.document)) {
      if (st.Effect === "Deny")
        for (const r of [...asList(st.Resource), ...asList(st.NotResource)]) if (r !== "*") resources.add(r);
      for (const [operator, block] of Object.entries(st.Condition ?? {})) {
        // Null compares presence, not a value.
        if (operator === "Null") continue;
        for (const [key, raw] of Object.entries(block)) {
          const values = literals.get(key.toLowerCase()) ?? new Set<string>();
          for (const v of asList(raw as string | string[])) {
            values.add(String(v));
            if (/IpAddress/.test(operator)) addRange(ranges, String(v));
          }
          literals.set(key.toLowerCase(), values);
        }
      }
    }
  }
  return {
    unobservable: unobservableKeyVariants(policies),
    literals: new Map([...literals].map(([k, v]) => [k, [...v]])),
    addressOutside: OUTSIDE_CANDIDATES.find((a) => !ranges.check(a, isIPv4(a) ? "ipv4" : "ipv6")),
    denyResources: [...resources],
  };
}

/** A CIDR range or an address of an IP operator; a value that is neither is left out (the evaluator refuses it). */
function addRange(ranges: BlockList, value: string): void {
  const [net = "", bits] = value.trim().split("/");
  const type = isIPv4(net) ? "ipv4" : isIPv6(net) ? "ipv6" : undefined;
  if (!type) return;
  const prefix = bits === undefined ? (type === "ipv4" ? 32 : 128) : Number(bits);
  if (Number.isInteger(prefix) && prefix >= 0 && prefix <= (type === "ipv4" ? 32 : 128))
    ranges.addSubnet(net, prefix, type);
}

/** What one recorded request leaves open, beyond the change's keys no event shows. */
export interface RequestUnknowns {
  /**
   * Keys the request carries (or may carry) with a value the event does not show, and the values
   * worth trying for each; every combination is tried, as they vary together.
   */
  keys?: ReadonlyMap<string, ReadonlyArray<string | undefined>>;
  /** Resources tried, one by one, in place of the `*` that stands for the one an event does not name. */
  resources?: readonly string[];
}

/**
 * What a recorded request leaves open, and what is worth trying for it:
 * - the keys the activity package names open for its event (`keys`):
 *   - aws:SourceVpc, over a VPC endpoint: present whatever the VPC, so each VPC the policies name
 *     and one they do not, never absent;
 *   - aws:ViaAWSService, for a service's call that may have been made as its service role: true, false;
 *   - aws:SourceIp, for a service's call: absent, or an address outside every range the policies name;
 * - the resource, when the event names none (`resourceNamed` false): each resource pattern of the
 *   policies' Deny statements made concrete, in the caller's `account` where the pattern leaves the
 *   account open (`arn:aws:iam::*:role/BreakGlass` is tried as the caller's own BreakGlass role).
 */
export function requestUnknowns(
  terms: PolicyTerms,
  open: { keys: readonly string[]; resourceNamed: boolean; account: string },
): RequestUnknowns {
  const unknowns: RequestUnknowns = {};
  if (open.keys.length > 0) unknowns.keys = new Map(open.keys.map((key) => [key, openKeyValues(terms, key)]));
  if (!open.resourceNamed && terms.denyResources.length > 0)
    unknowns.resources = terms.denyResources.map((pattern) => concreteResource(pattern, open.account));
  return unknowns;
}

/** A resource the pattern matches: the account where it is open, `x` for every other wildcard. */
function concreteResource(pattern: string, account: string): string {
  const parts = pattern.split(":");
  if (parts[0] === "arn" && parts.length >= 6 && /[*?]/.test(parts[4] as string)) parts[4] = account;
  return parts.join(":").replace(/[*?]/g, "x");
}

function openKeyValues(terms: PolicyTerms, key: string): Array<string | undefined> {
  const named = terms.literals.get(key.toLowerCase()) ?? [];
  switch (key.toLowerCase()) {
    case "aws:sourcevpc":
      return [...named, OTHER_VALUE];
    case "aws:viaawsservice":
      return ["true", "false"];
    case "aws:sourceip":
      return [undefined, ...(terms.addressOutside ? [terms.addressOutside] : [])];
    default:
      return [undefined, ...named, OTHER_VALUE];
  }
}
