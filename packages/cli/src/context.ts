import type { Credentials, Logger } from "@orgwarden/core";
import { openSession, type RunConfig } from "@orgwarden/job";
import { painter } from "@orgwarden/report";
import type { CommandContext } from "./command.js";
import type { GlobalOptions } from "./global-options.js";
import { ChangeProgress } from "./interrupt.js";
import type { Io } from "./io.js";
import { promptLine } from "./prompt.js";

export interface CreateContextExtras {
  logger?: Logger | undefined;
  runConfig?: RunConfig | undefined;
  operatorCredentials?: Credentials | undefined;
  changes?: ChangeProgress | undefined;
}

/** The job library's session, with the command's streams, colours and config file. */
export function createContext(
  options: GlobalOptions,
  io: Io,
  extras: CreateContextExtras = {},
): CommandContext {
  const session = openSession(options, {
    logger: extras.logger,
    operatorCredentials: extras.operatorCredentials,
    env: io.env,
    promptMfaCode: io.interactive ? (serial) => promptLine(io, `MFA code for ${serial}: `) : undefined,
  });
  return {
    ...session,
    options,
    io,
    runConfig: extras.runConfig,
    paint: painter(options.color && (io.stdoutIsTty || options.forceColor)),
    changes: extras.changes ?? new ChangeProgress(),
  };
}
