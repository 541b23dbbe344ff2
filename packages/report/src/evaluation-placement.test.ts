import { describe, expect, it } from "vitest";
import { EvaluationPlacement } from "./evaluation-placement.js";

/** A timer the test fires by hand. */
function manualTimer() {
  const timers: Array<{ fn: () => void; ms: number }> = [];
  return { timers, setTimer: (fn: () => void, ms: number) => void timers.push({ fn, ms }) };
}

describe("EvaluationPlacement: this thread for a small organization, workers for a large one, never waiting", () => {
  it("more accounts known than the threshold: workers from then on", () => {
    const t = manualTimer();
    const p = new EvaluationPlacement({ workersPast: 2, setTimer: t.setTimer });
    expect(p.where()).toBe("this-thread");
    p.known();
    p.known();
    expect(p.where()).toBe("this-thread");
    p.known();
    expect(p.where()).toBe("workers");
    // The walk's end does not change a decision made.
    p.complete(1);
    expect(p.where()).toBe("workers");
  });

  it("a walk still listing a second after its first account: workers (a paced walk of a deep tree)", () => {
    const t = manualTimer();
    const p = new EvaluationPlacement({ workersPast: 100, walkLongerThanMs: 1_000, setTimer: t.setTimer });
    p.known();
    p.known();
    expect(t.timers.map((x) => x.ms)).toEqual([1_000]);
    t.timers[0]?.fn();
    expect(p.where()).toBe("workers");
  });

  it("a walk that ends at or under the threshold keeps every account in this thread, even if the timer fires later", () => {
    const t = manualTimer();
    const p = new EvaluationPlacement({ workersPast: 100, setTimer: t.setTimer });
    p.known();
    p.complete(100);
    t.timers[0]?.fn();
    expect(p.where()).toBe("this-thread");
  });

  it("0 is workers from the first account (--workers N); no workers is this thread", () => {
    expect(new EvaluationPlacement({ workersPast: 0 }).where()).toBe("workers");
    const none = new EvaluationPlacement({ workersPast: Number.POSITIVE_INFINITY });
    none.known();
    expect(none.where()).toBe("this-thread");
  });
});
