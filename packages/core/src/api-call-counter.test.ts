import { describe, expect, it } from "vitest";
import { ApiCallCounter } from "./api-call-counter.js";

describe("ApiCallCounter: where a run's waiting went", () => {
  it("sums back-offs and pauses, and spans each account from its first call to its last, across threads", () => {
    const main = new ApiCallCounter();
    const worker = new ApiCallCounter();
    main.recordBackoff("THROTTLING", 80);
    worker.recordBackoff("THROTTLING", 40);
    worker.recordBackoff("TRANSIENT", 10);
    worker.recordPause(25);
    // Account a: two calls on the main thread, one in a worker, overlapping; b and c in the worker.
    main.recordSpan("a", 100, 150);
    main.recordSpan("a", 120, 400);
    worker.recordSpan("a", 90, 200);
    worker.recordSpan("b", 0, 1_000);
    worker.recordSpan("c", 10, 60);
    main.recordSpan("operator", 0, 5_000);
    main.add(worker.snapshot());
    expect(main.waitSummary()).toEqual({
      retries: { throttling: 2, transient: 1 },
      backoffMs: { throttling: 120, transient: 10 },
      pauses: 1,
      pauseMs: 25,
      // Spans 310 (a: 90 → 400), 1000 (b), 50 (c); the operator's calls are not an account's.
      accountSpanMs: { p50: 310, p90: 1_000, max: 1_000 },
    });
  });

  it("tells its listeners of each wait whose scope is known, until they stop", () => {
    const counter = new ApiCallCounter();
    const heard: string[] = [];
    const stop = counter.onWait((scope, ms) => heard.push(`${scope} ${ms}`));
    counter.recordBackoff("THROTTLING", 80, "111111111111");
    counter.recordPause(25, "222222222222");
    counter.recordBackoff("TRANSIENT", 10);
    stop();
    counter.recordPause(30, "111111111111");
    expect(heard).toEqual(["111111111111 80", "222222222222 25"]);
    // Counted all the same.
    expect(counter.waitSummary()).toMatchObject({ retries: { throttling: 1, transient: 1 }, pauses: 2 });
  });
});
