import { type CloudTrailClient, paginateLookupEvents } from "@aws-sdk/client-cloudtrail";
import { type Clock, DEFAULT_CONCURRENCY, RequestPace, SYSTEM_CLOCK } from "@orgwarden/core";
import pLimit from "p-limit";
import {
  type ActivitySource,
  emptyReadResult,
  type ReadResult,
  type ReadScope,
  type ReadWindow,
  type RecordBatch,
  type SourceDescription,
} from "./event-source.js";
import { isCredentialFailure, isRegionRejection, readFailure } from "./read-failure.js";
import { recordFilter } from "./record-filter.js";
import { sendingThrough } from "./sending-through.js";

/**
 * "The rate of lookup requests is limited to two per second, per account, per Region. If this limit
 * is exceeded, a throttling error occurs." "You can look up events that occurred in a Region within
 * the last 90 days." At most 50 events a page.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */
export const LOOKUP_EVENTS_RATE = 2;
export const LOOKUP_EVENTS_DAYS = 90;
const PAGE_SIZE = 50;
/** Accounts a note names before it counts the rest. */
const NAMED_ACCOUNTS = 5;
const DAY_MS = 86_400_000;

export interface LookupEventsSourceOptions {
  /**
   * A CloudTrail client acting in `account` and `region`: the member account's role (the job passes
   * AccountClients' clients), the operator's credentials for the account they belong to.
   */
  cloudTrailFor: (account: string, region: string) => CloudTrailClient;
  /** Account-regions read at once (each paced on its own). */
  concurrency?: number;
  /** Requests per second per account and region: AWS's quota unless a test says otherwise; 0 for no pace. */
  ratePerSecond?: number;
  /** What the pace waits on and what "the last 90 days" counts from (tests pass a manual clock). */
  clock?: Clock;
}

/**
 * Each account's CloudTrail event history, read with LookupEvents in every (account, region) of the
 * scope: the window's events page by page, newest first, each event's CloudTrailEvent handed over as
 * the record. One token bucket per account and region holds the requests to AWS's quota (a burst of
 * one: AWS allows two, the slack absorbs a late answer followed by an early one); account-regions
 * are read side by side. A failed account or region is a ReadFailure and the read goes on; a region
 * an account has not enabled is a note.
 */
export class LookupEventsSource implements ActivitySource {
  readonly #cloudTrailFor: LookupEventsSourceOptions["cloudTrailFor"];
  readonly #concurrency: number;
  readonly #rate: number;
  readonly #clock: Clock;
  /** One bucket per account and region, kept across reads (a soak reads the same accounts again). */
  readonly #paces = new Map<string, RequestPace>();

  constructor(options: LookupEventsSourceOptions) {
    this.#cloudTrailFor = options.cloudTrailFor;
    this.#concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.#rate = options.ratePerSecond ?? LOOKUP_EVENTS_RATE;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
  }

  describe(): SourceDescription {
    return {
      kind: "lookup-events",
      label: "LookupEvents (each account's CloudTrail event history, region by region)",
      sees: `management events of the last ${LOOKUP_EVENTS_DAYS} days, read in each account with orgwarden's role, at ${LOOKUP_EVENTS_RATE} requests of ${PAGE_SIZE} events per second per account and region`,
      cannotSee: [
        "data events (S3 object reads and writes, Lambda invocations, DynamoDB items, …): the event history holds management events only",
        `events older than ${LOOKUP_EVENTS_DAYS} days: --source s3://BUCKET/PREFIX reads the organization trail's log files at any age`,
        "network activity events",
      ],
    };
  }

  async read(
    scope: ReadScope,
    onBatch: (batch: RecordBatch) => void,
    progress?: (message: string) => void,
  ): Promise<ReadResult> {
    const { window, notes } = this.#reachableWindow(scope.window);
    // LookupEvents filters by time itself, not by error.
    const keep = recordFilter({ errorsOnly: scope.errorsOnly });
    const result = emptyReadResult(window, notes);
    if (window.start >= window.end) return result;
    const accountsRead = new Set<string>();
    const regionsRead = new Set<string>();
    /** Accounts whose credentials failed: their other regions are not tried. */
    const unreachable = new Set<string>();
    /** The regions that did not know an account's credentials, by account: decided once every region answered. */
    const rejected = new Map<string, { region: string; error: unknown }[]>();
    const limit = pLimit(this.#concurrency);
    const total = scope.accounts.length * scope.regions.length;
    let done = 0;
    const readOne = async (account: string, region: string) => {
      if (unreachable.has(account)) return;
      const failure = await this.#readAccountRegion(account, region, window, keep, onBatch, result);
      if (!failure) {
        accountsRead.add(account);
        regionsRead.add(region);
      } else if (isRegionRejection(failure.error)) {
        rejected.set(account, [...(rejected.get(account) ?? []), { region, error: failure.error }]);
      } else if (isCredentialFailure(failure.error)) {
        if (!unreachable.has(account)) {
          unreachable.add(account);
          result.failures.push(
            readFailure(
              failure.error,
              { account, location: `LookupEvents ${account} (every region)` },
              "CloudTrail",
            ),
          );
        }
      } else {
        result.failures.push(
          readFailure(
            failure.error,
            { account, region, location: `LookupEvents ${account} ${region}` },
            "CloudTrail",
          ),
        );
      }
      done += 1;
      progress?.(`LookupEvents: ${done} of ${total} account-regions read`);
    };
    await Promise.all(
      scope.accounts.flatMap((account) =>
        scope.regions.map((region) => limit(() => readOne(account, region))),
      ),
    );
    result.accountsRead = scope.accounts.filter((a) => accountsRead.has(a));
    result.regionsRead = scope.regions.filter((r) => regionsRead.has(r));
    this.#sortRejections(scope, rejected, accountsRead, result);
    return result;
  }

  /**
   * A region that did not know an account's credentials while another region of the account read
   * them is a region the account has not enabled: a note (nothing can be called there either). An
   * account none of whose regions answered is a failure, once.
   */
  #sortRejections(
    scope: ReadScope,
    rejected: ReadonlyMap<string, { region: string; error: unknown }[]>,
    accountsRead: ReadonlySet<string>,
    result: ReadResult,
  ): void {
    const notEnabled = new Map<string, { accounts: string[]; error: string }>();
    for (const account of scope.accounts) {
      const regions = rejected.get(account);
      if (!regions?.length) continue;
      const [first] = regions as [{ region: string; error: unknown }];
      if (!accountsRead.has(account)) {
        result.failures.push(
          readFailure(
            first.error,
            { account, location: `LookupEvents ${account} (every region)` },
            "CloudTrail",
          ),
        );
        continue;
      }
      for (const { region, error } of regions) {
        const seen = notEnabled.get(region) ?? { accounts: [], error: (error as Error).name };
        seen.accounts.push(account);
        notEnabled.set(region, seen);
      }
    }
    for (const region of scope.regions) {
      const seen = notEnabled.get(region);
      if (!seen) continue;
      const shown = seen.accounts.slice(0, NAMED_ACCOUNTS).join(", ");
      const more =
        seen.accounts.length > NAMED_ACCOUNTS ? ` and ${seen.accounts.length - NAMED_ACCOUNTS} more` : "";
      const which =
        seen.accounts.length === 1
          ? `account ${shown}`
          : `${seen.accounts.length} accounts (${shown}${more})`;
      result.notes.push(
        `${region} is not enabled in ${which}: LookupEvents answered ${seen.error} there while the account's other regions answered; nothing can be called in a region an account has not enabled, so there is nothing to read`,
      );
    }
  }

  /** Reads one account and region to the end; the error, when it stopped on one. */
  async #readAccountRegion(
    account: string,
    region: string,
    window: ReadWindow,
    keep: ((record: unknown) => boolean) | undefined,
    onBatch: (batch: RecordBatch) => void,
    result: ReadResult,
  ): Promise<{ error: unknown } | undefined> {
    const pace = this.#pace(account, region);
    // Each request (not each retry) waits for its token.
    const client = sendingThrough(this.#cloudTrailFor(account, region), (send) =>
      pace.run(() => {
        result.requests += 1;
        return send();
      }),
    );
    try {
      const pages = paginateLookupEvents(
        { client, pageSize: PAGE_SIZE },
        { StartTime: window.start, EndTime: window.end },
      );
      for await (const page of pages) {
        const records: unknown[] = [];
        for (const event of page.Events ?? []) {
          if (!event.CloudTrailEvent) continue;
          const record: unknown = JSON.parse(event.CloudTrailEvent);
          if (!keep || keep(record)) records.push(record);
        }
        if (records.length === 0) continue;
        result.records += records.length;
        onBatch({ account, region, records });
      }
      return undefined;
    } catch (error) {
      return { error };
    }
  }

  #pace(account: string, region: string): RequestPace {
    const key = `${account}/${region}`;
    let pace = this.#paces.get(key);
    if (!pace) {
      pace = new RequestPace(this.#rate, 1, 1, this.#clock);
      this.#paces.set(key, pace);
    }
    return pace;
  }

  /** The part of `window` LookupEvents can reach (the last 90 days), and a note when that is less. */
  #reachableWindow(window: ReadWindow): { window: ReadWindow; notes: string[] } {
    const earliest = new Date(this.#clock.now() - LOOKUP_EVENTS_DAYS * DAY_MS);
    if (window.start >= earliest) return { window, notes: [] };
    const day = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ");
    const instead = "--source s3://BUCKET/PREFIX reads the organization trail's log files at any age";
    if (window.end <= earliest)
      return {
        window: { start: earliest, end: earliest },
        notes: [
          `LookupEvents reaches back ${LOOKUP_EVENTS_DAYS} days (to ${day(earliest)} UTC): the whole window (${day(window.start)} to ${day(window.end)}) is older, nothing was read; ${instead}`,
        ],
      };
    return {
      window: { start: earliest, end: window.end },
      notes: [
        `LookupEvents reaches back ${LOOKUP_EVENTS_DAYS} days: read from ${day(earliest)} UTC, not from ${day(window.start)}; ${instead}`,
      ],
    };
  }
}
