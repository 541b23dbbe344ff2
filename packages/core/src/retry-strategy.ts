import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";
import { type Clock, SYSTEM_CLOCK } from "./clock.js";

/** Back-off of retried calls, in milliseconds. */
export interface BackoffSettings {
  /** First back-off of a transient error (5xx, timeout, reset), doubled per retry. */
  baseMs: number;
  /** First back-off of a throttling error, doubled per retry. */
  throttlingBaseMs: number;
  /** No back-off is longer than this. */
  maxMs: number;
}

/** The SDK's standard-mode back-off (@smithy/util-retry, v1 constants). */
export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 50, throttlingBaseMs: 100, maxMs: 20_000 };

export interface BackoffRetryOptions {
  backoff?: BackoffSettings;
  random?: () => number;
  /**
   * The throttling scope of a failed call (the account, for a client shared by every account),
   * from its error: a throttled call pauses its scope's new calls, and no other scope's.
   */
  scopeOf?: (info: RetryErrorInfo) => string | undefined;
  /** Where throttled scopes are paused; new calls wait on it before their first attempt (ClientFactory). */
  pauses?: ScopePauses;
  /** What back-offs are measured with (tests pass a manual clock). */
  clock?: Clock;
  /** Told of every back-off and the scope of its call (ApiCallCounter.recordBackoff): where a faulty run's time goes. */
  onBackoff?: (kind: "THROTTLING" | "TRANSIENT", ms: number, scope: string | undefined) => void;
}

/**
 * Scopes paused by a throttle: until when each may send new calls again. A client's middleware
 * asks `wait` before a call's first attempt; the retry strategy `pause`s the scope of a throttled one.
 */
export class ScopePauses {
  readonly #until = new Map<string, number>();
  readonly #clock: Clock;

  readonly #onWait: ((ms: number, scope: string) => void) | undefined;

  constructor(clock: Clock = SYSTEM_CLOCK, onWait?: (ms: number, scope: string) => void) {
    this.#clock = clock;
    this.#onWait = onWait;
  }

  /** Nothing when the scope may go on now (no promise made: the common case), else the end of its pause. */
  wait(scope: string): Promise<void> | undefined {
    const until = this.#until.get(scope);
    if (until === undefined) return undefined;
    const left = until - this.#clock.now();
    if (left <= 0) {
      this.#until.delete(scope);
      return undefined;
    }
    this.#onWait?.(left, scope);
    return this.#clock.sleep(left).then(() => this.wait(scope));
  }

  pause(scope: string, ms: number): void {
    const until = this.#clock.now() + ms;
    if (until > (this.#until.get(scope) ?? 0)) this.#until.set(scope, until);
  }
}

/**
 * The SDK's standard retry rules — throttling and transient errors only, full-jitter exponential
 * back-off, a Retry-After hint honoured — without its retry quota, plus a pause per throttling
 * scope. orgwarden shares one SDK client per service and region across every account it reaches
 * (ClientFactory), so the SDK's per-client state (a retry quota of 500 tokens, or adaptive mode's
 * send-rate limiter) would be shared too: one account's throttling or outage would spend the
 * retries, or slow the calls, of all the others. Here each call is bounded by its own attempts, and
 * a throttled call holds back the new calls of its own scope (service, region and account; the
 * whole organization for Organizations) for as long as its own back-off: a throttled scope is not
 * hammered, and every other scope goes on at full speed.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export class BackoffRetryStrategy implements RetryStrategyV2 {
  readonly mode = "standard";
  readonly #maxAttempts: number;
  readonly #backoff: BackoffSettings;
  readonly #random: () => number;
  readonly #scopeOf: (info: RetryErrorInfo) => string | undefined;
  readonly #pauses: ScopePauses;
  readonly #clock: Clock;
  readonly #onBackoff: BackoffRetryOptions["onBackoff"];

  constructor(maxAttempts: number, options: BackoffRetryOptions = {}) {
    this.#maxAttempts = Math.max(1, maxAttempts);
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.#random = options.random ?? Math.random;
    this.#scopeOf = options.scopeOf ?? (() => undefined);
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#pauses = options.pauses ?? new ScopePauses(this.#clock);
    this.#onBackoff = options.onBackoff;
  }

  /** A new call's token (a paused scope's new calls wait on ScopePauses before they get here). */
  async acquireInitialRetryToken(): Promise<RetryToken> {
    return INITIAL_TOKEN;
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount();
    const retryable = info.errorType === "THROTTLING" || info.errorType === "TRANSIENT";
    if (!retryable || retries + 1 >= this.#maxAttempts) throw new Error("not retried");
    const base = info.errorType === "THROTTLING" ? this.#backoff.throttlingBaseMs : this.#backoff.baseMs;
    let delay = Math.floor(this.#random() * Math.min(this.#backoff.maxMs, base * 2 ** retries));
    if (info.retryAfterHint instanceof Date) {
      delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - this.#clock.now(), delay + 5_000));
    }
    const scope = this.#scopeOf(info);
    if (info.errorType === "THROTTLING") this.#pauses.pause(scope ?? "", delay);
    this.#onBackoff?.(info.errorType === "THROTTLING" ? "THROTTLING" : "TRANSIENT", delay, scope);
    return retryToken(retries + 1, delay);
  }

  recordSuccess(): void {}
}

const INITIAL_TOKEN = retryToken(0, 0);

function retryToken(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}
