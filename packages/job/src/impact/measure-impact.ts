import {
  type ActivitySource,
  CallAggregator,
  type CallTuple,
  type ReadCounts,
  type ReadFailure,
  type ReadWindow,
  type SourceDescription,
} from "@orgwarden/activity";
import { type Inventory, orgPathOf, requireTarget, type Target } from "@orgwarden/core";
import {
  type AccountPathGroup,
  type ChangeVerdict,
  type EvaluatedPolicy,
  judgeChange,
  type PolicyLevel,
  simulationPaths,
  unobservableKeyVariants,
} from "@orgwarden/scp";
import { draftIn, type ScpDraft } from "../scp/plan-scp.js";
import type { JobSession } from "../session/session.js";
import type { AwsCheckSettings } from "../settings/scp-settings.js";
import { confirmSample, type ImpactAwsCheck } from "./confirm-sample.js";
import { type ImpactRow, impactRows } from "./impact-rows.js";
import { readPrincipalTags } from "./principal-tags.js";
import { type OrganizationSetting, tupleRequest } from "./tuple-request.js";

export interface ImpactInput {
  /** The policies as apply-scp would render and attach them (bad input already refused). */
  draft: ScpDraft;
  /** --ou: the root, OU or account id or path. */
  target: string;
  window: ReadWindow;
  /** `--since` as given, for the header. */
  since: string;
  /** The regions read; undefined: every region the management account has enabled. */
  regions: readonly string[];
  source: ActivitySource;
  awsCheck: AwsCheckSettings;
  progress?: (message: string) => void;
}

/** What was read, and what was not evaluated and why: the coverage header. */
export interface ImpactCoverage {
  /** Active member accounts at or below the target. */
  accountsInScope: number;
  accountsRead: number;
  regionsRead: string[];
  /** The window actually read: less than asked where the source reaches less far (LookupEvents: 90 days). */
  window: { start: string; end: string };
  failures: ReadFailure[];
  eventsRead: number;
  /** Events evaluated (the rest are counted in notEvaluated). */
  evaluated: number;
  distinctTuples: number;
  /** Events read and not evaluated, by reason: ReadCounts' reasons, and calls by accounts outside the target. */
  notEvaluated: Record<string, number>;
  unmapped: ReadCounts["unmapped"];
  requests: number;
}

export interface ImpactResult {
  target: { id: string; path: string; kind: Target["kind"] };
  /** The policies the change attaches, as named in AWS Organizations. */
  policies: string[];
  window: { start: string; end: string; since: string };
  source: SourceDescription;
  coverage: ImpactCoverage;
  /** Calls allowed today that the change would deny, one row per principal, action, account and region. */
  newDenials: ImpactRow[];
  /** Calls whose verdict after the change hangs on a key the events cannot show (see `undeterminedKeys`). */
  undetermined: ImpactRow[];
  /** Distinct tuples already denied today (the change is not what stops them), and those the change leaves allowed. */
  alreadyDenied: number;
  stillAllowed: number;
  /** Principals whose IAM tags were read to decide a verdict that hung on aws:PrincipalTag. */
  principalTagsRead: number;
  awsCheck: ImpactAwsCheck;
  notes: string[];
}

export interface Judged {
  tuple: CallTuple;
  verdict: ChangeVerdict;
  /** The principal's tags, when they were read to decide the verdict. */
  tags?: Record<string, string>;
}

/**
 * Each distinct call judged on its account's path before and after the change; calls of accounts
 * outside the target (recorded in its accounts) are counted, not judged.
 */
export function judgeTuples(
  tuples: readonly CallTuple[],
  paths: Pick<ChangePaths, "before" | "after">,
  org: OrganizationSetting,
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
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
    judged.push({ tuple, verdict: judgeChange(before, after, tupleRequest(tuple, org), variants) });
  }
  return { judged, outside, outsideEvents };
}

/**
 * `orgwarden impact`: what would the change deny that the organization's own principals did in the
 * window? Reads the recorded activity of every member account at or below the target, judges each
 * distinct call on the account's SCP path as it is and as apply-scp would leave it, and lists only
 * what the change newly denies, with the deciding statement. Reads AWS, writes nothing.
 */
export async function measureImpact(session: JobSession, input: ImpactInput): Promise<ImpactResult> {
  const inventory = await session.inventory();
  const target = requireTarget(inventory, input.target);
  const planned = draftIn(input.draft, inventory.partition).policies;
  const organizations = session.factory.organizations(session.operatorCredentials);
  const paths = await changePaths(inventory, target, organizations, planned);
  const notes: string[] = [];
  if (inventory.scpPolicyType !== "ENABLED") {
    notes.push(
      `SCPs are not enabled in organization ${inventory.organizationId}: today no SCP applies; after the change FullAWSAccess is attached everywhere (apply-scp enables the policy type) with the new policies at ${target.path}`,
    );
  }

  const aggregator = new CallAggregator();
  const parseOptions = { managementAccountId: inventory.managementAccountId };
  input.progress?.(
    `reading ${input.source.describe().label}: ${paths.accounts.length} accounts, ${input.regions.length} regions`,
  );
  const read = await input.source.read(
    {
      organizationId: inventory.organizationId,
      accounts: paths.accounts,
      regions: input.regions,
      window: input.window,
    },
    (batch) => aggregator.addRecords(batch.records, parseOptions),
    input.progress,
  );
  notes.push(...read.notes);
  const counts = aggregator.counts();
  const tuples = aggregator.tuples();
  input.progress?.(`${counts.eventsRead} events read, ${tuples.length} distinct calls; judging them`);

  const org: OrganizationSetting = {
    organizationId: inventory.organizationId,
    partition: inventory.partition,
    orgPathOf: memo((id) => orgPathOf(inventory, id)),
  };
  const variants = unobservableKeyVariants(
    planned.map((p) => ({ name: p.managedName, document: p.document, managed: true })),
  );
  const { judged, outside, outsideEvents } = judgeTuples(tuples, paths, org, variants);

  // A verdict that hangs only on the principal's own tags is decided by reading them from IAM.
  const principalTagsRead = await decideOnPrincipalTags(session, judged, paths, org, variants, notes);

  const newly = judged.filter((j) => j.verdict.kind === "newly-denied");
  const undetermined = judged.filter((j) => j.verdict.kind === "undetermined");
  const awsCheck = await confirmSample(session, input.awsCheck, judged, paths.after, org);
  const accountName = (id: string) => inventory.accounts.find((a) => a.id === id)?.name;
  const notEvaluated: Record<string, number> = { ...counts.skipped };
  if (outsideEvents > 0) notEvaluated["outside-target"] = outsideEvents;
  if (outside > 0) {
    notes.push(
      `${outsideEvents} events by principals of ${outside === 1 ? "an account" : "accounts"} outside ${target.path} were recorded in its accounts and not evaluated: SCPs apply to the caller's account`,
    );
  }
  return {
    target: { id: target.id, path: target.path, kind: target.kind },
    policies: planned.map((p) => p.managedName),
    window: {
      start: input.window.start.toISOString(),
      end: input.window.end.toISOString(),
      since: input.since,
    },
    source: input.source.describe(),
    coverage: {
      accountsInScope: paths.accounts.length,
      accountsRead: read.accountsRead.length,
      regionsRead: read.regionsRead,
      window: { start: read.window.start.toISOString(), end: read.window.end.toISOString() },
      failures: read.failures,
      eventsRead: counts.eventsRead,
      evaluated: counts.evaluated - outsideEvents,
      distinctTuples: tuples.length,
      notEvaluated,
      unmapped: counts.unmapped,
      requests: read.requests,
    },
    newDenials: impactRows(newly, accountName),
    undetermined: impactRows(undetermined, accountName),
    alreadyDenied: judged.filter((j) => j.verdict.kind === "already-denied").length,
    stillAllowed: judged.filter((j) => j.verdict.kind === "still-allowed").length,
    principalTagsRead,
    awsCheck,
    notes,
  };
}

/** Each account's SCP path as it is and as the change would leave it, and the accounts in scope. */
export interface ChangePaths {
  accounts: string[];
  before: Map<string, PolicyLevel[]>;
  after: Map<string, PolicyLevel[]>;
}

const FULL_AWS_ACCESS: EvaluatedPolicy = {
  name: "FullAWSAccess",
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  managed: false,
};

/**
 * The paths of the target's member accounts, as they are and as apply-scp would leave them (the
 * same steps as its plan: see simulationPaths). With SCPs not enabled, none applies today, and
 * enabling them attaches FullAWSAccess to every root, OU and account.
 * https://docs.aws.amazon.com/organizations/latest/userguide/enable-policy-type.html
 */
export async function changePaths(
  inventory: Inventory,
  target: Target,
  organizations: Parameters<typeof simulationPaths>[2],
  planned: Parameters<typeof simulationPaths>[3] & object,
): Promise<ChangePaths> {
  const enabled = inventory.scpPolicyType === "ENABLED";
  const management = inventory.managementAccountId;
  const beforeGroups = await simulationPaths(inventory, target, organizations);
  const afterGroups: AccountPathGroup[] = enabled
    ? await simulationPaths(inventory, target, organizations, planned)
    : beforeGroups.map((g) => ({
        accountIds: g.accountIds,
        levels: g.levels.map((l) => ({
          ...l,
          policies: [
            FULL_AWS_ACCESS,
            ...(l.nodeId === target.id
              ? planned.map((p) => ({ name: p.managedName, document: p.document, managed: true }))
              : []),
          ],
        })),
      }));
  const byAccount = (groups: AccountPathGroup[], levels: (g: AccountPathGroup) => PolicyLevel[]) => {
    const out = new Map<string, PolicyLevel[]>();
    for (const g of groups) for (const id of g.accountIds) if (id !== management) out.set(id, levels(g));
    return out;
  };
  const before = byAccount(beforeGroups, (g) => (enabled ? g.levels : []));
  const after = byAccount(afterGroups, (g) => g.levels);
  return { accounts: [...after.keys()], before, after };
}

async function decideOnPrincipalTags(
  session: JobSession,
  judged: Judged[],
  paths: ChangePaths,
  org: OrganizationSetting,
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
  notes: string[],
): Promise<number> {
  const onTags = hangingOnPrincipalTags(judged);
  if (onTags.length === 0) return 0;
  const iam = onTags.filter((j) => j.tuple.principalKind !== "root");
  const { tags, failures } = await readPrincipalTags(
    session,
    iam.map((j) => ({ account: j.tuple.account, arn: j.tuple.principalArn })),
  );
  notes.push(...failures);
  const read = tags.size;
  // The root user has no tags: aws:PrincipalTag is never in its requests.
  for (const j of onTags) if (j.tuple.principalKind === "root") tags.set(j.tuple.principalArn, {});
  rejudgeWithTags(onTags, paths, org, variants, tags);
  return read;
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
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
  tags: ReadonlyMap<string, Record<string, string>>,
): void {
  const known = new Map([...variants].filter(([k]) => !k.toLowerCase().startsWith("aws:principaltag/")));
  for (const j of onTags) {
    const principal = tags.get(j.tuple.principalArn);
    if (!principal) continue;
    j.tags = principal;
    j.verdict = judgeChange(
      paths.before.get(j.tuple.account) as PolicyLevel[],
      paths.after.get(j.tuple.account) as PolicyLevel[],
      tupleRequest(j.tuple, org, principal),
      known,
    );
  }
}

function memo<T>(load: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as T;
    const value = load(key);
    cache.set(key, value);
    return value;
  };
}
