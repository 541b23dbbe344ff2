import { paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import {
  type ActivitySource,
  emptyReadResult,
  type ReadFailure,
  type ReadResult,
  type ReadScope,
  type RecordBatch,
  type SourceDescription,
} from "./event-source.js";
import { readFailure } from "./read-failure.js";
import { readTrailObject } from "./read-trail-object.js";
import { recordFilter } from "./record-filter.js";
import { sendingThrough } from "./sending-through.js";
import {
  accountsPrefix,
  dayPrefix,
  folderNames,
  mayHoldWindow,
  regionsPrefix,
  trailDays,
  trailLogsPrefix,
} from "./trail-keys.js";

export interface S3TrailSourceOptions {
  /** A client that can read the bucket: the operator's credentials, or a role in the log archive account. */
  s3: S3Client;
  bucket: string;
  /** The trail's S3 key prefix, ending in "/" (empty for none): the folder that holds `AWSLogs/`. */
  prefix: string;
  /** Folders listed at once. */
  listConcurrency?: number;
  /** Log files read at once: what bounds memory (each file is held whole while it is parsed). */
  getConcurrency?: number;
}

const ACCESS_DENIED_HINT =
  "The log archive bucket's policy must allow the caller s3:ListBucket and s3:GetObject (the organization trail's bucket is usually in the log archive account), or pass --source-role with a role that can read it.";
const ACCOUNT_ID = /^\d{12}$/;
/** A region's folder name (eu-south-2, us-gov-west-1), as CloudTrail names them. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The organization trail's log files in S3: the layout is found under the prefix with a delimiter
 * listing (`AWSLogs/o-…/ACCOUNT/…`, or an account trail's `AWSLogs/ACCOUNT/…`), then each (account,
 * region, day) folder of the scope and window is listed, the files whose delivery time can hold the
 * window's events are read side by side, and each file is one batch. A folder or file that cannot be
 * read is a ReadFailure and the read goes on.
 */
export class S3TrailSource implements ActivitySource {
  readonly #s3: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #listConcurrency: number;
  readonly #getConcurrency: number;

  constructor(options: S3TrailSourceOptions) {
    this.#s3 = options.s3;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix;
    this.#listConcurrency = Math.max(1, options.listConcurrency ?? 16);
    this.#getConcurrency = Math.max(1, options.getConcurrency ?? 16);
  }

  describe(): SourceDescription {
    return {
      kind: "s3",
      label: `${this.#url(trailLogsPrefix(this.#prefix))} (the organization trail's log files)`,
      sees: "every event the trail logs, at any age the bucket keeps: management events, and data events where the trail's event selectors log them",
      cannotSee: [
        "events the trail does not log: data events its selectors leave out, regions a single-region trail leaves out",
        "events delivered more than an hour after the window's end (CloudTrail delivers a file about every 5 minutes)",
        "accounts and regions without a folder under the trail's prefix",
      ],
    };
  }

  async read(
    scope: ReadScope,
    onBatch: (batch: RecordBatch) => void,
    progress?: (message: string) => void,
  ): Promise<ReadResult> {
    const result = emptyReadResult(scope.window);
    const s3 = sendingThrough(this.#s3, (send) => {
      result.requests += 1;
      return send();
    });
    const base = await this.#findLayout(s3, scope, result);
    if (base === undefined) return result;
    const present = await this.#accountFolders(s3, base, result);
    if (present === undefined) return result;
    for (const account of scope.accounts)
      if (!present.has(account))
        result.failures.push({
          account,
          location: this.#url(`${base}${account}/`),
          reason: "no log files for this account under the trail's prefix",
          hint: "The trail does not log this account (an account trail, or an account that joined after the trail), or its files are in another bucket.",
        });

    const keep = recordFilter({ window: scope.window, errorsOnly: scope.errorsOnly });
    const days = trailDays(scope.window);
    const lists = pLimit(this.#listConcurrency);
    const gets = pLimit(this.#getConcurrency);
    const accountsRead = new Set<string>();
    const regionsRead = new Set<string>();
    /** Region folders outside the scope's regions, and how many accounts have each. */
    const unread = new Map<string, number>();
    const fail = (err: unknown, part: Omit<ReadFailure, "reason">) =>
      result.failures.push(readFailure(err, part, "S3", ACCESS_DENIED_HINT));

    const readFile = async (account: string, region: string, key: string) => {
      try {
        const all = await readTrailObject(s3, this.#bucket, key);
        const records = keep ? all.filter(keep) : all;
        if (records.length === 0) return;
        result.records += records.length;
        onBatch({ account, region, records });
      } catch (err) {
        fail(err, { account, region, location: this.#url(key) });
      }
    };
    /** One day's folder: each page of keys is read before the next page is listed (memory stays bounded). */
    const readDay = async (account: string, region: string, day: string): Promise<boolean> => {
      const prefix = dayPrefix(base, account, region, day);
      try {
        for await (const page of paginateListObjectsV2(
          { client: s3 },
          { Bucket: this.#bucket, Prefix: prefix },
        )) {
          const keys = (page.Contents ?? []).flatMap((o) =>
            o.Key && mayHoldWindow(o.Key, scope.window) ? [o.Key] : [],
          );
          await Promise.all(keys.map((key) => gets(() => readFile(account, region, key))));
        }
        return true;
      } catch (err) {
        fail(err, { account, region, location: this.#url(prefix) });
        return false;
      }
    };
    const readAccount = async (account: string) => {
      const prefix = regionsPrefix(base, account);
      let regions: Set<string>;
      try {
        regions = new Set(await lists(() => this.#folders(s3, prefix)));
      } catch (err) {
        fail(err, { account, location: this.#url(prefix) });
        return;
      }
      for (const region of regions)
        if (REGION.test(region) && !scope.regions.includes(region))
          unread.set(region, (unread.get(region) ?? 0) + 1);
      await Promise.all(
        scope.regions.map(async (region) => {
          // A region without a folder has no events to read: it is read, and empty.
          const read = regions.has(region)
            ? await Promise.all(days.map((day) => lists(() => readDay(account, region, day))))
            : [true];
          if (read.some(Boolean)) {
            accountsRead.add(account);
            regionsRead.add(region);
          }
        }),
      );
    };

    const accounts = scope.accounts.filter((a) => present.has(a));
    const perAccount = pLimit(this.#listConcurrency);
    let done = 0;
    await Promise.all(
      accounts.map((account) =>
        perAccount(async () => {
          await readAccount(account);
          done += 1;
          progress?.(`S3: ${done} of ${accounts.length} accounts read (${result.records} events)`);
        }),
      ),
    );
    result.accountsRead = scope.accounts.filter((a) => accountsRead.has(a));
    result.regionsRead = scope.regions.filter((r) => regionsRead.has(r));
    if (unread.size > 0) result.notes.push(unreadNote(unread));
    return result;
  }

  /** Where the account folders are: under the organization's id, or (an account trail) right under AWSLogs/. */
  async #findLayout(s3: S3Client, scope: ReadScope, result: ReadResult): Promise<string | undefined> {
    const logs = trailLogsPrefix(this.#prefix);
    let folders: string[];
    try {
      folders = await this.#folders(s3, logs);
    } catch (err) {
      result.failures.push(readFailure(err, { location: this.#url(logs) }, "S3", ACCESS_DENIED_HINT));
      return undefined;
    }
    if (folders.includes(scope.organizationId)) {
      const base = accountsPrefix(this.#prefix, scope.organizationId);
      result.notes.push(`read the organization trail's files under ${this.#url(base)}`);
      return base;
    }
    if (folders.some((f) => ACCOUNT_ID.test(f))) {
      result.notes.push(
        `no folder of the organization ${scope.organizationId} under ${this.#url(logs)}: read the account trails' files there`,
      );
      return logs;
    }
    result.failures.push({
      location: this.#url(logs),
      reason: `no CloudTrail log folders under ${this.#url(logs)}`,
      hint: "Check the bucket and the trail's S3 key prefix: `aws cloudtrail describe-trails` shows S3BucketName and S3KeyPrefix; --source is s3://BUCKET/PREFIX.",
    });
    return undefined;
  }

  /** The account folders under `base` (each account the trail has logged). */
  async #accountFolders(s3: S3Client, base: string, result: ReadResult): Promise<Set<string> | undefined> {
    try {
      return new Set((await this.#folders(s3, base)).filter((f) => ACCOUNT_ID.test(f)));
    } catch (err) {
      result.failures.push(readFailure(err, { location: this.#url(base) }, "S3", ACCESS_DENIED_HINT));
      return undefined;
    }
  }

  /** The folder names right under `prefix` (a delimiter listing, every page). */
  async #folders(s3: S3Client, prefix: string): Promise<string[]> {
    const found: string[] = [];
    const pages = paginateListObjectsV2(
      { client: s3 },
      { Bucket: this.#bucket, Prefix: prefix, Delimiter: "/" },
    );
    for await (const page of pages)
      found.push(
        ...folderNames(
          prefix,
          (page.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
        ),
      );
    return found;
  }

  #url(key: string): string {
    return `s3://${this.#bucket}/${key}`;
  }
}

/**
 * The regions the trail has folders for that the read left out (not in --regions, or not enabled in
 * the management account, whose regions are the default): calls were made there, and were not judged.
 */
function unreadNote(unread: ReadonlyMap<string, number>): string {
  const regions = [...unread]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, n]) => `${region} (log folders in ${n} ${n === 1 ? "account" : "accounts"})`);
  return `not read: ${regions.join(", ")} — add ${regions.length === 1 ? "it" : "them"} to --regions to judge the calls made there`;
}
