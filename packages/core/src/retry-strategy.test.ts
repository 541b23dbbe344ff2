import type { RetryErrorInfo } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { manualClock } from "./clock.js";
import { BackoffRetryStrategy, ScopePauses } from "./retry-strategy.js";

const info = (errorType: RetryErrorInfo["errorType"], retryAfterHint?: Date): RetryErrorInfo =>
  ({ errorType, ...(retryAfterHint ? { retryAfterHint } : {}) }) as RetryErrorInfo;

describe("BackoffRetryStrategy: the SDK's standard rules without a retry quota shared by every account", () => {
  it("retries throttling and transient errors until the attempts run out", async () => {
    const s = new BackoffRetryStrategy(3, {
      backoff: { baseMs: 100, throttlingBaseMs: 500, maxMs: 20_000 },
      random: () => 1,
    });
    let token = await s.acquireInitialRetryToken();
    token = await s.refreshRetryTokenForRetry(token, info("THROTTLING"));
    expect(token.getRetryCount()).toBe(1);
    expect(token.getRetryDelay()).toBe(500);
    token = await s.refreshRetryTokenForRetry(token, info("TRANSIENT"));
    expect(token.getRetryDelay()).toBe(200);
    // The third attempt was the last.
    await expect(s.refreshRetryTokenForRetry(token, info("TRANSIENT"))).rejects.toThrow();
  });

  it("never retries client or plain server errors", async () => {
    const s = new BackoffRetryStrategy(8);
    const token = await s.acquireInitialRetryToken();
    await expect(s.refreshRetryTokenForRetry(token, info("CLIENT_ERROR"))).rejects.toThrow();
    await expect(s.refreshRetryTokenForRetry(token, info("SERVER_ERROR"))).rejects.toThrow();
  });

  it("is not drained by one scope's failures: a thousand failing calls leave others their retries", async () => {
    const s = new BackoffRetryStrategy(8, { backoff: { baseMs: 0, throttlingBaseMs: 0, maxMs: 0 } });
    for (let i = 0; i < 1000; i++) {
      let t = await s.acquireInitialRetryToken();
      for (let r = 0; r < 7; r++) t = await s.refreshRetryTokenForRetry(t, info("TRANSIENT"));
    }
    const fresh = await s.acquireInitialRetryToken();
    await expect(s.refreshRetryTokenForRetry(fresh, info("THROTTLING"))).resolves.toBeDefined();
  });

  it("waits at least as long as a Retry-After hint (capped 5 s past its own back-off)", async () => {
    const clock = manualClock(1_000_000);
    const s = new BackoffRetryStrategy(8, {
      backoff: { baseMs: 100, throttlingBaseMs: 500, maxMs: 20_000 },
      random: () => 0,
      clock,
    });
    const token = await s.refreshRetryTokenForRetry(
      await s.acquireInitialRetryToken(),
      info("THROTTLING", new Date(clock.now() + 2_000)),
    );
    expect(token.getRetryDelay()).toBe(2_000);
    const far = await s.refreshRetryTokenForRetry(
      await s.acquireInitialRetryToken(),
      info("THROTTLING", new Date(clock.now() + 60_000)),
    );
    expect(far.getRetryDelay()).toBe(5_000);
  });

  it("a throttle pauses new calls of its own scope for its back-off, and no other scope", async () => {
    let scope = "111111111111";
    const clock = manualClock(1_000_000);
    const pauses = new ScopePauses(clock);
    const s = new BackoffRetryStrategy(8, {
      backoff: { baseMs: 100, throttlingBaseMs: 200, maxMs: 20_000 },
      random: () => 1,
      // The scope of the failed call, as the client's middleware marks its error.
      scopeOf: () => scope,
      pauses,
      clock,
    });
    // Account 1 is throttled: its back-off is 200 ms.
    await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(), info("THROTTLING"));
    // Another account's call starts at once: nothing to wait for.
    expect(pauses.wait("222222222222")).toBeUndefined();
    // A new call of account 1 waits for the pause.
    let t = clock.now();
    await pauses.wait("111111111111");
    expect(clock.now() - t).toBe(200);
    expect(pauses.wait("111111111111")).toBeUndefined();
    // A transient error (a 5xx) pauses nothing.
    scope = "111111111111";
    await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(), info("TRANSIENT"));
    t = clock.now();
    expect(pauses.wait("111111111111")).toBeUndefined();
  });

  it("names the scope of each back-off and each held call: the account whose place can be lent", async () => {
    const clock = manualClock(1_000_000);
    const waits: string[] = [];
    const pauses = new ScopePauses(clock, (ms, scope) => waits.push(`pause ${scope} ${ms}`));
    const s = new BackoffRetryStrategy(8, {
      backoff: { baseMs: 100, throttlingBaseMs: 200, maxMs: 20_000 },
      random: () => 1,
      scopeOf: () => "111111111111",
      pauses,
      clock,
      onBackoff: (kind, ms, scope) => waits.push(`${kind} ${scope} ${ms}`),
    });
    await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(), info("THROTTLING"));
    await s.refreshRetryTokenForRetry(await s.acquireInitialRetryToken(), info("TRANSIENT"));
    await pauses.wait("111111111111");
    expect(waits).toEqual([
      "THROTTLING 111111111111 200",
      "TRANSIENT 111111111111 100",
      "pause 111111111111 200",
    ]);
  });
});
