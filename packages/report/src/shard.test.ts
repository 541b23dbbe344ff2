import { describe, expect, it } from "vitest";
import type { ReportRow, ShardInfo } from "./report-model.js";
import {
  inShard,
  mergeShardReports,
  parseShard,
  parseShardReport,
  type ShardReport,
  shardOf,
} from "./shard.js";

const ids = Array.from({ length: 3_000 }, (_, i) => String(100_000_000_000 + i * 7919));

describe("shard partition", () => {
  it("puts every account in exactly one of N shards, evenly, the same way every time", () => {
    for (const n of [1, 2, 3, 7, 16]) {
      const counts = new Array(n).fill(0);
      for (const id of ids) {
        const owners = Array.from({ length: n }, (_, k) => k + 1).filter((k) =>
          inShard(id, { index: k, count: n }),
        );
        expect(owners).toHaveLength(1);
        counts[(owners[0] as number) - 1] += 1;
        expect(shardOf(id, n)).toBe(owners[0]);
      }
      // Even: each shard within four standard deviations of its share (a binomial count).
      const share = ids.length / n;
      for (const c of counts) expect(Math.abs(c - share)).toBeLessThan(4 * Math.sqrt(share));
    }
  });

  it("parses K/N and refuses what is not a shard", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/4", "5/4", "4", "a/b", "1/0", "1/1001", "-1/2"])
      expect(() => parseShard(bad), bad).toThrow(/K\/N/);
  });
});

function row(accountId: string): ReportRow {
  return {
    accountId,
    accountName: `acct-${accountId}`,
    ouPath: "Root/Workloads",
    control: "root-mfa",
    source: "check",
    status: "COMPLIANT",
    resourceType: "AWS::::Account",
    resourceId: accountId,
    reason: "root user has MFA",
    evaluatedAt: "2026-11-30T10:00:00.000Z",
    region: "",
    severity: "CRITICAL",
    frameworks: "",
  };
}

/** The shards of `accounts` as report --shard K/N would write them. */
function shards(accounts: string[], count: number, overrides: Partial<ShardInfo> = {}) {
  return Array.from({ length: count }, (_, i) => {
    const mine = accounts.filter((id) => shardOf(id, count) === i + 1).sort();
    const shard: ShardInfo = {
      index: i + 1,
      count,
      scope: "organization",
      scopeAccounts: accounts.length,
      accounts: mine,
      ...overrides,
    };
    const report: ShardReport = {
      generatedAt: `2026-11-30T10:0${i}:00.000Z`,
      organizationId: "o-abc",
      rows: mine.map(row),
      shard,
    };
    return { file: `shard-${i + 1}.json`, report };
  });
}

describe("mergeShardReports", () => {
  const accounts = ids.slice(0, 60);

  it("gives one report with every account once, in report order, dated by the first shard", () => {
    const merged = mergeShardReports(shards(accounts, 3));
    expect([...merged.rows].map((r) => r.accountId).sort()).toEqual([...accounts].sort());
    expect(merged.generatedAt).toBe("2026-11-30T10:00:00.000Z");
    expect(merged.shard).toBeUndefined();
    const names = [...merged.rows].map((r) => r.accountName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it("refuses a missing shard, naming it", () => {
    const parts = shards(accounts, 3);
    expect(() => mergeShardReports([parts[0], parts[2]] as typeof parts)).toThrow(/missing shard 2\/3/);
  });

  it("refuses a shard given twice", () => {
    const parts = shards(accounts, 3);
    expect(() => mergeShardReports([...parts, parts[1]] as typeof parts)).toThrow(/2\/3 appears 2 times/);
  });

  it("refuses shards of different splits or organizations", () => {
    const three = shards(accounts, 3);
    const two = shards(accounts, 2);
    expect(() => mergeShardReports([three[0], three[1], two[1]] as typeof three)).toThrow(/of 3 shards/);
    const other = shards(accounts, 2);
    (other[1] as (typeof other)[number]).report.organizationId = "o-other";
    expect(() => mergeShardReports(other)).toThrow(/o-other/);
  });

  it("refuses an account in the wrong shard, and rows of an account the shard does not hold", () => {
    const parts = shards(accounts, 2);
    const p = parts[0] as (typeof parts)[number];
    const stranger = accounts.find((id) => shardOf(id, 2) === 2) as string;
    p.report.shard.accounts.push(stranger);
    expect(() => mergeShardReports(parts)).toThrow(/belongs to shard 2\/2/);
    const again = shards(accounts, 2);
    (again[0] as (typeof again)[number]).report.rows.push(row("999999999999"));
    expect(() => mergeShardReports(again)).toThrow(/not among its accounts/);
  });

  it("refuses shards that do not cover every account of the scope", () => {
    const parts = shards(accounts, 2, { scopeAccounts: accounts.length + 1 });
    expect(() => mergeShardReports(parts)).toThrow(/cover 60 of the 61 accounts/);
  });
});

describe("parseShardReport", () => {
  it("reads a shard's JSON and refuses a whole report or another document", () => {
    const [part] = shards(ids.slice(0, 5), 1);
    const text = JSON.stringify({ ...part?.report, summary: {} });
    expect(parseShardReport(text, "a.json").shard.count).toBe(1);
    expect(() => parseShardReport(JSON.stringify({ ...part?.report, shard: undefined }), "b.json")).toThrow(
      /whole report/,
    );
    expect(() => parseShardReport("{", "c.json")).toThrow(/c.json is not JSON/);
    expect(() => parseShardReport(JSON.stringify({ rows: [{}] }), "d.json")).toThrow(
      /not an orgwarden JSON report/,
    );
  });
});
