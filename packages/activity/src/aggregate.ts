import type { CallTuple, ReadCounts } from "./call-tuple.js";
import {
  type ObservedCall,
  type ParsedEvent,
  type ParseOptions,
  SKIP_REASONS,
  type SkipReason,
} from "./observed-call.js";
import { parseRecord } from "./parse-record.js";

const SAMPLES = 3;
const UNMAPPED_SHOWN = 20;

/** A tuple being counted: the CallTuple's fields, with the times of its samples and last denial. */
interface Counting {
  tuple: CallTuple;
  sampleTimes: string[];
  /** The time and id of the event whose denial is lastDenial. */
  lastDenialAt?: string;
  lastDenialId?: string;
}

/**
 * Calls counted per tuple (call-tuple.ts): one small record per distinct request an SCP would see,
 * never the events themselves, so memory grows with distinct tuples (thousands), not with events
 * (millions). The result does not depend on the order events arrive in (sources read accounts and
 * regions in parallel): samples are the earliest events (by time, then id), the last denial the latest.
 */
export class CallAggregator {
  private readonly byKey = new Map<string, Counting>();
  private readonly skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<
    SkipReason,
    number
  >;
  private readonly unmapped = new Map<string, { eventSource: string; eventName: string; count: number }>();
  private eventsRead = 0;
  private evaluated = 0;

  /** Counts one parsed event. `source` names an unmapped call when the parse left its names out. */
  add(parsed: ParsedEvent, source?: { eventSource: string; eventName: string }): void {
    this.eventsRead++;
    if (parsed.kind === "call") {
      this.evaluated++;
      this.count(parsed.call);
      return;
    }
    this.skipped[parsed.reason]++;
    if (parsed.reason !== "no-action-mapped") return;
    const eventSource = parsed.eventSource ?? source?.eventSource ?? "";
    const eventName = parsed.eventName ?? source?.eventName ?? "";
    const key = `${eventSource} ${eventName}`;
    const seen = this.unmapped.get(key);
    if (seen) seen.count++;
    else this.unmapped.set(key, { eventSource, eventName, count: 1 });
  }

  /** Parses and counts a batch of raw records: what a source's onBatch hands over. */
  addRecords(records: readonly unknown[], options: ParseOptions): void {
    for (const record of records) this.add(parseRecord(record, options));
  }

  /** Every tuple, in a stable order (account, principal, action, then the rest of the key). */
  tuples(): CallTuple[] {
    return [...this.byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, { tuple }]) => ({ ...tuple, sampleEventIds: [...tuple.sampleEventIds] }));
  }

  counts(): ReadCounts {
    const unmapped = [...this.unmapped.values()]
      .sort(
        (a, b) =>
          b.count - a.count ||
          a.eventSource.localeCompare(b.eventSource) ||
          a.eventName.localeCompare(b.eventName),
      )
      .slice(0, UNMAPPED_SHOWN)
      .map((u) => ({ ...u }));
    return {
      eventsRead: this.eventsRead,
      evaluated: this.evaluated,
      skipped: { ...this.skipped },
      unmapped,
    };
  }

  private count(call: ObservedCall): void {
    const key = tupleKey(call);
    const counting = this.byKey.get(key);
    if (!counting) {
      const tuple: CallTuple = {
        account: call.account,
        principalArn: call.principalArn,
        principalKind: call.principalKind,
        action: call.action,
        region: call.region,
        mfa: call.mfa,
        viaAwsService: call.viaAwsService,
        resource: call.resource,
        resourceGuessed: call.resourceGuessed,
        count: 1,
        firstSeen: call.eventTime,
        lastSeen: call.eventTime,
        sampleEventIds: [call.eventId],
        denied: call.denial ? 1 : 0,
      };
      if (call.assumedRoot) tuple.assumedRoot = true;
      if (call.sourceIp !== undefined) tuple.sourceIp = call.sourceIp;
      if (call.sourceVpce !== undefined) tuple.sourceVpce = call.sourceVpce;
      if (call.openKeys !== undefined) tuple.openKeys = call.openKeys;
      if (call.denial) tuple.lastDenial = call.denial;
      this.byKey.set(key, {
        tuple,
        sampleTimes: [call.eventTime],
        ...(call.denial ? { lastDenialAt: call.eventTime, lastDenialId: call.eventId } : {}),
      });
      return;
    }
    const { tuple } = counting;
    tuple.count++;
    // ISO 8601 in UTC, as CloudTrail writes eventTime, orders as text.
    if (call.eventTime < tuple.firstSeen) tuple.firstSeen = call.eventTime;
    if (call.eventTime > tuple.lastSeen) tuple.lastSeen = call.eventTime;
    keepSample(counting, call);
    if (call.denial) {
      tuple.denied++;
      const at = counting.lastDenialAt;
      // The latest by time; a tie goes to the larger event id, so arrival order does not matter.
      if (
        at === undefined ||
        call.eventTime > at ||
        (call.eventTime === at && call.eventId > (counting.lastDenialId ?? ""))
      ) {
        tuple.lastDenial = call.denial;
        counting.lastDenialAt = call.eventTime;
        counting.lastDenialId = call.eventId;
      }
    }
  }
}

/** account|principal|action|region|mfa|address|endpoint|via a service|open keys|resource. */
function tupleKey(c: ObservedCall): string {
  return `${c.account}|${c.principalArn}|${c.action}|${c.region}|${c.mfa}|${c.assumedRoot ? "assumed-root" : ""}|${c.sourceIp ?? ""}|${c.sourceVpce ?? ""}|${c.viaAwsService}|${c.openKeys?.join(" ") ?? ""}|${c.resource}`;
}

/** Keeps the SAMPLES earliest events (by time, then id), sorted. */
function keepSample(counting: Counting, call: ObservedCall): void {
  const { sampleTimes: times, tuple } = counting;
  const ids = tuple.sampleEventIds;
  let at = times.length;
  while (at > 0 && earlier(call.eventTime, call.eventId, times[at - 1] as string, ids[at - 1] as string))
    at--;
  if (at >= SAMPLES) return;
  times.splice(at, 0, call.eventTime);
  ids.splice(at, 0, call.eventId);
  if (times.length > SAMPLES) {
    times.pop();
    ids.pop();
  }
}

function earlier(time: string, id: string, otherTime: string, otherId: string): boolean {
  return time < otherTime || (time === otherTime && id < otherId);
}
