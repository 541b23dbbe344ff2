import type { CallTuple } from "@orgwarden/activity";
import type { ChangeVerdict, ConditionKeyValue, ScpDecision } from "@orgwarden/scp";

/** One line of the impact table: a principal's calls of one action in one account and region. */
export interface ImpactRow {
  principalArn: string;
  principalKind: CallTuple["principalKind"];
  action: string;
  account: string;
  accountName: string | undefined;
  region: string;
  /** Events, over every tuple of the row (addresses, resources, MFA may differ between them). */
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** Up to three event ids to look the calls up in CloudTrail. */
  sampleEventIds: string[];
  /** explicit-deny: a Deny statement; no-allow: a level where no SCP allows the action. */
  by: "explicit-deny" | "no-allow" | undefined;
  /** The deciding policy, its Sid, and the root, OU or account it is attached to. */
  policy: string | undefined;
  sid: string | undefined;
  nodePath: string | undefined;
  /** The deciding statement's condition keys, with the first tuple's values (undefined: absent). */
  conditionKeys: ConditionKeyValue[];
  /** For an undetermined row: the keys the events cannot show that the verdict hangs on. */
  undeterminedKeys: string[];
  /** As recorded: true when some call carried MFA, false when some carried none, absent for long-term keys. */
  mfa: Array<boolean | "absent">;
  sourceIps: string[];
  sourceVpces: string[];
  viaAwsService: boolean;
  /** Up to three resources; `*` when an event named none. */
  resources: string[];
  /** Events of the row that AWS already recorded as denied (by something else). */
  recordedDenials: number;
}

const MAX_LISTED = 3;

/**
 * The table's rows: tuples merged by principal, action, account, region and deciding statement,
 * biggest count first (then principal, action, account, region, so the order is stable).
 */
export function impactRows(
  judged: ReadonlyArray<{ tuple: CallTuple; verdict: ChangeVerdict }>,
  accountName: (id: string) => string | undefined,
): ImpactRow[] {
  const rows = new Map<string, ImpactRow>();
  for (const { tuple, verdict } of judged) {
    const decided = decisionOf(verdict);
    const statement =
      verdict.kind === "newly-denied" || verdict.kind === "undetermined" ? verdict.statement : undefined;
    const policy =
      statement?.policy ??
      (decided?.effect === "DENY" && decided.by === "explicit-deny" ? decided.policy : undefined);
    const key = [tuple.principalArn, tuple.action, tuple.account, tuple.region, policy, statement?.sid].join(
      "|",
    );
    let row = rows.get(key);
    if (!row) {
      row = {
        principalArn: tuple.principalArn,
        principalKind: tuple.principalKind,
        action: tuple.action,
        account: tuple.account,
        accountName: accountName(tuple.account),
        region: tuple.region,
        count: 0,
        firstSeen: tuple.firstSeen,
        lastSeen: tuple.lastSeen,
        sampleEventIds: [],
        by:
          decided?.effect === "DENY" && decided.by !== "aws-simulator"
            ? decided.by
            : statement
              ? "explicit-deny"
              : undefined,
        policy,
        sid: statement?.sid,
        nodePath: statement?.nodePath ?? (decided?.effect === "DENY" ? decided.nodePath : undefined),
        conditionKeys: statement?.conditionKeys ?? [],
        undeterminedKeys: verdict.kind === "undetermined" ? [...verdict.keys] : [],
        mfa: [],
        sourceIps: [],
        sourceVpces: [],
        viaAwsService: tuple.viaAwsService,
        resources: [],
        recordedDenials: 0,
      };
      rows.set(key, row);
    }
    row.count += tuple.count;
    if (tuple.firstSeen < row.firstSeen) row.firstSeen = tuple.firstSeen;
    if (tuple.lastSeen > row.lastSeen) row.lastSeen = tuple.lastSeen;
    addUpTo(row.sampleEventIds, tuple.sampleEventIds);
    addUpTo(row.mfa, [tuple.mfa ?? "absent"]);
    if (tuple.sourceIp) addUpTo(row.sourceIps, [tuple.sourceIp]);
    if (tuple.sourceVpce) addUpTo(row.sourceVpces, [tuple.sourceVpce]);
    addUpTo(row.resources, [tuple.resource]);
    row.recordedDenials += tuple.denied;
    if (verdict.kind === "undetermined")
      addUpTo(row.undeterminedKeys, verdict.keys, Number.POSITIVE_INFINITY);
  }
  return [...rows.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.principalArn.localeCompare(b.principalArn) ||
      a.action.localeCompare(b.action) ||
      a.account.localeCompare(b.account) ||
      a.region.localeCompare(b.region),
  );
}

function decisionOf(verdict: ChangeVerdict): ScpDecision | undefined {
  if (verdict.kind === "newly-denied") return verdict.after;
  if (verdict.kind === "undetermined") return verdict.asRecorded;
  return undefined;
}

function addUpTo<T>(list: T[], values: readonly T[], max = MAX_LISTED): void {
  for (const v of values) {
    if (list.length >= max) return;
    if (!list.includes(v)) list.push(v);
  }
}
