/**
 * What orgwarden says when it is stopped by a signal: one line for a person, one JSON log line (in
 * the logger's format) for the scheduler's logs. Report files are written only at the very end, so
 * an interrupted run has written none; changes already made stay, and the next run starts from them.
 */
export function interruptedBy(signal: "SIGINT" | "SIGTERM", now = new Date()): string {
  const line = `orgwarden: interrupted by ${signal}: stopped; no partial report was written. Changes already made stay; run again to finish.`;
  const log = JSON.stringify({
    level: 40,
    time: now.toISOString(),
    name: "orgwarden",
    signal,
    msg: "interrupted: no partial report was written",
  });
  return `${line}\n${log}\n`;
}
