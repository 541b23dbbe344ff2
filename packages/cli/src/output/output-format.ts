import { parseChoice } from "@orgwarden/job";

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
