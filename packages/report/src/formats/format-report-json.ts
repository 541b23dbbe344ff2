import type { Report } from "../report-model.js";
import { summarizeReport } from "../summarize-report.js";
import { rowChunks } from "./format-report.js";

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
  let first = true;
  for (const chunk of rowChunks(report.rows)) {
    const rows = chunk.map((r) => `    ${JSON.stringify(r, null, 2).replaceAll("\n", "\n    ")}`);
    // head ends with `"rows": []\n}`: open the array, then the rows indented as stringify would.
    yield `${first ? `${head.slice(0, head.lastIndexOf("[]"))}[\n` : ",\n"}${rows.join(",\n")}`;
    first = false;
  }
  yield first ? `${head}\n` : "\n  ]\n}\n";
}
