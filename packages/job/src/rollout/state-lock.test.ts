import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockRolloutState } from "./state-lock.js";

const NOW = new Date("2026-12-01T08:00:00Z");
const file = () => join(mkdtempSync(join(tmpdir(), "rollout-lock-")), "rollout.json");

describe("the rollout state's lock", () => {
  it("is a file beside the state with the holder's pid, host and start, removed on release", () => {
    const state = file();
    const lock = lockRolloutState(state, { now: NOW, pid: 4242, host: "runner-a", alive: () => true });
    expect(lock.file).toBe(`${state}.lock`);
    expect(lock.note).toBeUndefined();
    expect(JSON.parse(readFileSync(lock.file, "utf8"))).toEqual({
      pid: 4242,
      host: "runner-a",
      since: NOW.toISOString(),
    });
    lock.release();
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it("a second process is refused (exit 2), naming the holder; after the release it may take it", () => {
    const state = file();
    const first = lockRolloutState(state, { now: NOW, pid: 4242, host: "runner-a", alive: () => true });
    expect(() =>
      lockRolloutState(state, { now: NOW, pid: 4343, host: "runner-a", alive: () => true }),
    ).toThrow(
      expect.objectContaining({
        code: "REFUSED",
        message: `another rollout holds ${state}.lock (pid 4242 since ${NOW.toISOString()})`,
      }),
    );
    first.release();
    lockRolloutState(state, { now: NOW, pid: 4343, host: "runner-a" }).release();
  });

  it("a lock whose process is gone on this host is stale: taken over with a note; one of another host is not", () => {
    const state = file();
    writeFileSync(`${state}.lock`, JSON.stringify({ pid: 4242, host: "runner-a", since: NOW.toISOString() }));
    expect(() => lockRolloutState(state, { now: NOW, host: "runner-b", alive: () => false })).toThrow(
      /another rollout holds .* \(pid 4242 on runner-a since/,
    );
    const lock = lockRolloutState(state, { now: NOW, pid: 4343, host: "runner-a", alive: () => false });
    expect(lock.note).toBe(
      `took over ${state}.lock: its holder (pid 4242 since ${NOW.toISOString()}) is no longer running`,
    );
    expect(JSON.parse(readFileSync(lock.file, "utf8")).pid).toBe(4343);
    lock.release();
  });
});
