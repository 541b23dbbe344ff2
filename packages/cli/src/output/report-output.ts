import { extname } from "node:path";
import { OrgwardenError } from "@orgwarden/core";
import { ExitCode, reportChunks, reportExtension, writeReportFile } from "@orgwarden/job";
import { REPORT_FORMATS, type Report, type ReportFormat } from "@orgwarden/report";
import type { CommandContext } from "../command.js";
import { listingFormat } from "./output-format.js";

/**
 * --output, else --out's extension (.jsonl: ocsf), else table on a terminal and JSON when piped. An
 * --out whose extension names no format is refused (exit 2) rather than written as JSON that a
 * reader of report.txt or report.xlsx would not expect.
 */
export function reportFormat(
  ctx: CommandContext,
  output: string | undefined,
  out: string | undefined,
): ReportFormat {
  const inferred = output === undefined && out !== undefined ? formatOfFile(out) : undefined;
  return listingFormat(ctx.io, output, REPORT_FORMATS, inferred);
}

/** The format an --out file name stands for, by its extension (the ones run writes, report.<ext>). */
function formatOfFile(out: string): ReportFormat {
  const ext = extname(out).slice(1).toLowerCase();
  const format = REPORT_FORMATS.find((f) => reportExtension(f).split(".").at(-1) === ext);
  if (format) return format;
  const known = REPORT_FORMATS.map((f) => `.${reportExtension(f).split(".").at(-1)} (${f})`).join(", ");
  throw new OrgwardenError(
    "INVALID_INPUT",
    `cannot tell the report's format from --out ${out}: ${ext ? `.${ext} is not a report extension` : "it has no extension"}; known: ${known}`,
    {
      hint: `Name the file with one of those extensions, or say the format: --output ${REPORT_FORMATS.join("|")}.`,
    },
  );
}

/** Writes the report to --out (no colour) or stdout (colour on a terminal). */
export function writeReport(
  ctx: CommandContext,
  report: Report,
  format: ReportFormat,
  out: string | undefined,
): void {
  if (!out) {
    for (const chunk of reportChunks(report, format, ctx.paint, {}, { width: ctx.io.columns }))
      ctx.io.stdout.write(chunk);
    return;
  }
  writeReportFile(out, report, format);
  // -q: only errors on stderr.
  if (ctx.options.quiet) return;
  const accounts = new Set<string>();
  for (const r of report.rows) accounts.add(r.accountId);
  ctx.io.stderr.write(
    `orgwarden: wrote ${report.rows.length} rows for ${accounts.size} accounts to ${out}\n`,
  );
}

/** Says on stderr why the exit code is 3. */
export function explainIncomplete(ctx: CommandContext, report: Report, code: number): void {
  if (code !== ExitCode.incomplete) return;
  const incomplete = new Set<string>();
  for (const r of report.rows) if (r.status === "ERROR") incomplete.add(r.accountId);
  ctx.io.stderr.write(
    `orgwarden: ${incomplete.size} account(s) could not be fully evaluated: see the ERROR rows and their reasons.\n`,
  );
}
