import { createInterface } from "node:readline/promises";
import type { Io } from "./io.js";

/** Asks one question on the terminal (stderr, so stdout stays clean for results). */
export async function promptLine(io: Io, question: string): Promise<string> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

export async function confirm(io: Io, question: string): Promise<boolean> {
  const answer = await promptLine(io, `${question} [y/N] `);
  return /^y(es)?$/i.test(answer);
}
