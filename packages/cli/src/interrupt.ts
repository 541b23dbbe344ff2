import { createLogger } from "@orgwarden/core";

/**
 * What orgwarden says when a signal stops it: one line for a person on stderr, and one warning in
 * the log for the scheduler's logs. Report files are written only at the very end, so an
 * interrupted run has written none; changes already made stay, and the next run starts from them.
 */
export function reportInterruption(signal: "SIGINT" | "SIGTERM"): void {
  process.stderr.write(
    `orgwarden: interrupted by ${signal}: stopped; no partial report was written. Changes already made stay; run again to finish.\n`,
  );
  // The logger writes synchronously to stderr: the line is out before the process exits.
  createLogger({ level: "warn" }).warn({ signal }, "interrupted: no partial report was written");
}
