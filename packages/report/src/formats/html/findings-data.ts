import { COMPLIANCE_STATUSES, controlEntry } from "@orgwarden/core";
import { REPORT_SOURCES, type Report } from "../../report-model.js";
import { SEVERITIES } from "./page-model.js";

/**
 * The findings table's data as the page embeds it: every string once, every row as eight numbers
 * (5,000 accounts × 12 controls is 60,000 rows: about 3 MB instead of 15 as objects).
 */
export interface FindingsData {
  /** The numbers of each row, in this order (ROW_FIELDS). */
  fields: typeof ROW_FIELDS;
  statuses: readonly string[];
  /** A symbol per status, so that colour is never the only signal. */
  symbols: readonly string[];
  severities: readonly string[];
  sources: readonly string[];
  ous: string[];
  /** [id, name, index in ous] */
  accounts: Array<[string, string, number]>;
  /** [id, title, index in severities] */
  controls: Array<[string, string, number]>;
  strings: string[];
  /** `fields.length` numbers per row. */
  rows: number[];
}

/** The fields of a row in FindingsData.rows; regions, reasons and resources index `strings`. */
export const ROW_FIELDS = [
  "account",
  "control",
  "source",
  "status",
  "region",
  "reason",
  "resourceType",
  "resourceId",
] as const;

export const STATUS_SYMBOLS: Record<(typeof COMPLIANCE_STATUSES)[number], string> = {
  COMPLIANT: "✓",
  NON_COMPLIANT: "✗",
  NOT_APPLICABLE: "–",
  INSUFFICIENT_DATA: "?",
  ERROR: "!",
  SKIPPED: "○",
};

export function findingsData(report: Report): FindingsData {
  /** The index of `key`, adding `make()` to its list the first time. */
  const interned = <K>(map: Map<K, number>, key: K, make: () => number): number => {
    let i = map.get(key);
    if (i === undefined) {
      i = make() - 1;
      map.set(key, i);
    }
    return i;
  };
  const ous: string[] = [];
  const ouIndex = new Map<string, number>();
  const accounts: FindingsData["accounts"] = [];
  const accountIndex = new Map<string, number>();
  const controls: FindingsData["controls"] = [];
  const controlIndex = new Map<string, number>();
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string) => interned(stringIndex, s, () => strings.push(s));
  const rows: number[] = [];
  for (const r of report.rows) {
    const account = interned(accountIndex, r.accountId, () =>
      accounts.push([r.accountId, r.accountName, interned(ouIndex, r.ouPath, () => ous.push(r.ouPath))]),
    );
    const control = interned(controlIndex, r.control, () => {
      const entry = controlEntry(r.control);
      return controls.push([r.control, entry.title, Math.max(0, SEVERITIES.indexOf(entry.severity))]);
    });
    // In ROW_FIELDS order.
    rows.push(
      account,
      control,
      REPORT_SOURCES.indexOf(r.source),
      COMPLIANCE_STATUSES.indexOf(r.status),
      str(r.region),
      str(r.reason),
      str(r.resourceType),
      str(r.resourceId),
    );
  }
  return {
    fields: ROW_FIELDS,
    statuses: COMPLIANCE_STATUSES,
    symbols: COMPLIANCE_STATUSES.map((s) => STATUS_SYMBOLS[s]),
    severities: SEVERITIES,
    sources: REPORT_SOURCES,
    ous,
    accounts,
    controls,
    strings,
    rows,
  };
}

/** JSON that is safe inside <script type="application/json">: no "<" can close the element. */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
