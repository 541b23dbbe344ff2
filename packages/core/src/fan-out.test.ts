import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createFanOut, type FanOut, LENT_PLACES_FACTOR } from "./fan-out.js";

interface Account {
  id: string;
}

/** Accounts whose task runs until the test ends it; `started` lists them in the order they began. */
function gatedFanOut(concurrency: number) {
  const started: string[] = [];
  const finish = new Map<string, () => void>();
  const run: FanOut<Account, string> = createFanOut(
    (a) =>
      new Promise<string>((resolve) => {
        started.push(a.id);
        finish.set(a.id, () => resolve(a.id));
      }),
    { concurrency },
  );
  const add = (...ids: string[]) => {
    for (const id of ids) run.add({ id });
  };
  const end = async (id: string) => {
    finish.get(id)?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { run, add, end, started };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createFanOut", () => {
  it("runs at most `concurrency` accounts, and starts the next as one ends", async () => {
    const { add, end, started } = gatedFanOut(2);
    add("a", "b", "c");
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["a", "b"]);
    await end("a");
    expect(started).toEqual(["a", "b", "c"]);
  });

  it("lends a waiting account's place to the next account, and gives it back when the wait is over", async () => {
    const { run, add, end, started } = gatedFanOut(2);
    add("a", "b", "c", "d");
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["a", "b"]);
    // a backs off for 500 ms: c takes its place meanwhile (started from a microtask, never inside lend).
    run.lend("a", 500);
    expect(started).toEqual(["a", "b"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["a", "b", "c"]);
    // A longer wait of a extends the loan; a shorter one changes nothing.
    run.lend("a", 800);
    run.lend("a", 100);
    await vi.advanceTimersByTimeAsync(700);
    // a is back at 800 ms: a, b and c work, so d waits even when b ends...
    await vi.advanceTimersByTimeAsync(100);
    await end("b");
    expect(started).toEqual(["a", "b", "c"]);
    // ...and starts once two of them are done.
    await end("c");
    expect(started).toEqual(["a", "b", "c", "d"]);
  });

  it("takes back no place for an account that ended during its wait", async () => {
    const { run, add, end, started } = gatedFanOut(1);
    add("a", "b", "c");
    await vi.advanceTimersByTimeAsync(0);
    run.lend("a", 1_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["a", "b"]);
    await end("a");
    await vi.advanceTimersByTimeAsync(1_000);
    // Had a's place come back at 1,000 ms, c would run beside b.
    expect(started).toEqual(["a", "b"]);
    await end("b");
    expect(started).toEqual(["a", "b", "c"]);
  });

  it("never has more than LENT_PLACES_FACTOR × concurrency accounts running, however many wait", async () => {
    const { run, add, started } = gatedFanOut(2);
    const ids = Array.from({ length: 10 }, (_, i) => `acct${i}`);
    add(...ids);
    await vi.advanceTimersByTimeAsync(0);
    for (let round = 0; round < 5; round++) {
      for (const id of [...started]) run.lend(id, 1_000);
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(started).toHaveLength(2 * LENT_PLACES_FACTOR);
  });

  it("ignores a wait of an account that is not running, or of no time", async () => {
    const { run, add, started } = gatedFanOut(1);
    add("a", "b");
    await vi.advanceTimersByTimeAsync(0);
    run.lend("b", 500);
    run.lend("operator", 500);
    run.lend("a", 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["a"]);
  });

  it("starts no task inside add(): the caller's loop goes on first", async () => {
    const { add, started } = gatedFanOut(4);
    add("a", "b");
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(["a", "b"]);
  });

  it("gives one result per account in the order added, failures as data", async () => {
    const run = createFanOut<Account, string>(
      async (a) => {
        if (a.id === "b") throw new Error("AccessDenied");
        return a.id.toUpperCase();
      },
      { concurrency: 2 },
    );
    for (const id of ["a", "b", "c"]) run.add({ id });
    run.add({ id: "a" });
    const results = await run.settle();
    expect(results.map((r) => (r.ok ? r.value : `error: ${r.error.message}`))).toEqual([
      "A",
      "error: AccessDenied",
      "C",
    ]);
  });
});
