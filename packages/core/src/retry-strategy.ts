import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@smithy/types";

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
export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 100, throttlingBaseMs: 500, maxMs: 20_000 };

/**
 * The SDK's standard retry rules — throttling and transient errors only, full-jitter exponential
 * back-off, a Retry-After hint honoured — without its retry quota. orgwarden shares one SDK client
 * per service and region across every account it reaches (ClientFactory), so the SDK's per-client
 * state (a retry quota of 500 tokens, or adaptive mode's send-rate limiter) would be shared too:
 * one account's throttling or outage would spend the retries, or slow the calls, of all the others.
 * Each call here is bounded by its own attempts instead.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
export class BackoffRetryStrategy implements RetryStrategyV2 {
  readonly mode = "standard";
  readonly #maxAttempts: number;
  readonly #backoff: BackoffSettings;
  readonly #random: () => number;

  constructor(
    maxAttempts: number,
    backoff: BackoffSettings = DEFAULT_BACKOFF,
    random: () => number = Math.random,
  ) {
    this.#maxAttempts = Math.max(1, maxAttempts);
    this.#backoff = backoff;
    this.#random = random;
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return retryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount();
    const retryable = info.errorType === "THROTTLING" || info.errorType === "TRANSIENT";
    if (!retryable || retries + 1 >= this.#maxAttempts) throw new Error("not retried");
    const base = info.errorType === "THROTTLING" ? this.#backoff.throttlingBaseMs : this.#backoff.baseMs;
    let delay = Math.floor(this.#random() * Math.min(this.#backoff.maxMs, base * 2 ** retries));
    if (info.retryAfterHint instanceof Date) {
      delay = Math.max(delay, Math.min(info.retryAfterHint.getTime() - Date.now(), delay + 5_000));
    }
    return retryToken(retries + 1, delay);
  }

  recordSuccess(): void {}
}

function retryToken(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}
