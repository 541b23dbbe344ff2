import type { ComplianceStatus, ControlId } from "@orgwarden/core";

export type ReportSource = "check" | "config" | "scp" | "policies" | "guardrails";
export const REPORT_SOURCES: readonly ReportSource[] = ["check", "config", "scp", "policies", "guardrails"];

/**
 * Sources a report reads only when --source (or report.sources) names them: `policies` walks every
 * policy type of the organization, `guardrails` reads S3's and EC2's account settings in every
 * account and region: calls the default report does not make.
 */
export const OPT_IN_SOURCES: readonly ReportSource[] = ["policies", "guardrails"];

/** One row of the report: one account × control × source (DESIGN.md, CSV columns in this order). */
export interface ReportRow {
  accountId: string;
  accountName: string;
  ouPath: string;
  control: ControlId;
  source: ReportSource;
  status: ComplianceStatus;
  resourceType: string;
  resourceId: string;
  reason: string;
  /** ISO 8601, UTC. */
  evaluatedAt: string;
  /** Regions the row covers (a regional control), space-separated; the failing ones when it fails; empty for global controls. */
  region: string;
  /** From the control catalogue. */
  severity: string;
  /** Framework ids from the control catalogue, e.g. CIS-3.0:1.5;CIS-5.0:1.4;SecurityHub:IAM.9. */
  frameworks: string;
}

/** One of N shards, 1-based: `orgwarden report --shard 2/4`. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** What a shard's report says about itself, so that merging can prove every account is there once. */
export interface ShardInfo extends ShardSpec {
  /** The target the shards split: "organization", or the --ou target's id. */
  scope: string;
  /** Accounts in the scope, over every shard. */
  scopeAccounts: number;
  /** The ids of this shard's accounts, sorted. */
  accounts: string[];
}

/**
 * A report's rows in report order (compareRows), read once or more by the formats and the checks of
 * the exit code: a plain array, or a RowStore that reads them back from disk account by account, so
 * that no consumer needs them all in memory at once. Read them with for…of, never with array methods.
 */
export interface ReportRows extends Iterable<ReportRow> {
  readonly length: number;
}

export interface Report {
  generatedAt: string;
  organizationId: string;
  rows: ReportRows;
  /** Set on the report of one shard (`report --shard K/N`), so that `report merge` can check the set. */
  shard?: ShardInfo;
  /**
   * The SCP drift `orgwarden run`'s detect entries found (empty: none), kept in latest.json so the
   * next run can tell standing drift from new drift. Absent from reports no run wrote.
   */
  scpDrift?: ScpDrift[];
}

/** What one detect entry found different from the policies orgwarden would attach to its target. */
export interface ScpDrift {
  /** The target as a person reads it, e.g. `OU Root/Workloads (ou-abcd-11111111)`. */
  target: string;
  /** One line per difference (describe-scp-step's wording). */
  drift: string[];
}

/** The outcome of one control before it becomes a row. */
export interface ControlOutcome {
  control: ControlId;
  status: ComplianceStatus;
  reason: string;
  resourceType?: string;
  resourceId?: string;
  evaluatedAt?: Date;
  /** Regions the outcome covers (regional controls). */
  region?: string;
  /**
   * Regions whose calls were refused (AccessDenied), not yet judged: settleDeniedRegions decides,
   * with the account's SCPs, whether each is closed to everyone or an ERROR. Never on a row.
   */
  deniedRegions?: DeniedRegion[];
  /** Set with deniedRegions when no region at all could be read. */
  noRegionJudged?: boolean;
  /**
   * On a COMPLIANT tag-exempt RCP's outcome: the resource tag key (value "true") that exempts a
   * resource from it, whose resources become rcp-exempt-resource rows. Never on a row.
   */
  exemptTagKey?: string;
}

/** A region that refused one of a check's calls. */
export interface DeniedRegion {
  region: string;
  /** The error as AWS gave it. */
  reason: string;
  /** The IAM action refused, e.g. guardduty:ListDetectors: what the SCPs are asked about. */
  action?: string;
}

export const SCP_CONTROLS: readonly ControlId[] = ["scp-require-mfa", "scp-deny-root"];
/** orgwarden's RCPs: rows of the scp source too, once the report has read the organization's RCPs. */
export const RCP_CONTROLS: readonly ControlId[] = [
  "rcp-identity-perimeter",
  "rcp-secure-transport",
  "rcp-confused-deputy",
  "rcp-trusted-oidc",
];

/** What places an account's rows in report order (the first keys of compareRows). */
export interface AccountKey {
  ouPath: string;
  accountName: string;
  accountId: string;
}

/** Report order of accounts: OU path, account name, account id. */
export function compareAccounts(a: AccountKey, b: AccountKey): number {
  return (
    a.ouPath.localeCompare(b.ouPath) ||
    a.accountName.localeCompare(b.accountName) ||
    a.accountId.localeCompare(b.accountId)
  );
}

/** Report order: OU path, account name, account id, control, source. */
export function compareRows(a: ReportRow, b: ReportRow): number {
  return compareAccounts(a, b) || a.control.localeCompare(b.control) || a.source.localeCompare(b.source);
}

/**
 * Each account's rows, one account at a time, as they come: in report order every account's rows
 * are together, so this holds one account's rows, never the report's.
 */
export function* rowsByAccount(rows: Iterable<ReportRow>): Generator<ReportRow[]> {
  let group: ReportRow[] = [];
  for (const row of rows) {
    if (group.length > 0 && (group[0] as ReportRow).accountId !== row.accountId) {
      yield group;
      group = [];
    }
    group.push(row);
  }
  if (group.length > 0) yield group;
}
