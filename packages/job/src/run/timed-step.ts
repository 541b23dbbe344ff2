import type { Logger } from "@orgwarden/core";

/** Runs one step of the job and logs one line when it is done: its counts and how long it took. */
export function timedStep(log: Logger) {
  return async <T>(name: string, fn: () => Promise<T>, counts: (t: T) => object): Promise<T> => {
    const t0 = Date.now();
    const result = await fn();
    log.info({ step: name, ...counts(result), durationMs: Date.now() - t0 }, `${name} done`);
    return result;
  };
}
