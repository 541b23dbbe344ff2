/**
 * Where recorded activity comes from. A source reads CloudTrail records for some accounts and
 * regions over a window and hands them over batch by batch (an S3 object, a LookupEvents page, a
 * page of query results): the caller parses and aggregates each batch before the next is read, so
 * memory stays bounded by the batches in flight, not by the events read.
 */

export type SourceKind = "lookup-events" | "s3" | "cloudtrail-lake";

/** `--source`: lookup-events | s3://bucket/prefix | cloudtrail-lake:EVENT_DATA_STORE_ARN. */
export type SourceSpec =
  | { kind: "lookup-events" }
  | { kind: "s3"; bucket: string; prefix: string }
  | { kind: "cloudtrail-lake"; eventDataStoreArn: string };

export interface ReadWindow {
  start: Date;
  end: Date;
}

export interface ReadScope {
  organizationId: string;
  /** Member account ids to read; a source that reads more (an S3 prefix per account) reads only these. */
  accounts: readonly string[];
  regions: readonly string[];
  window: ReadWindow;
  /** Only events that recorded an error (the soak reads denials only); a source that can filter does. */
  errorsOnly?: boolean;
}

/** Raw CloudTrail records (the JSON objects of a trail file's Records, or LookupEvents' CloudTrailEvent parsed). */
export interface RecordBatch {
  /** Where the batch was read: the account and region it came from, when the source knows them. */
  account?: string;
  region?: string;
  records: readonly unknown[];
}

/** A part of the scope that could not be read, and why, in words a user can act on. */
export interface ReadFailure {
  account?: string;
  region?: string;
  /** What was being read: `s3://bucket/AWSLogs/o-…/111122223333/CloudTrail/eu-west-1/2026/12/01/`, `LookupEvents 111122223333 eu-west-1`. */
  location: string;
  reason: string;
  /** What to do about it, when orgwarden knows: the bucket policy, `--source-role`, another source. */
  hint?: string;
}

/** What a source says of itself: printed in the coverage header. */
export interface SourceDescription {
  kind: SourceKind;
  /** e.g. "s3://trail-bucket/AWSLogs/o-abc/ (the organization trail: management and data events it logs, any age)". */
  label: string;
  sees: string;
  cannotSee: string[];
}

export interface ReadResult {
  /** The window read: the scope's, or less where the source reaches less far (LookupEvents: 90 days). */
  window: ReadWindow;
  /** Accounts (regions) of the scope read without a failure in at least one region (account). */
  accountsRead: string[];
  regionsRead: string[];
  failures: ReadFailure[];
  /** What the coverage header should say that is not a failure: a window clipped, the layout found. */
  notes: string[];
  /** Records handed to `onBatch`. */
  records: number;
  /** Requests made (pages, listings, objects, queries), retries not counted. */
  requests: number;
}

export interface ActivitySource {
  /** What the source reads and what it cannot see; the same before and after a read. */
  describe(): SourceDescription;
  /** Reads the scope. `onBatch` runs synchronously on each batch before more is buffered. */
  read(
    scope: ReadScope,
    onBatch: (batch: RecordBatch) => void,
    progress?: (message: string) => void,
  ): Promise<ReadResult>;
}

/** A read's result before anything was read: the window asked, nothing read, no request made. */
export function emptyReadResult(window: ReadWindow, notes: string[] = []): ReadResult {
  return { window, accountsRead: [], regionsRead: [], failures: [], notes, records: 0, requests: 0 };
}
