import {
  type ActivitySource,
  CallAggregator,
  type ReadCounts,
  type ReadFailure,
  type ReadWindow,
  type SourceDescription,
} from "@orgwarden/activity";
import { accountById, orgPathOf, requireTarget, type Target } from "@orgwarden/core";
import { policyTerms } from "@orgwarden/scp";
import { draftIn, type ScpDraft } from "../scp/plan-scp.js";
import type { JobSession } from "../session/session.js";
import type { AwsCheckSettings } from "../settings/scp-settings.js";
import { changePaths } from "./change-paths.js";
import { confirmSample, type ImpactAwsCheck } from "./confirm-sample.js";
import { type ImpactRow, impactRows } from "./impact-rows.js";
import { judgeTuples } from "./judge-tuples.js";
import { decideOnPrincipalTags } from "./principal-tags.js";
import type { OrganizationSetting } from "./tuple-request.js";

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
  const terms = policyTerms(
    planned.map((p) => ({ name: p.managedName, document: p.document, managed: true })),
  );
  const { judged, outside, outsideEvents } = judgeTuples(tuples, paths, org, terms);

  // A verdict that hangs only on the principal's own tags is decided by reading them from IAM.
  const principalTagsRead = await decideOnPrincipalTags(session, judged, paths, org, terms, notes);

  const newly = judged.filter((j) => j.verdict.kind === "newly-denied");
  const undetermined = judged.filter((j) => j.verdict.kind === "undetermined");
  const awsCheck = await confirmSample(session, input.awsCheck, judged, paths.after, org);
  const accountName = (id: string) => accountById(inventory, id)?.name;
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

function memo<T>(load: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as T;
    const value = load(key);
    cache.set(key, value);
    return value;
  };
}
