import type { ComplianceStatus } from "@orgwarden/core";

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36 } as const;
export type Style = keyof typeof CODES;
/** Wraps text in an ANSI style, or returns it unchanged when colour is off. */
export type Paint = (text: string, style: Style) => string;

/** Colour only where it helps a person: on a terminal, without --no-color or NO_COLOR. */
export function painter(enabled: boolean): Paint {
  return enabled ? (text, style) => `\u001b[${CODES[style]}m${text}\u001b[0m` : (text) => text;
}

export const NO_COLOUR: Paint = painter(false);

const STATUS_STYLE: Record<ComplianceStatus, Style> = {
  COMPLIANT: "green",
  NON_COMPLIANT: "red",
  ERROR: "magenta",
  INSUFFICIENT_DATA: "yellow",
  NOT_APPLICABLE: "dim",
  SKIPPED: "dim",
};

/** A status word in its colour; the word itself always says it (colour is never the only signal). */
export function paintStatus(paint: Paint, status: string): string {
  const style = STATUS_STYLE[status as ComplianceStatus];
  return style ? paint(status, style) : status;
}

/** A plan line by its sign: + green, - red, ~ yellow, = dim. */
export function paintPlanLine(paint: Paint, line: string): string {
  const sign = /^\s*([+\-~=])\s/.exec(line)?.[1];
  if (sign === "+") return paint(line, "green");
  if (sign === "-") return paint(line, "red");
  if (sign === "~") return paint(line, "yellow");
  if (sign === "=") return paint(line, "dim");
  return line;
}

/** Length as the terminal shows it (ANSI styles take no room). */
export function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}
