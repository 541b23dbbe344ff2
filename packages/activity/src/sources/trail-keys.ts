import type { ReadWindow } from "./event-source.js";

/**
 * Where a trail's log files are in its bucket, and which of them a window needs. CloudTrail writes
 * `PREFIX/AWSLogs/O-ID/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`
 * for an organization trail, and the same without `O-ID/` for an account's own trail; the date
 * folders and the name's time stamp are when the file was delivered, and "a log file delivered at a
 * specific time can contain records written at any point before that time".
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 */

/**
 * How long after the window's end a file is still read for the window's events. CloudTrail
 * delivers a file about every 5 minutes, with no guaranteed bound: an event delivered later than
 * this after the window is missed, and the folders of the days after it are never listed.
 */
export const DELIVERY_MARGIN_MS = 60 * 60_000;

/** The name's time stamp has minutes: a file stamped HH:mm was delivered before HH:mm+1. */
const STAMP_RESOLUTION_MS = 60_000;

const DAY_MS = 86_400_000;

/** `PREFIX/AWSLogs/`: what a delimiter listing shows the layout from (`o-…/` or account folders). */
export function trailLogsPrefix(prefix: string): string {
  return `${prefix}AWSLogs/`;
}

/** Where the account folders are: under the organization's id for an organization trail. */
export function accountsPrefix(prefix: string, organizationId: string | undefined): string {
  return organizationId ? `${trailLogsPrefix(prefix)}${organizationId}/` : trailLogsPrefix(prefix);
}

/** An account's region folders. */
export function regionsPrefix(base: string, account: string): string {
  return `${base}${account}/CloudTrail/`;
}

/** One day's folder of an account and region (`day` as `YYYY/MM/DD`). */
export function dayPrefix(base: string, account: string, region: string, day: string): string {
  return `${regionsPrefix(base, account)}${region}/${day}/`;
}

/** The folder names a delimiter listing returned, relative to `prefix` and without their "/". */
export function folderNames(prefix: string, commonPrefixes: readonly string[]): string[] {
  return commonPrefixes
    .filter((p) => p.startsWith(prefix) && p.endsWith("/"))
    .map((p) => p.slice(prefix.length, -1));
}

/** The day folders (`YYYY/MM/DD`, UTC) that hold the files delivered for `window`. */
export function trailDays(window: ReadWindow): string[] {
  const first = Math.floor(window.start.getTime() / DAY_MS);
  const last = Math.floor((window.end.getTime() + DELIVERY_MARGIN_MS) / DAY_MS);
  const days: string[] = [];
  for (let d = first; d <= last; d++)
    days.push(new Date(d * DAY_MS).toISOString().slice(0, 10).replace(/-/g, "/"));
  return days;
}

/** When a log file was delivered, from the `_YYYYMMDDTHHmmZ_` of its name; undefined when it has none. */
export function logFileTime(key: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/.exec(key);
  if (!m) return undefined;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi);
}

/**
 * Whether the file at `key` can hold events of `window`: a log file (`.json.gz`) delivered after
 * the window started and no later than the delivery margin after it ended. A name without a time
 * stamp is read (it cannot be ruled out).
 */
export function mayHoldWindow(key: string, window: ReadWindow): boolean {
  if (!key.endsWith(".json.gz")) return false;
  const delivered = logFileTime(key);
  if (delivered === undefined) return true;
  return (
    delivered + STAMP_RESOLUTION_MS > window.start.getTime() &&
    delivered <= window.end.getTime() + DELIVERY_MARGIN_MS
  );
}
