/**
 * Counts the API calls orgwarden makes, by service and operation and by the account they were made
 * in. One logical call is counted once, however many HTTP attempts its retries took; attempts are
 * counted separately. Used by the benchmark and by `--log-level debug` summaries.
 */
export interface ApiCallCounts {
  calls: Record<string, number>;
  attempts: Record<string, number>;
  byScope: Record<string, number>;
}

export class ApiCallCounter {
  readonly #calls = new Map<string, number>();
  readonly #attempts = new Map<string, number>();
  readonly #byScope = new Map<string, number>();

  record(service: string, operation: string, scope: string): void {
    const key = `${service}.${operation}`;
    this.#calls.set(key, (this.#calls.get(key) ?? 0) + 1);
    this.#byScope.set(scope, (this.#byScope.get(scope) ?? 0) + 1);
  }

  recordAttempt(service: string, operation: string): void {
    const key = `${service}.${operation}`;
    this.#attempts.set(key, (this.#attempts.get(key) ?? 0) + 1);
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
  }

  reset(): void {
    this.#calls.clear();
    this.#attempts.clear();
    this.#byScope.clear();
  }
}
