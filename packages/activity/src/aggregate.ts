import type { CallTuple, ReadCounts } from "./call-tuple.js";
import {
  type ObservedCall,
  type ParsedEvent,
  type ParseOptions,
  type RecordedDenial,
  SKIP_REASONS,
  type SkipReason,
} from "./observed-call.js";
import { parseRecord } from "./parse-record.js";

const SAMPLES = 3;
const UNMAPPED_SHOWN = 20;

/**
 * A tuple being counted. Its strings are the aggregator's one copy of each (see CallAggregator), and
 * it keeps one array: its samples.
 */
class Counting {
  readonly account: string;
  readonly principalArn: string;
  readonly principalKind: ObservedCall["principalKind"];
  readonly action: string;
  readonly region: string;
  readonly mfa: boolean | undefined;
  readonly assumedRoot: boolean;
  readonly sourceIp: string | undefined;
  readonly sourceVpce: string | undefined;
  readonly viaAwsService: boolean;
  readonly openKeys: ObservedCall["openKeys"];
  readonly resource: string;
  readonly resourceGuessed: boolean;
  count = 1;
  firstSeen: string;
  lastSeen: string;
  /**
   * The SAMPLES earliest events, by time then id, as [time, id, time, id, …]: what the order rule
   * compares. Made at its full length once, so it never grows (a growing array reserves more).
   */
  readonly samples: string[];
  /** How many samples are kept (the pairs in use at the start of `samples`). */
  sampled = 1;
  denied: number;
  lastDenial: RecordedDenial | undefined;
  /** The time and id of the event whose denial is lastDenial. */
  lastDenialAt: string | undefined;
  lastDenialId: string | undefined;

  /** The tuple of `call`, its first event; `kept` gives the aggregator's copy of a string. */
  constructor(call: ObservedCall, kept: (text: string) => string) {
    this.account = kept(call.account);
    this.principalArn = kept(call.principalArn);
    this.principalKind = call.principalKind;
    this.action = kept(call.action);
    this.region = kept(call.region);
    this.mfa = call.mfa;
    this.assumedRoot = call.assumedRoot === true;
    this.sourceIp = call.sourceIp === undefined ? undefined : kept(call.sourceIp);
    this.sourceVpce = call.sourceVpce === undefined ? undefined : kept(call.sourceVpce);
    this.viaAwsService = call.viaAwsService;
    this.openKeys = call.openKeys;
    this.resource = kept(call.resource);
    this.resourceGuessed = call.resourceGuessed;
    this.firstSeen = call.eventTime;
    this.lastSeen = call.eventTime;
    this.samples = [call.eventTime, call.eventId, "", "", "", ""];
    this.denied = call.denial ? 1 : 0;
    this.lastDenial = call.denial;
    this.lastDenialAt = call.denial ? call.eventTime : undefined;
    this.lastDenialId = call.denial ? call.eventId : undefined;
  }
}

/**
 * Calls counted per tuple (call-tuple.ts): one small record per distinct request an SCP would see,
 * never the events themselves, so memory grows with distinct tuples (a hundred thousand for 500
 * accounts' week), not with events (millions). Each parsed record brings fresh copies of the same
 * accounts, ARNs, actions, regions and addresses: the aggregator keeps one copy of each (one Map),
 * and keys a tuple by their numbers, so a tuple costs its counts, its samples and a short key.
 * The result does not depend on the order events arrive in (sources read accounts and regions in
 * parallel): samples are the earliest events (by time, then id), the last denial the latest.
 */
export class CallAggregator {
  private readonly byKey = new Map<string, Counting>();
  /** Every string a tuple keeps, once, with its number: the key of a tuple is made of these numbers. */
  private readonly interned = new Map<string, number>();
  private readonly strings: string[] = [];
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
    return [...this.byKey.values()].sort(compareCountings).map(tupleOf);
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

  /** The number of a string; the string it stands for is strings[number], the one copy kept. */
  private idOf(text: string | undefined): number {
    if (text === undefined) return -1;
    let id = this.interned.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.interned.set(text, id);
    }
    return id;
  }

  private count(call: ObservedCall): void {
    const ids = [
      this.idOf(call.account),
      this.idOf(call.principalArn),
      this.idOf(call.action),
      this.idOf(call.region),
      this.idOf(call.sourceIp),
      this.idOf(call.sourceVpce),
      this.idOf(call.openKeys?.join(" ")),
      this.idOf(call.resource),
    ];
    // The numbers, then what is not a string: MFA (true, false, absent), AssumedRoot, via a service.
    const flags = `${call.mfa === undefined ? "a" : call.mfa ? "t" : "f"}${call.assumedRoot ? "r" : ""}${call.viaAwsService ? "v" : ""}`;
    const key = `${ids.join(",")},${flags}`;
    const counting = this.byKey.get(key);
    if (!counting) {
      this.byKey.set(key, new Counting(call, (text) => this.strings[this.idOf(text)] as string));
      return;
    }
    counting.count++;
    // ISO 8601 in UTC, as CloudTrail writes eventTime, orders as text.
    if (call.eventTime < counting.firstSeen) counting.firstSeen = call.eventTime;
    if (call.eventTime > counting.lastSeen) counting.lastSeen = call.eventTime;
    keepSample(counting, call);
    if (call.denial) {
      counting.denied++;
      const at = counting.lastDenialAt;
      // The latest by time; a tie goes to the larger event id, so arrival order does not matter.
      if (
        at === undefined ||
        call.eventTime > at ||
        (call.eventTime === at && call.eventId > (counting.lastDenialId ?? ""))
      ) {
        counting.lastDenial = call.denial;
        counting.lastDenialAt = call.eventTime;
        counting.lastDenialId = call.eventId;
      }
    }
  }
}

/** Keeps the SAMPLES earliest events (by time, then id), sorted, as [time, id] pairs. */
function keepSample(counting: Counting, call: ObservedCall): void {
  const samples = counting.samples;
  let at = counting.sampled;
  while (
    at > 0 &&
    earlier(call.eventTime, call.eventId, samples[2 * at - 2] as string, samples[2 * at - 1] as string)
  )
    at--;
  if (at >= SAMPLES) return;
  // Shift the later ones one place (the last falls off when all places are taken), then insert.
  const last = Math.min(counting.sampled, SAMPLES - 1);
  for (let i = last; i > at; i--) {
    samples[2 * i] = samples[2 * i - 2] as string;
    samples[2 * i + 1] = samples[2 * i - 1] as string;
  }
  samples[2 * at] = call.eventTime;
  samples[2 * at + 1] = call.eventId;
  counting.sampled = last + 1;
}

function earlier(time: string, id: string, otherTime: string, otherId: string): boolean {
  return time < otherTime || (time === otherTime && id < otherId);
}

function tupleOf(c: Counting): CallTuple {
  const tuple: CallTuple = {
    account: c.account,
    principalArn: c.principalArn,
    principalKind: c.principalKind,
    action: c.action,
    region: c.region,
    mfa: c.mfa,
    viaAwsService: c.viaAwsService,
    resource: c.resource,
    resourceGuessed: c.resourceGuessed,
    count: c.count,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    sampleEventIds: Array.from({ length: c.sampled }, (_, i) => c.samples[2 * i + 1] as string),
    denied: c.denied,
  };
  if (c.assumedRoot) tuple.assumedRoot = true;
  if (c.sourceIp !== undefined) tuple.sourceIp = c.sourceIp;
  if (c.sourceVpce !== undefined) tuple.sourceVpce = c.sourceVpce;
  if (c.openKeys !== undefined) tuple.openKeys = c.openKeys;
  if (c.lastDenial) tuple.lastDenial = c.lastDenial;
  return tuple;
}

const byText = (a: string | undefined, b: string | undefined) =>
  a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : 1;
const byFlag = (a: boolean | undefined, b: boolean | undefined) => byText(String(a), String(b));

/** account, principal, action, region, MFA, AssumedRoot, address, endpoint, via a service, open keys, resource. */
function compareCountings(a: Counting, b: Counting): number {
  return (
    byText(a.account, b.account) ||
    byText(a.principalArn, b.principalArn) ||
    byText(a.action, b.action) ||
    byText(a.region, b.region) ||
    byFlag(a.mfa, b.mfa) ||
    byFlag(a.assumedRoot, b.assumedRoot) ||
    byText(a.sourceIp, b.sourceIp) ||
    byText(a.sourceVpce, b.sourceVpce) ||
    byFlag(a.viaAwsService, b.viaAwsService) ||
    byText(a.openKeys?.join(" "), b.openKeys?.join(" ")) ||
    byText(a.resource, b.resource)
  );
}
