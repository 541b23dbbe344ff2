import { createInterface } from "node:readline/promises";
import { Interrupted } from "./interrupt.js";
import type { Io } from "./io.js";

/**
 * Asks one question on the terminal (stderr, so stdout stays clean for results). Ctrl-C rejects
 * with Interrupted (exit 130, "nothing was changed"), not a crash: the terminal is in raw mode while
 * readline reads, so the key comes to readline rather than as a signal. End of input (Ctrl-D) is no
 * answer.
 */
export async function promptLine(io: Io, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  const abort = new AbortController();
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once("SIGINT", () => {
        abort.abort();
        reject(new Interrupted("SIGINT"));
      });
      // End of input: no answer. Deferred, so that a last line read just before the end (the answer
      // piped in) settles the question first.
      rl.once("close", () => setImmediate(() => resolve("")));
      rl.question(question, { signal: abort.signal }).then(
        (answer) => resolve(answer.trim()),
        (err: unknown) => {
          if (!abort.signal.aborted) reject(err);
        },
      );
    });
  } finally {
    rl.close();
  }
}

export async function confirm(io: Io, question: string): Promise<boolean> {
  const answer = await promptLine(io, `${question} [y/N] `);
  return /^y(es)?$/i.test(answer);
}
