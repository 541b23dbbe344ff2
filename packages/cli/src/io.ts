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
  env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}
