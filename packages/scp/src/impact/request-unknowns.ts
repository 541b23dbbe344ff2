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

/** What the policies of a change compare requests with, read once per change. */
export interface PolicyTerms {
  /** The keys events cannot show, each tried alone: see unobservableKeyVariants. */
  unobservable: Map<string, Array<string | undefined>>;
  /** Each literal the statements compare a key with, by lower-cased key. */
  literals: ReadonlyMap<string, readonly string[]>;
}

export function policyTerms(policies: readonly EvaluatedPolicy[]): PolicyTerms {
  const literals = new Map<string, Set<string>>();
  for (const policy of policies) {
    for (const st of statementsOf(policy.document)) {
      for (const [operator, block] of Object.entries(st.Condition ?? {})) {
        // Null compares presence, not a value.
        if (operator === "Null") continue;
        for (const [key, raw] of Object.entries(block)) {
          const values = literals.get(key.toLowerCase()) ?? new Set<string>();
          for (const v of asList(raw as string | string[])) values.add(String(v));
          literals.set(key.toLowerCase(), values);
        }
      }
    }
  }
  return {
    unobservable: unobservableKeyVariants(policies),
    literals: new Map([...literals].map(([k, v]) => [k, [...v]])),
  };
}

/** What one recorded request leaves open, beyond the change's keys no event shows. */
export interface RequestUnknowns {
  /**
   * Keys the request carries (or may carry) with a value the event does not show, and the values
   * worth trying for each; every combination is tried, as they vary together.
   */
  keys?: ReadonlyMap<string, ReadonlyArray<string | undefined>>;
}

/**
 * The values worth trying for each key a recorded request leaves open (`open`, as the activity
 * package names them for an event):
 * - aws:SourceVpc, over a VPC endpoint: present whatever the VPC, so each VPC the policies name and
 *   one they do not, never absent.
 */
export function requestUnknowns(terms: PolicyTerms, open: { keys: readonly string[] }): RequestUnknowns {
  if (open.keys.length === 0) return {};
  const keys = new Map<string, Array<string | undefined>>();
  for (const key of open.keys) keys.set(key, openKeyValues(terms, key));
  return { keys };
}

function openKeyValues(terms: PolicyTerms, key: string): Array<string | undefined> {
  const named = terms.literals.get(key.toLowerCase()) ?? [];
  if (key.toLowerCase() === "aws:sourcevpc") return [...named, OTHER_VALUE];
  return [undefined, ...named, OTHER_VALUE];
}
