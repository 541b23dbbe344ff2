import type { EvaluatedPolicy } from "../evaluate-scps.js";
import { asList, statementsOf } from "../policy-document.js";

/**
 * Condition keys a recorded event can show: the principal's and resource's keys orgwarden derives
 * from the event and the inventory, the region, MFA, the network, whether a service made the call.
 * A statement that tests any other key (tags, aws:SourceIdentity, a service's own keys…) decides on
 * something the events do not record. Lower-cased, as IAM compares key names.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export const OBSERVABLE_KEYS: ReadonlySet<string> = new Set(
  [
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalType",
    "aws:PrincipalIsAWSService",
    "aws:RequestedRegion",
    "aws:SecureTransport",
    "aws:ViaAWSService",
    "aws:MultiFactorAuthPresent",
    "aws:AssumedRoot",
    "aws:SourceIp",
    "aws:SourceVpce",
    "aws:SourceVpc",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
  ].map((k) => k.toLowerCase()),
);

/** A value no statement names, for "some other value" of a key (StringNotEquals and the like). */
export const OTHER_VALUE = "orgwarden-impact-other-value";

/**
 * For each key the policies test that events cannot show: the values worth trying — absent
 * (undefined), each literal the statements compare it with, and one value none of them names.
 * Whether a verdict hinges on such a key is then found by trying each value in turn.
 */
export function unobservableKeyVariants(
  policies: readonly EvaluatedPolicy[],
  observable: ReadonlySet<string> = OBSERVABLE_KEYS,
): Map<string, Array<string | undefined>> {
  const variants = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  for (const policy of policies) {
    for (const st of statementsOf(policy.document)) {
      for (const block of Object.values(st.Condition ?? {})) {
        for (const [key, raw] of Object.entries(block)) {
          const lower = key.toLowerCase();
          if (observable.has(lower)) continue;
          names.set(lower, names.get(lower) ?? key);
          const values = variants.get(lower) ?? new Set<string>();
          for (const v of asList(raw as string | string[])) values.add(String(v));
          variants.set(lower, values);
        }
      }
    }
  }
  const out = new Map<string, Array<string | undefined>>();
  for (const [lower, values] of variants) {
    out.set(names.get(lower) as string, [undefined, ...values, OTHER_VALUE]);
  }
  return out;
}
