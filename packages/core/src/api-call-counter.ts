import { OPERATOR_SCOPE } from "./request-scope.js";

/**
 * Counts the API calls orgwarden makes, by service and operation and by the account they were made
 * in. One logical call is counted once, however many HTTP attempts its retries took; attempts are
 * counted separately. Used by the benchmark and by `--log-level debug` summaries.
 */
export interface ApiCallCounts {
  calls: Record<string, number>;
  attempts: Record<string, number>;
  byScope: Record<string, number>;
  /** Where waiting went: retry back-offs by error type, throttled-scope pauses (counts and ms). */
  waits: Record<string, number>;
  /** Per scope: when its first call started and its last one ended (ms, performance.timeOrigin-relative). */
  spans: Record<string, [number, number]>;
}

/** What the waits of a command add up to, and how long a scope's calls took from first to last. */
export interface WaitSummary {
  retries: { throttling: number; transient: number };
  /** Milliseconds of back-off slept before retries, summed over every call. */
  backoffMs: { throttling: number; transient: number };
  /** New calls held while their scope was paused by a throttle, and the milliseconds they waited. */
  pauses: number;
  pauseMs: number;
  /** From a scope's first call to its last one's end, over the account scopes (not OPERATOR_SCOPE). */
  accountSpanMs: { p50: number; p90: number; max: number };
}

/** Told of each wait of a scope's call: a retry's back-off, or a new call held while its scope is paused. */
export type WaitListener = (scope: string, ms: number) => void;

export class ApiCallCounter {
  readonly #listeners = new Set<WaitListener>();
  readonly #calls = new Map<string, number>();
  readonly #attempts = new Map<string, number>();
  readonly #byScope = new Map<string, number>();
  readonly #waits = new Map<string, number>();
  readonly #spans = new Map<string, [number, number]>();

  record(service: string, operation: string, scope: string): void {
    const key = `${service}.${operation}`;
    this.#calls.set(key, (this.#calls.get(key) ?? 0) + 1);
    this.#byScope.set(scope, (this.#byScope.get(scope) ?? 0) + 1);
  }

  recordAttempt(service: string, operation: string): void {
    const key = `${service}.${operation}`;
    this.#attempts.set(key, (this.#attempts.get(key) ?? 0) + 1);
  }

  /** A retry's back-off (the strategy's delay before the next attempt) in `scope`, when known. */
  recordBackoff(kind: "THROTTLING" | "TRANSIENT", ms: number, scope?: string): void {
    const k = kind === "THROTTLING" ? "throttling" : "transient";
    this.#bump(`retries.${k}`, 1);
    this.#bump(`backoffMs.${k}`, ms);
    if (scope !== undefined) this.#tell(scope, ms);
  }

  /** A new call of `scope` held while the scope was paused by a throttle. */
  recordPause(ms: number, scope?: string): void {
    this.#bump("pauses", 1);
    this.#bump("pauseMs", ms);
    if (scope !== undefined) this.#tell(scope, ms);
  }

  /**
   * Calls `listener` with the scope and length of every wait from now on (a report lends a waiting
   * account's place to the next: FanOut.lend). Returns what stops it.
   */
  onWait(listener: WaitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(scope: string, ms: number): void {
    for (const listener of this.#listeners) listener(scope, ms);
  }

  /** A call of `scope` that ran from `start` to `end` (ms): widens the scope's span. */
  recordSpan(scope: string, start: number, end: number): void {
    const span = this.#spans.get(scope);
    if (!span) this.#spans.set(scope, [start, end]);
    else {
      if (start < span[0]) span[0] = start;
      if (end > span[1]) span[1] = end;
    }
  }

  waitSummary(): WaitSummary {
    const w = (k: string) => Math.round(this.#waits.get(k) ?? 0);
    const spans = [...this.#spans]
      .filter(([scope]) => scope !== OPERATOR_SCOPE)
      .map(([, [a, b]]) => b - a)
      .sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(spans[Math.min(spans.length - 1, Math.floor(q * spans.length))] ?? 0);
    return {
      retries: { throttling: w("retries.throttling"), transient: w("retries.transient") },
      backoffMs: { throttling: w("backoffMs.throttling"), transient: w("backoffMs.transient") },
      pauses: w("pauses"),
      pauseMs: w("pauseMs"),
      accountSpanMs: { p50: at(0.5), p90: at(0.9), max: Math.round(spans.at(-1) ?? 0) },
    };
  }

  #bump(key: string, n: number): void {
    this.#waits.set(key, (this.#waits.get(key) ?? 0) + n);
  }

  /** Calls per `Service.Operation`, sorted by name. */
  byOperation(): Record<string, number> {
    return Object.fromEntries([...this.#calls].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Calls per service. */
  byService(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, n] of this.#calls) {
      const service = key.split(".")[0] ?? key;
      out[service] = (out[service] ?? 0) + n;
    }
    return out;
  }

  byScope(): Record<string, number> {
    return Object.fromEntries(this.#byScope);
  }

  total(): number {
    let n = 0;
    for (const v of this.#calls.values()) n += v;
    return n;
  }

  totalAttempts(): number {
    let n = 0;
    for (const v of this.#attempts.values()) n += v;
    return n;
  }

  /** Plain counts, e.g. to send from a worker thread to the main one. */
  snapshot(): ApiCallCounts {
    return {
      calls: Object.fromEntries(this.#calls),
      attempts: Object.fromEntries(this.#attempts),
      byScope: Object.fromEntries(this.#byScope),
      waits: Object.fromEntries(this.#waits),
      spans: Object.fromEntries(this.#spans),
    };
  }

  /** Adds counts made elsewhere (a worker thread's). */
  add(counts: ApiCallCounts): void {
    const merge = (into: Map<string, number>, from: Record<string, number>) => {
      for (const [k, n] of Object.entries(from)) into.set(k, (into.get(k) ?? 0) + n);
    };
    merge(this.#calls, counts.calls);
    merge(this.#attempts, counts.attempts);
    merge(this.#byScope, counts.byScope);
    merge(this.#waits, counts.waits);
    // Worker threads share the process's time origin: their spans compare with this thread's.
    for (const [scope, [a, b]] of Object.entries(counts.spans)) this.recordSpan(scope, a, b);
  }

  reset(): void {
    this.#calls.clear();
    this.#attempts.clear();
    this.#byScope.clear();
    this.#waits.clear();
    this.#spans.clear();
  }
}
