import { visibleLength } from "./colour.js";

export interface TableOptions {
  /**
   * The terminal's width (process.stdout.columns): columns too wide for it are narrowed, the
   * widest first, and their cells wrapped onto more lines, so that no line is longer. Undefined
   * (piped to a file or a pager): every cell on one line, whole, as grep and diff expect.
   */
  width?: number | undefined;
}

/** A column is never narrowed below this (or its header): a reason in 3-letter slices helps nobody. */
const MIN_COLUMN = 12;
/** The least a column is narrowed to when the table has more columns than the terminal holds. */
const NARROWEST = 6;
const GAP = 2;

/** A plain aligned table for terminals; cells may carry ANSI styles (they take no width). */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  options: TableOptions = {},
): string {
  const natural = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ""))));
  const widths = fitWidths(natural, headers, options.width);
  const pad = (c: string, w: number) => c + " ".repeat(Math.max(0, w - visibleLength(c)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)))
      .join(" ".repeat(GAP))
      .trimEnd();
  const block = (cells: readonly string[]): string[] => {
    const wrapped = cells.map((c, i) => wrapCell(c, widths[i] ?? 0));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) => line(wrapped.map((w) => w[k] ?? "")));
  };
  return `${[...block(headers), line(widths.map((w) => "-".repeat(w))), ...rows.flatMap(block)].join("\n")}\n`;
}

/**
 * The natural widths, the widest narrowed one character at a time until the table fits `width`:
 * first down to MIN_COLUMN (or the header), then, for a table of many columns, down to
 * NARROWEST (headers wrap too, at their underscores).
 */
function fitWidths(natural: number[], headers: readonly string[], width: number | undefined): number[] {
  const widths = [...natural];
  if (width === undefined || width <= 0) return widths;
  const total = () => widths.reduce((n, w) => n + w, 0) + GAP * (widths.length - 1);
  const narrow = (floor: (i: number) => number) => {
    while (total() > width) {
      let widest = -1;
      for (const [i, w] of widths.entries()) {
        if (w > floor(i) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
      }
      if (widest < 0) return;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  narrow((i) => Math.max(MIN_COLUMN, headers[i]?.length ?? 0));
  // Still too wide: more columns than the terminal holds at their comfortable width.
  narrow(() => NARROWEST);
  return widths;
}

/** A cell in lines of at most `width` characters, broken at spaces (a longer word is cut). */
function wrapCell(cell: string, width: number): string[] {
  if (width < 1 || visibleLength(cell) <= width) return [cell];
  // Only long text is wrapped (reasons, names): its styles, if any, are dropped rather than split.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC.
  const text = cell.replace(/\u001b\[[0-9;]*m/g, "");
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > 0) {
      const room = current ? width - current.length - 1 : width;
      if (rest.length <= room) {
        current = current ? `${current} ${rest}` : rest;
        rest = "";
      } else if (current) {
        // Not on this line: the word starts the next one.
        lines.push(current);
        current = "";
      } else {
        // A word longer than the column (an ARN, a control/source): cut it after its last / - _ :
        // that fits, else where the line ends.
        const head = rest.slice(0, width);
        const soft = Math.max(...["/", "-", "_", ":", ","].map((c) => head.lastIndexOf(c)));
        const take = soft > 0 ? soft + 1 : width;
        lines.push(rest.slice(0, take));
        rest = rest.slice(take);
      }
    }
  }
  if (current) lines.push(current);
  return lines;
}
