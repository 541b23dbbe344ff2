import { OrgwardenError } from "@orgwarden/core";

/** `--flag value` where value must be one of `choices`. */
export function parseChoice<T extends string>(flag: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new OrgwardenError("INVALID_INPUT", `--${flag} must be one of ${choices.join(", ")}, not "${value}"`);
}
