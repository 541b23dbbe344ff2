import { describe, expect, it } from "vitest";
import { OrgwardenError } from "./errors.js";
import { pollUntil } from "./poll.js";

function fakeClock() {
  let t = 0;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
  };
}

describe("pollUntil", () => {
  it("returns the first value, doubling the waits up to the cap", async () => {
    const clock = fakeClock();
    let calls = 0;
    const value = await pollUntil(async () => (++calls === 5 ? "ready" : undefined), {
      timeoutMs: 60_000,
      firstDelayMs: 100,
      maxDelayMs: 500,
      timedOut: () => new OrgwardenError("AWS_ERROR", "late"),
      ...clock,
    });
    expect(value).toBe("ready");
    expect(clock.waits).toEqual([100, 200, 400, 500]);
  });

  it("throws the caller's error once the time is up, never waiting past the deadline", async () => {
    const clock = fakeClock();
    const waited: number[] = [];
    await expect(
      pollUntil(async () => undefined, {
        timeoutMs: 1_000,
        firstDelayMs: 300,
        timedOut: () => new OrgwardenError("AWS_ERROR", "still not enabled"),
        onWait: (n) => waited.push(n),
        ...clock,
      }),
    ).rejects.toThrow("still not enabled");
    expect(clock.waits).toEqual([300, 600, 100]);
    expect(waited).toEqual([1, 2, 3]);
  });

  it("passes an error of the attempt through at once", async () => {
    const clock = fakeClock();
    await expect(
      pollUntil(
        async () => {
          throw new Error("AccessDenied");
        },
        { timeoutMs: 1_000, timedOut: () => new OrgwardenError("AWS_ERROR", "late"), ...clock },
      ),
    ).rejects.toThrow("AccessDenied");
    expect(clock.waits).toEqual([]);
  });
});
