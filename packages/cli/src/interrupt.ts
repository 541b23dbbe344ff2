import { createLogger } from "@orgwarden/core";

export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * Ctrl-C at a prompt: readline reads the key itself (the terminal is in raw mode, so no signal is
 * sent), and the prompt rejects with this; runMain turns it into exit 130 and the same message as
 * the signal.
 */
export class Interrupted extends Error {
  override readonly name = "Interrupted";
  constructor(readonly signal: StopSignal) {
    super(`interrupted by ${signal}`);
  }
}

/**
 * What a command that changes AWS is doing, so that an interruption can say what was changed: the
 * step in flight (a CreatePolicy sent when the signal came may have reached AWS: an unattached
 * policy the user must know about) and the steps done. One per command run, passed in (bin.ts
 * reads it from its signal handler).
 */
export class ChangeProgress {
  /** The command changes AWS (apply-scp, detach-scp, deploy-rules): "nothing was changed" applies. */
  changing = false;
  inFlight: { step: string; check: string } | undefined;
  readonly done: string[] = [];

  /** Called by a command that changes AWS, before it reads anything. */
  begin(): void {
    this.changing = true;
  }

  /** A step is about to be sent; `check` says what to look at if it may have reached AWS. */
  start(step: string, check: string): void {
    this.inFlight = { step, check };
  }

  /** The step in flight finished; `line` is how it was reported. */
  finish(line: string): void {
    this.inFlight = undefined;
    this.done.push(line);
  }

  /** The apply returned (or failed: its error says why). */
  end(): void {
    this.inFlight = undefined;
  }
}

/** The lines orgwarden prints when a signal (or Ctrl-C at a prompt) stops it. */
export function interruptionMessage(signal: StopSignal, progress?: ChangeProgress): string {
  if (progress?.inFlight) {
    const lines = [
      `orgwarden: interrupted by ${signal} during: ${progress.inFlight.step} — it may have reached AWS: ${progress.inFlight.check}`,
      ...(progress.done.length > 0
        ? ["  done before it:", ...progress.done.map((d) => `    ${d}`)]
        : ["  nothing was done before it."]),
      "  Every step is safe to repeat: run the same command again to finish.",
    ];
    return `${lines.join("\n")}\n`;
  }
  if (progress?.changing && progress.done.length > 0) {
    return `orgwarden: interrupted by ${signal} after ${progress.done.length} step(s):\n${progress.done.map((d) => `    ${d}`).join("\n")}\n  Every step is safe to repeat: run the same command again to finish.\n`;
  }
  if (progress?.changing) return `orgwarden: interrupted by ${signal}: nothing was changed.\n`;
  return `orgwarden: interrupted by ${signal}: stopped; no partial report was written. Changes already made stay; run again to finish.\n`;
}

/**
 * What orgwarden says when a signal stops it: the lines for a person on stderr, and one warning in
 * the log for the scheduler's logs. Report files are written only at the very end, so an
 * interrupted run has written none; changes already made stay, and the next run starts from them.
 */
export function reportInterruption(
  signal: StopSignal,
  progress?: ChangeProgress,
  stderr: { write(s: string): unknown } = process.stderr,
  atPrompt = false,
): void {
  // At a prompt the cursor is still on the question's line.
  stderr.write(`${atPrompt ? "\n" : ""}${interruptionMessage(signal, progress)}`);
  // The logger writes synchronously to stderr: the line is out before the process exits.
  const log = createLogger({ level: "warn" });
  if (progress?.inFlight || (progress?.changing && progress.done.length > 0)) {
    log.warn(
      { signal, inFlight: progress.inFlight?.step, done: progress.done },
      "interrupted during a change: the step in flight may have reached AWS",
    );
  } else if (progress?.changing) log.warn({ signal }, "interrupted: nothing was changed");
  else log.warn({ signal }, "interrupted: no partial report was written");
}
