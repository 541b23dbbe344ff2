import type { CallTuple } from "@orgwarden/activity";
import {
  type ChangeVerdict,
  judgeChange,
  type PolicyLevel,
  type PolicyTerms,
  requestUnknowns,
} from "@orgwarden/scp";
import type { ChangePaths } from "./change-paths.js";
import { type OrganizationSetting, tupleRequest } from "./tuple-request.js";

export interface Judged {
  tuple: CallTuple;
  verdict: ChangeVerdict;
  /** The principal's tags, when they were read to decide the verdict. */
  tags?: Record<string, string>;
}

/**
 * Each distinct call judged on its account's path before and after the change (`terms`: what the
 * change's policies compare requests with); calls of accounts outside the target (recorded in its
 * accounts) are counted, not judged.
 */
export function judgeTuples(
  tuples: readonly CallTuple[],
  paths: Pick<ChangePaths, "before" | "after">,
  org: OrganizationSetting,
  terms: PolicyTerms,
): { judged: Judged[]; outside: number; outsideEvents: number } {
  let outside = 0;
  let outsideEvents = 0;
  const judged: Judged[] = [];
  for (const tuple of tuples) {
    const before = paths.before.get(tuple.account);
    const after = paths.after.get(tuple.account);
    if (!before || !after) {
      outside += 1;
      outsideEvents += tuple.count;
      continue;
    }
    judged.push({ tuple, verdict: judge(before, after, tuple, org, terms, terms.unobservable) });
  }
  return { judged, outside, outsideEvents };
}

/**
 * The undetermined calls of IAM users, roles and root users whose verdict hangs only on
 * aws:PrincipalTag: their own tags, which IAM can tell (a user's request carries its tags; a role
 * session the role's, unless session tags override them — those are not recorded; the root user
 * has none). Identity Center and federated sessions carry session tags: they stay undetermined.
 */
export function hangingOnPrincipalTags(judged: readonly Judged[]): Judged[] {
  return judged.filter(
    (j) =>
      j.verdict.kind === "undetermined" &&
      j.verdict.keys.every((k) => k.toLowerCase().startsWith("aws:principaltag/")) &&
      (j.tuple.principalKind === "user" ||
        j.tuple.principalKind === "role" ||
        j.tuple.principalKind === "root"),
  );
}

/** Judges the calls again with their principals' tags known (`tags` by principal ARN). */
export function rejudgeWithTags(
  onTags: readonly Judged[],
  paths: Pick<ChangePaths, "before" | "after">,
  org: OrganizationSetting,
  terms: PolicyTerms,
  tags: ReadonlyMap<string, Record<string, string>>,
): void {
  const known = new Map(
    [...terms.unobservable].filter(([k]) => !k.toLowerCase().startsWith("aws:principaltag/")),
  );
  for (const j of onTags) {
    const principal = tags.get(j.tuple.principalArn);
    if (!principal) continue;
    j.tags = principal;
    j.verdict = judge(
      paths.before.get(j.tuple.account) as PolicyLevel[],
      paths.after.get(j.tuple.account) as PolicyLevel[],
      j.tuple,
      org,
      terms,
      known,
      principal,
    );
  }
}

/** One call judged: the change's keys no event shows (`variants`), then what this call leaves open. */
function judge(
  before: readonly PolicyLevel[],
  after: readonly PolicyLevel[],
  tuple: CallTuple,
  org: OrganizationSetting,
  terms: PolicyTerms,
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
  principalTags?: Record<string, string>,
): ChangeVerdict {
  return judgeChange(
    before,
    after,
    tupleRequest(tuple, org, principalTags),
    variants,
    requestUnknowns(terms, {
      keys: tuple.openKeys ?? [],
      resourceNamed: !tuple.resourceGuessed,
      account: tuple.account,
    }),
  );
}
