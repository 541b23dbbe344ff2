import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

export type { Logger } from "pino";
export type LogLevel = LevelWithSilent;

/**
 * Paths pino blanks out. orgwarden never logs credentials on purpose; this is the net under that
 * rule, for objects that carry them by accident (an SDK config, an STS response).
 */
export const REDACTED_PATHS = [
  "credentials",
  "*.credentials",
  "Credentials",
  "*.Credentials",
  "secretAccessKey",
  "*.secretAccessKey",
  "SecretAccessKey",
  "*.SecretAccessKey",
  "sessionToken",
  "*.sessionToken",
  "SessionToken",
  "*.SessionToken",
  "TokenCode",
  "*.TokenCode",
  "mfaCode",
  "*.mfaCode",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "*.headers['x-amz-security-token']",
];

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Where JSON lines go; stderr by default so stdout stays for results. */
  destination?: DestinationStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: { name: "orgwarden" },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** The default for library code: a logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
