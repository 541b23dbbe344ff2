import {
  type CloudTrailClient,
  DescribeQueryCommand,
  paginateGetQueryResults,
  StartQueryCommand,
} from "@aws-sdk/client-cloudtrail";
import { type Clock, OrgwardenError, pollUntil, SYSTEM_CLOCK } from "@orgwarden/core";
import {
  type ActivitySource,
  emptyReadResult,
  type ReadResult,
  type ReadScope,
  type RecordBatch,
  type SourceDescription,
} from "./event-source.js";
import { lakeStatements, recordOfRow } from "./lake-query.js";
import { readFailure } from "./read-failure.js";
import { sendingThrough } from "./sending-through.js";

export interface CloudTrailLakeSourceOptions {
  /** arn:aws:cloudtrail:REGION:ACCOUNT:eventdatastore/ID (parseSourceSpec has checked it). */
  eventDataStoreArn: string;
  /** A CloudTrail client in the event data store's region, with credentials that may query it. */
  cloudTrailFor: (region: string) => CloudTrailClient;
  /** How long a query may run before the read gives it up (default 15 minutes). */
  queryTimeoutMs?: number;
  /** What the waits between DescribeQuery calls use (tests pass a manual clock). */
  clock?: Clock;
}

const DEFAULT_QUERY_TIMEOUT_MS = 15 * 60_000;
/** GetQueryResults' MaxQueryResults: 1 to 1,000. */
const PAGE_SIZE = 1_000;
const FAILED = new Set(["FAILED", "CANCELLED", "TIMED_OUT"]);

/**
 * A CloudTrail Lake event data store, read with one SQL query per slice of the scope's accounts
 * (lake-query.ts): StartQuery, DescribeQuery until it has FINISHED, then GetQueryResults page by page,
 * each page one batch of records rebuilt from the selected fields. A query that fails is a
 * ReadFailure for its accounts and the others go on.
 */
export class CloudTrailLakeSource implements ActivitySource {
  readonly #arn: string;
  readonly #region: string;
  readonly #id: string;
  readonly #cloudTrailFor: (region: string) => CloudTrailClient;
  readonly #timeoutMs: number;
  readonly #clock: Clock;

  constructor(options: CloudTrailLakeSourceOptions) {
    this.#arn = options.eventDataStoreArn;
    const parts = this.#arn.split(":");
    this.#region = parts[3] ?? "";
    this.#id = this.#arn.slice(this.#arn.lastIndexOf("/") + 1);
    this.#cloudTrailFor = options.cloudTrailFor;
    this.#timeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  describe(): SourceDescription {
    return {
      kind: "cloudtrail-lake",
      label: `CloudTrail Lake event data store ${this.#id} (${this.#region})`,
      sees: "the events the data store collects (management events, and data events where its selectors include them) for as long as it retains them",
      cannotSee: [
        "what the query does not select: resources after an event's first, requestParameters and responseElements, additionalEventData other than MFAUsed (Lake returns nested fields as text, so each field is selected on its own)",
        "events the data store does not collect, or no longer retains",
        "CloudTrail Lake is closed to new customers since 31 May 2026: without an event data store, --source s3://BUCKET/PREFIX reads the organization trail's log files",
      ],
    };
  }

  async read(
    scope: ReadScope,
    onBatch: (batch: RecordBatch) => void,
    progress?: (message: string) => void,
  ): Promise<ReadResult> {
    const result = emptyReadResult(scope.window);
    if (scope.accounts.length === 0 || scope.regions.length === 0) return result;
    const client = sendingThrough(this.#cloudTrailFor(this.#region), (send) => {
      result.requests += 1;
      return send();
    });
    const statements = lakeStatements(this.#id, scope);
    const accountsRead = new Set<string>();
    for (const [i, { statement, accounts }] of statements.entries()) {
      try {
        const queryId = await this.#runQuery(client, statement);
        const pages = paginateGetQueryResults({ client }, { QueryId: queryId, MaxQueryResults: PAGE_SIZE });
        for await (const page of pages) {
          const records = (page.QueryResultRows ?? []).map((row) => recordOfRow(row));
          if (records.length === 0) continue;
          result.records += records.length;
          onBatch({ records });
        }
        for (const a of accounts) accountsRead.add(a);
      } catch (err) {
        const which = accounts.length === 1 ? accounts[0] : `${accounts.length} accounts from ${accounts[0]}`;
        result.failures.push({
          ...readFailure(err, { location: `CloudTrail Lake ${this.#arn} (${which})` }, "CloudTrail"),
          ...(accounts.length === 1 ? { account: accounts[0] as string } : {}),
        });
      }
      progress?.(`CloudTrail Lake: ${i + 1} of ${statements.length} queries read (${result.records} events)`);
    }
    result.accountsRead = scope.accounts.filter((a) => accountsRead.has(a));
    if (accountsRead.size > 0) result.regionsRead = [...scope.regions];
    return result;
  }

  /** Starts the query and waits until it has finished; its id. */
  async #runQuery(client: CloudTrailClient, statement: string): Promise<string> {
    const started = await client.send(new StartQueryCommand({ QueryStatement: statement }));
    const queryId = started.QueryId;
    if (!queryId) throw new OrgwardenError("AWS_ERROR", "CloudTrail Lake: StartQuery returned no QueryId");
    return pollUntil(
      async () => {
        const d = await client.send(new DescribeQueryCommand({ QueryId: queryId }));
        if (d.QueryStatus === "FINISHED") return queryId;
        if (d.QueryStatus && FAILED.has(d.QueryStatus))
          throw new OrgwardenError(
            "AWS_ERROR",
            `CloudTrail Lake: query ${queryId} ${d.QueryStatus}${d.ErrorMessage ? `: ${d.ErrorMessage}` : ""}`,
          );
        return undefined;
      },
      {
        timeoutMs: this.#timeoutMs,
        firstDelayMs: 1_000,
        maxDelayMs: 10_000,
        now: () => this.#clock.now(),
        sleep: (ms) => this.#clock.sleep(ms),
        timedOut: () =>
          new OrgwardenError(
            "AWS_ERROR",
            `CloudTrail Lake: query ${queryId} did not finish within ${Math.round(this.#timeoutMs / 60_000)} minutes`,
            { hint: "Read a shorter window (--since), or fewer accounts at a time." },
          ),
      },
    );
  }
}
