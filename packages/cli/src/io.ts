import { fstatSync } from "node:fs";
import { type Readable, Writable } from "node:stream";
import { writeWhole } from "@orgwarden/job";

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

export function processIo(stdout: Writable = resultsStdout()): Io {
  return {
    stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    stdoutIsTty: Boolean(process.stdout.isTTY),
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
    env: process.env,
  };
}

/**
 * Standard output as the stream of results. Redirected to a file (`report > out.csv`), Node writes
 * it synchronously and ignores a short write, so a full disk would leave half a report behind and
 * exit 0: a file gets a writer that writes every byte or fails (the failure is an `error` event).
 */
export function resultsStdout(): Writable {
  let isFile = false;
  try {
    // The bigint form: under Node 20 a plain fstatSync(1) this early was seen to break the later
    // import of the demo's emulator chunk (ERR_MODULE_NOT_FOUND for a dependency pnpm links).
    isFile = fstatSync(1, { bigint: true }).isFile();
  } catch {
    // No stdout at all: process.stdout reports it.
  }
  return isFile ? new WholeWriteStream(1) : process.stdout;
}

/** Writes each chunk whole to a file descriptor, looping over short writes; an error fails the write. */
class WholeWriteStream extends Writable {
  readonly #fd: number;

  constructor(fd: number) {
    super();
    this.#fd = fd;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      writeWhole(this.#fd, chunk);
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }
}
