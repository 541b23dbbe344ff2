import type { Report } from "../report-model.js";
import { summarizeReport } from "../summarize-report.js";
import { ROWS_PER_CHUNK } from "./format-report.js";

export function formatReportJson(report: Report): string {
  return [...reportJsonChunks(report)].join("");
}

/**
 * The JSON document in pieces, byte for byte what JSON.stringify(document, null, 2) gives: the
 * head (dates, summary, shard), then ROWS_PER_CHUNK rows at a time.
 */
export function* reportJsonChunks(report: Report): Generator<string> {
  const { byControl, byOu } = summarizeReport(report);
  const head = JSON.stringify(
    {
      generatedAt: report.generatedAt,
      organizationId: report.organizationId,
      summary: { byControl, byOu },
      ...(report.shard ? { shard: report.shard } : {}),
      ...(report.scpDrift ? { scpDrift: report.scpDrift } : {}),
      rows: [],
    },
    null,
    2,
  );
  if (report.rows.length === 0) {
    yield `${head}\n`;
    return;
  }
  // head ends with `"rows": []\n}`: open the array, then the rows indented as stringify would.
  yield `${head.slice(0, head.lastIndexOf("[]"))}[\n`;
  for (let i = 0; i < report.rows.length; i += ROWS_PER_CHUNK) {
    const last = i + ROWS_PER_CHUNK >= report.rows.length;
    const rows = report.rows
      .slice(i, i + ROWS_PER_CHUNK)
      .map((r) => `    ${JSON.stringify(r, null, 2).replaceAll("\n", "\n    ")}`);
    yield `${rows.join(",\n")}${last ? "\n  ]\n}\n" : ",\n"}`;
  }
}
