import { COMPLIANCE_STATUSES, CONTROL_IDS, OrgwardenError } from "@orgwarden/core";
import { z } from "zod";
import { REPORT_SOURCES, type Report, type ReportRow } from "./report-model.js";

const rowSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  ouPath: z.string(),
  control: z.enum(CONTROL_IDS),
  source: z.enum(REPORT_SOURCES as ["check", "config", "scp", "policies", "guardrails"]),
  status: z.enum(COMPLIANCE_STATUSES),
  resourceType: z.string(),
  resourceId: z.string(),
  reason: z.string(),
  evaluatedAt: z.string(),
  region: z.string(),
  severity: z.string(),
  frameworks: z.string(),
});

const reportSchema = z.object({
  generatedAt: z.string(),
  organizationId: z.string(),
  rows: z.array(rowSchema),
  shard: z.unknown().optional(),
  scpDrift: z.array(z.object({ target: z.string(), drift: z.array(z.string()) })).optional(),
});

/**
 * A JSON report (`--output json`, `latest.json`) read back; `shard` is left for the caller to check.
 * The file is parsed whole, so its rows are in memory (an array), unlike a report being made.
 */
export function parseReportJson(
  text: string,
  file: string,
  hint = "Give the JSON report orgwarden wrote (--output json, or latest.json of orgwarden run).",
): Omit<Report, "shard" | "rows"> & { rows: ReportRow[]; shard?: unknown } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new OrgwardenError("INVALID_INPUT", `${file} is not JSON: ${(err as Error).message}`, { hint });
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${file} is not an orgwarden JSON report: ${issue?.path.join(".") || "(top)"}: ${issue?.message}`,
      { hint },
    );
  }
  const { scpDrift, ...rest } = parsed.data;
  return { ...rest, rows: parsed.data.rows as ReportRow[], ...(scpDrift ? { scpDrift } : {}) };
}
