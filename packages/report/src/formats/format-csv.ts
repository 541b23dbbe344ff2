import { stringify } from "csv-stringify/sync";

/**
 * A spreadsheet runs a cell that starts with one of these as a formula. Account names, OU names and
 * reasons are user-controlled, so such a cell gets a leading apostrophe (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV with a header row, CRLF line ends, and formula-looking cells neutralised. */
export function formatCsv<R>(
  columns: ReadonlyArray<{ header: string; value: (row: R) => string }>,
  rows: Iterable<R>,
  header = true,
): string {
  const records: string[][] = [];
  for (const row of rows) records.push(columns.map((c) => neutraliseCell(c.value(row))));
  return stringify(records, {
    header,
    columns: columns.map((c) => c.header),
    record_delimiter: "\r\n",
    quoted_match: /[",\r\n]/,
  });
}
