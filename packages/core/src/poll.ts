import type { OrgwardenError } from "./errors.js";

export interface PollOptions {
  /** Give up after this long (the last attempt may start just before). */
  timeoutMs: number;
  /** The first wait; each next one doubles, up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** What went wrong when time ran out: the error to throw. */
  timedOut: () => OrgwardenError;
  /** Called before each wait (progress, a log line). */
  onWait?: (attempt: number) => void;
  /** Tests replace the clock and the sleep. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The one waiter of orgwarden: calls `attempt` until it returns a value (not undefined), waiting
 * with doubling delays in between, and throws `timedOut()` once `timeoutMs` have passed. Used for
 * what AWS does asynchronously: the IAM credential report, an SCP policy type being enabled,
 * organization Config rules deploying, and the emulator starting.
 */
export async function pollUntil<T>(attempt: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + options.timeoutMs;
  let delay = options.firstDelayMs ?? 500;
  for (let n = 1; ; n++) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (now() >= deadline) throw options.timedOut();
    options.onWait?.(n);
    await sleep(Math.min(delay, Math.max(0, deadline - now())));
    delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
  }
}
