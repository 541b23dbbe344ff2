import { OrgwardenError } from "@orgwarden/core";

export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new OrgwardenError("INVALID_INPUT", `--${flag} must be one of ${choices.join(", ")}, not "${value}"`);
}

/**
 * The output of a listing command: --output when given, else a table on a terminal and JSON when
 * piped — the same rule for every listing command (`fallback` comes first, e.g. --out's extension).
 */
export function listingFormat<T extends string>(
  io: { stdoutIsTty: boolean },
  requested: string | undefined,
  choices: readonly T[],
  fallback?: T,
): T {
  return parseChoice("output", requested ?? fallback ?? (io.stdoutIsTty ? "table" : "json"), choices);
}
