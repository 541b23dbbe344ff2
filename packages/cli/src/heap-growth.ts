import { setFlagsFromString } from "node:v8";

/**
 * How far V8 lets a thread's old generation grow past what its last full collection kept, in
 * percent. V8's own factor is up to 4× for a process whose heap limit is over a gigabyte (any
 * machine with a few GB of memory): a long report's main thread kept 45–70 MB alive and grew to
 * 100–135 MB. At 25 % a 20,000-account report peaks at 265–270 MB instead of 391 MB; the more
 * frequent full collections cost about 0.5 ms of CPU per account at 5,000 (7.4–7.5 against 6.9).
 * 50 % gave 285 MB at the same CPU as 25 %, 100 % 339 MB at V8's own CPU (bench/README.md, fourth round).
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
