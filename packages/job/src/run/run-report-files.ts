import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Report, ReportPageExtras, ShardSpec } from "@orgwarden/report";
import type { RunConfig } from "../config/run-config.js";
import { reportExtension, writeReportFile } from "../files/report-files.js";
import { copyFileAtomic } from "../files/write-file-atomic.js";
import type { RunSummary } from "./run-summary.js";

/**
 * The report files: every format of report.formats, stamped and as latest.<ext>; a shard writes only
 * shard-K-of-N.json, for orgwarden report merge.
 */
export function writeRunReport(
  config: RunConfig,
  report: Report,
  shard: ShardSpec | undefined,
  extras: ReportPageExtras,
): NonNullable<RunSummary["report"]> {
  const dir = config.report.outputDir;
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  if (shard) {
    const file = join(dir, `shard-${shard.index}-of-${shard.count}.json`);
    writeReportFile(file, report, "json");
    files.push(file);
  } else {
    const stamp = report.generatedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
    for (const format of config.report.formats) {
      const ext = reportExtension(format);
      const file = join(dir, `orgwarden-report-${stamp}.${ext}`);
      writeReportFile(file, report, format, extras);
      // latest.<ext> is replaced whole too: a failed copy leaves the previous one, never half of it.
      copyFileAtomic(file, join(dir, `latest.${ext}`), { what: "the report" });
      files.push(file);
    }
  }
  const byStatus: Record<string, number> = {};
  for (const r of report.rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return { rows: report.rows.length, byStatus, files };
}
