import type { JobSession, RunConfig } from "@orgwarden/job";
import type { Paint } from "@orgwarden/report";
import type { Command } from "commander";
import type { GlobalOptions } from "./global-options.js";
import type { ChangeProgress } from "./interrupt.js";
import type { Io } from "./io.js";

/**
 * What every command works with: the AWS session of the job library, plus the terminal (streams,
 * colour) and the validated --config file. Built from the global options by main.ts, closed at the
 * end of the command. Commands import this file, never main.ts: the imports run one way.
 */
export interface CommandContext extends JobSession {
  options: GlobalOptions;
  io: Io;
  /** The validated --config file, when one was given. */
  runConfig: RunConfig | undefined;
  /** Colours status words and plan signs on a terminal; a no-op when piped, --no-color or NO_COLOR. */
  paint: Paint;
  /** What a change command has done and is doing, for the message when it is interrupted. */
  changes: ChangeProgress;
}

export type CommandHandler<O> = (ctx: CommandContext, opts: O, args: string[]) => Promise<number>;

/** Wraps a command handler into a commander action: builds the context, records the exit code. */
export type ActionFactory = <O>(handler: CommandHandler<O>) => (...args: unknown[]) => Promise<void>;

/** Each command file exports one of these; main.ts registers them all. */
export type RegisterCommand = (program: Command, action: ActionFactory) => void;
