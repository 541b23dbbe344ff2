import type { Readable, Writable } from "node:stream";

/** Where a command reads and writes; the real process streams in production, buffers in tests. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stdin and stderr are both terminals: a person is there to answer a prompt. */
  interactive: boolean;
  /** stdout is a terminal: human formats by default. */
  stdoutIsTty: boolean;
  /**
   * The terminal's width, when stdout is one: tables wrap their long cells to it. Undefined when
   * piped: a table asked for with --output table keeps every cell whole on its line (for grep).
   */
  columns?: number | undefined;
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
  };
}
