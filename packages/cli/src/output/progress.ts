import type { Io } from "../io.js";

/**
 * "accounts done / total" on stderr, rewritten in place, only when stderr is a terminal: logs and
 * pipes stay clean. Returns the callback for fanOut's onProgress and a function to end the line.
 */
export function progressReporter(
  io: Io,
  label: string,
  quiet = false,
): { onProgress: (done: number, total: number) => void; end: () => void } {
  const tty = !quiet && Boolean((io.stderr as NodeJS.WriteStream).isTTY);
  let shown = false;
  return {
    onProgress: (done, total) => {
      if (!tty) return;
      shown = true;
      io.stderr.write(`\r${label}: ${done}/${total} accounts`);
    },
    end: () => {
      if (shown) io.stderr.write("\n");
    },
  };
}

/**
 * A long read's progress messages ("LookupEvents: 40 of 120 account-regions read"): rewritten in
 * place on stderr when it is a terminal, a log line (`info`, shown with -v) otherwise.
 */
export function messageProgress(
  io: Io,
  log: (message: string) => void,
  quiet = false,
): { report: (message: string) => void; end: () => void } {
  const tty = !quiet && Boolean((io.stderr as NodeJS.WriteStream).isTTY);
  let shown = false;
  return {
    report: (message) => {
      log(message);
      if (!tty) return;
      shown = true;
      io.stderr.write(`\r\u001b[2K${message}`);
    },
    end: () => {
      if (shown) io.stderr.write("\n");
    },
  };
}
