/**
 * Time as orgwarden reads it: what paces and waits use, so a test can run them on a fake clock
 * instead of asserting on the wall clock (which a busy machine stretches).
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** A clock that moves only when something sleeps on it: a sleep of N ms moves it N ms at once. */
export function manualClock(start = 0): Clock {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += Math.max(0, ms);
    },
  };
}
