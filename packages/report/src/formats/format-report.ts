/**
 * The report's output formats, one file each: format-report-csv.ts, format-report-json.ts,
 * format-html.ts (and html/), format-report-table.ts, format-ocsf.ts (OCSF Compliance Finding
 * events as JSON lines). Security Hub's ASFF (format-asff.ts) is a mapping for the import, not a
 * file format.
 */
export const REPORT_FORMATS = ["csv", "json", "html", "table", "ocsf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Rows written per chunk: a report of 20,000 accounts is never one string in memory. */
export const ROWS_PER_CHUNK = 1000;

/** Rows ROWS_PER_CHUNK at a time, as they are read: a chunk is the most a writer holds. */
export function* rowChunks<R>(rows: Iterable<R>, size = ROWS_PER_CHUNK): Generator<R[]> {
  let chunk: R[] = [];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
