import { formatCsv, renderTable } from "@orgwarden/report";
import type { Io } from "../io.js";
import { listingFormat } from "./output-format.js";

/** The output choices of every listing command. */
export const LISTING_OUTPUTS = ["table", "json", "csv"] as const;

/** One listing in its three forms: the JSON documents, the CSV columns and the table's cells. */
export interface Listing<R> {
  rows: readonly R[];
  /** The JSON form of the rows (default: the rows as they are). */
  json?: (rows: readonly R[]) => unknown;
  csv: ReadonlyArray<{ header: string; value: (row: R) => string }>;
  table: { headers: readonly string[]; cells: (row: R) => string[]; footer?: string };
}

/**
 * Writes a listing as --output asks (a table on a terminal, JSON when piped: listingFormat): every
 * listing command (accounts, controls, scp list, rules list) says its forms once, here.
 */
export function writeListing<R>(io: Io, requested: string | undefined, listing: Listing<R>): void {
  const output = listingFormat(io, requested, LISTING_OUTPUTS);
  if (output === "json") {
    io.stdout.write(`${JSON.stringify(listing.json ? listing.json(listing.rows) : listing.rows, null, 2)}\n`);
  } else if (output === "csv") {
    io.stdout.write(formatCsv(listing.csv, listing.rows));
  } else {
    io.stdout.write(
      renderTable(listing.table.headers, listing.rows.map(listing.table.cells), { width: io.columns }),
    );
    if (listing.table.footer) io.stdout.write(`${listing.table.footer}\n`);
  }
}
