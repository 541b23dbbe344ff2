import { createHash } from "node:crypto";
import { OrgwardenError } from "@orgwarden/core";
import { z } from "zod";
import { parseReportJson } from "./read-report.js";
import {
  compareAccounts,
  compareRows,
  type Report,
  type ReportRow,
  type ReportRows,
  type ShardInfo,
  type ShardSpec,
} from "./report-model.js";

/** At most this many shards: past it, a shard is a handful of accounts and the walks dominate. */
export const MAX_SHARDS = 1000;

/** Parses `K/N` (1 ≤ K ≤ N ≤ 1000). */
export function parseShard(raw: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || count < 1 || index > count || count > MAX_SHARDS) {
    throw new OrgwardenError("INVALID_INPUT", `--shard ${raw}: expected K/N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}`, {
      hint: "e.g. --shard 1/4 … --shard 4/4 for four parallel runs, then orgwarden report merge on their JSON outputs.",
    });
  }
  return { index, count };
}

/**
 * The shard (1-based) an account belongs to among `count`: from a hash of its id, so the split is
 * stable from run to run and even whatever the ids look like.
 */
export function shardOf(accountId: string, count: number): number {
  const h = createHash("sha256").update(accountId).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(accountId: string, shard: ShardSpec): boolean {
  return shardOf(accountId, shard.count) === shard.index;
}

const shardSchema = z
  .object({
    index: z.number().int().min(1),
    count: z.number().int().min(1).max(MAX_SHARDS),
    scope: z.string(),
    scopeAccounts: z.number().int().min(0),
    accounts: z.array(z.string()),
  })
  .optional();

/** A shard's report as read back from its JSON file: its rows are in memory (read-report.ts). */
export interface ShardReport extends Report {
  rows: ReportRow[];
  shard: ShardInfo;
}

/** A report read back from `orgwarden report --shard K/N --output json`. */
export function parseShardReport(text: string, file: string): ShardReport {
  const hint = "Merge the JSON outputs of orgwarden report --shard K/N --output json.";
  const { shard: raw, ...report } = parseReportJson(text, file, hint);
  const parsed = shardSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${file} is not an orgwarden JSON report: shard.${issue?.path.join(".")}: ${issue?.message}`,
      { hint },
    );
  }
  const shard = parsed.data;
  if (!shard)
    throw new OrgwardenError("INVALID_INPUT", `${file} is a whole report, not a shard (it has no "shard")`, {
      hint: "Only the outputs of orgwarden report --shard K/N are merged.",
    });
  return { ...report, shard };
}

/**
 * One report from every shard's: refuses a missing or duplicated shard, shards of different splits,
 * organizations or scopes, an account in the wrong shard or in two, and shards that together do not
 * cover every account of the scope. Rows come out in report order; the report is dated by its
 * earliest shard.
 */
export function mergeShardReports(parts: ReadonlyArray<{ file: string; report: ShardReport }>): Report {
  const first = parts[0];
  if (!first)
    throw new OrgwardenError("INVALID_INPUT", "no shard to merge", { hint: "Name the shards' JSON files." });
  const refuse = (message: string, hint: string): never => {
    throw new OrgwardenError("INVALID_INPUT", message, { hint });
  };
  const { count, scope, scopeAccounts } = first.report.shard;
  for (const p of parts) {
    const s = p.report.shard;
    if (p.report.organizationId !== first.report.organizationId)
      refuse(
        `${p.file} is a report of ${p.report.organizationId}, ${first.file} of ${first.report.organizationId}`,
        "Merge shards of one organization.",
      );
    if (s.count !== count || s.scope !== scope || s.scopeAccounts !== scopeAccounts)
      refuse(
        `${p.file} is shard ${s.index}/${s.count} of ${s.scope} (${s.scopeAccounts} accounts), ${first.file} is of ${first.report.shard.count} shards of ${scope} (${scopeAccounts} accounts)`,
        "Merge the shards of one run: the same --shard K/N split, the same --ou, the same organization state.",
      );
  }
  const byIndex = new Map<number, string[]>();
  for (const p of parts)
    byIndex.set(p.report.shard.index, [...(byIndex.get(p.report.shard.index) ?? []), p.file]);
  const twice = [...byIndex].filter(([, files]) => files.length > 1);
  if (twice.length > 0)
    refuse(
      `shard ${twice.map(([i, files]) => `${i}/${count} appears ${files.length} times (${files.join(", ")})`).join("; ")}`,
      "Give each shard's output once.",
    );
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0)
    refuse(
      `missing shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${count}`).join(", ")} of ${count}`,
      `Run orgwarden report --shard ${missing[0]}/${count} --output json and merge its output too.`,
    );
  const seen = new Map<string, string>();
  for (const p of parts) {
    const s = p.report.shard;
    for (const id of s.accounts) {
      const other = seen.get(id);
      if (other) refuse(`account ${id} is in both ${other} and ${p.file}`, "Merge the shards of one run.");
      if (shardOf(id, count) !== s.index)
        refuse(
          `${p.file} (shard ${s.index}/${count}) holds account ${id}, which belongs to shard ${shardOf(id, count)}/${count}`,
          "Merge shards made by orgwarden report --shard, unedited.",
        );
      seen.set(id, p.file);
    }
    const own = new Set(s.accounts);
    let stray: ReportRow | undefined;
    for (const r of p.report.rows) if (!own.has(r.accountId)) stray ??= r;
    if (stray)
      refuse(
        `${p.file} has rows of account ${stray.accountId}, which is not among its accounts`,
        "Merge shards made by orgwarden report --shard, unedited.",
      );
  }
  if (seen.size !== scopeAccounts)
    refuse(
      `the shards cover ${seen.size} of the ${scopeAccounts} accounts of ${scope}`,
      "The organization changed between the shards' runs, or a shard ran with another --ou: run the shards again.",
    );
  const generatedAt = parts.map((p) => p.report.generatedAt).sort()[0] as string;
  return {
    generatedAt,
    organizationId: first.report.organizationId,
    rows: mergedRows(parts.map((p) => p.report.rows)),
  };
}

/**
 * The shards' rows in report order without a copy of them all: each shard's rows are sorted where
 * they are (already in order as orgwarden wrote them), then each account's run of rows is placed by
 * compareAccounts. No account is in two shards (checked above), so this is the order of sorting
 * every row together.
 */
function mergedRows(lists: ReportRow[][]): ReportRows {
  const runs: Array<{ rows: ReportRow[]; start: number; end: number }> = [];
  for (const rows of lists) {
    rows.sort(compareRows);
    for (let start = 0; start < rows.length; ) {
      const id = (rows[start] as ReportRow).accountId;
      let end = start + 1;
      while (end < rows.length && (rows[end] as ReportRow).accountId === id) end += 1;
      runs.push({ rows, start, end });
      start = end;
    }
  }
  runs.sort((a, b) => compareAccounts(a.rows[a.start] as ReportRow, b.rows[b.start] as ReportRow));
  return {
    length: lists.reduce((n, rows) => n + rows.length, 0),
    *[Symbol.iterator]() {
      for (const run of runs) for (let i = run.start; i < run.end; i++) yield run.rows[i] as ReportRow;
    },
  };
}
