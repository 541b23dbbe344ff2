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
