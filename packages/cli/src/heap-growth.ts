import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets a thread's old generation grow past what its last full collection kept, in
 * percent. V8's own factor is up to 4× for a process whose heap limit is over a gigabyte (any
 * machine with a few GB of memory): a long report's main thread kept 45–70 MB alive and grew to
 * 100–135 MB. At 25 % a 20,000-account report peaks at 268 MB instead of 391 MB, at the same CPU
 * (bench/README.md, fourth round).
 */
export const HEAP_GROWING_PERCENT = 25;

const FLAG = "--heap-growing-percent";

/**
 * Caps the heap's growth for every thread of this process (the flag is read at each full
 * collection, so setting it after start takes effect; https://nodejs.org/api/v8.html#v8setflagsfromstringflags).
 * A value the user gave Node on its command line is kept. Node refuses this flag in NODE_OPTIONS.
 * Returns the percent set, or undefined when the user's is kept.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): number | undefined {
  const given = (a: string) => /^--heap[-_]growing[-_]percent(=|$)/.test(a);
  if (execArgv.some(given)) return undefined;
  setFlagsFromString(`${FLAG}=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
