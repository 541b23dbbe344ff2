import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OrgwardenError } from "@orgwarden/core";
import { afterEach, describe, expect, it } from "vitest";
import { reportRow } from "../../../test/support/report-row.js";
import { compareRows, type ReportRow } from "./report-model.js";
import { closeReport, RowStore } from "./row-store.js";

const opened: RowStore[] = [];
const store = (options = {}) => {
  const s = new RowStore(options);
  opened.push(s);
  return s;
};
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** Accounts whose OU paths and names tie, or differ only in case or accents, or sort apart by locale. */
const accounts = [
  { accountId: "111111111111", accountName: "Payments", ouPath: "Root/Workloads" },
  { accountId: "222222222222", accountName: "payments", ouPath: "Root/Workloads" },
  { accountId: "333333333333", accountName: "Paymènts", ouPath: "Root/Workloads" },
  { accountId: "444444444444", accountName: "Payments", ouPath: "Root/workloads" },
  { accountId: "555555555555", accountName: "Payments", ouPath: "Root/Workloads" },
  { accountId: "666666666666", accountName: "Zeta", ouPath: "Root/Wörkloads" },
  { accountId: "777777777777", accountName: "éclair", ouPath: "Root" },
  { accountId: "888888888888", accountName: "Eclair", ouPath: "Root" },
  { accountId: "999999999999", accountName: "10-build", ouPath: "Root/Workloads/Sub" },
];

/** Every account's rows, with ties in control and source (two Config rows of one control). */
function rowsOf(account: (typeof accounts)[number], i: number): ReportRow[] {
  const at = { accountName: account.accountName, ouPath: account.ouPath };
  return [
    reportRow(account.accountId, "root-mfa", "COMPLIANT", { ...at, source: "scp", reason: `scp ${i}` }),
    reportRow(account.accountId, "root-mfa", "NON_COMPLIANT", at),
    reportRow(account.accountId, "cloudtrail-enabled", "COMPLIANT", at),
    reportRow(account.accountId, "guardduty-enabled", "COMPLIANT", {
      ...at,
      source: "config",
      reason: "first",
    }),
    reportRow(account.accountId, "guardduty-enabled", "ERROR", { ...at, source: "config", reason: "second" }),
    reportRow(account.accountId, "password-policy", "COMPLIANT", at),
  ];
}

describe("RowStore", () => {
  it("reads back every row in the order sorting them all with compareRows gives, byte for byte", () => {
    const s = store();
    const all = accounts.flatMap(rowsOf);
    // Accounts added in another order than the report's; one account in two parts (its Config rows later).
    const parts = accounts.map((a, i) => rowsOf(a, i)).reverse();
    const late = (parts[2] as ReportRow[]).splice(3, 2);
    for (const rows of parts) s.append(rows[0] as ReportRow, rows);
    s.append(late[0] as ReportRow, late);

    expect(s.length).toBe(all.length);
    const expected = [...all].sort(compareRows);
    expect(JSON.stringify([...s])).toBe(JSON.stringify(expected));
    // Read again: the same rows, from disk again.
    expect([...s]).toEqual(expected);
    // Where localeCompare puts case and accents (lower case first, an accent after its letter, a
    // mark weighing less than a longer path), not where code units would.
    expect([...new Set([...s].map((r) => r.accountId))]).toEqual([
      "888888888888", // Root, Eclair
      "777777777777", // Root, éclair
      "444444444444", // Root/workloads
      "222222222222", // Root/Workloads, payments
      "111111111111", // Root/Workloads, Payments, 111…
      "555555555555", // Root/Workloads, Payments, 555…
      "333333333333", // Root/Workloads, Paymènts
      "666666666666", // Root/Wörkloads
      "999999999999", // Root/Workloads/Sub
    ]);
  });

  it("keeps an account's rows on disk, not in memory", () => {
    const s = store();
    const rows = rowsOf(accounts[0] as (typeof accounts)[number], 0);
    s.append(rows[0] as ReportRow, rows);
    const file = fs.readFileSync(join(s.dir, "rows.jsonl"), "utf8");
    expect(file).toBe(`${JSON.stringify([...rows].sort(compareRows))}\n`);
  });

  it("spills any value until it is read back (what waits for the whole report)", () => {
    const s = store();
    const line = s.spill({ outcomes: ["a", "b"] });
    s.append(accounts[0] as (typeof accounts)[number], rowsOf(accounts[0] as (typeof accounts)[number], 0));
    expect(s.unspill(line)).toEqual({ outcomes: ["a", "b"] });
    expect(s.length).toBe(6);
  });

  it("removes its folder when closed (closeReport), and when the process exits", () => {
    const s = store();
    s.append(accounts[0] as (typeof accounts)[number], rowsOf(accounts[0] as (typeof accounts)[number], 0));
    expect(fs.existsSync(s.dir)).toBe(true);
    expect(process.listeners("exit")).toContainEqual(expect.any(Function));
    const exitHooks = process.listenerCount("exit");
    closeReport({ rows: s });
    expect(fs.existsSync(s.dir)).toBe(false);
    expect(process.listenerCount("exit")).toBe(exitHooks - 1);
    expect(() => [...s]).toThrow(/read after the report was closed/);
    // A report of plain rows holds nothing to close.
    expect(() => closeReport({ rows: [] })).not.toThrow();
  });

  it("fails with WRITE_FAILED and what to do when the temporary folder cannot be made or written", () => {
    const file = join(fs.mkdtempSync(join(tmpdir(), "orgwarden-row-store-test-")), "a-file");
    fs.writeFileSync(file, "");
    const unwritable = (() => {
      try {
        store({ tmpDir: join(file, "tmp") });
      } catch (err) {
        return err;
      }
    })();
    expect(unwritable).toBeInstanceOf(OrgwardenError);
    expect(unwritable).toMatchObject({
      code: "WRITE_FAILED",
      hint: expect.stringMatching(/^Set TMPDIR to a writable folder with space/),
    });
    expect((unwritable as Error).message).toMatch(
      /cannot write the report's rows to the temporary folder .*a-file.tmp: ENOTDIR/,
    );

    const full = store({
      fs: {
        ...fs,
        writeSync: () => {
          throw Object.assign(new Error("no space left on device, write"), { code: "ENOSPC" });
        },
      },
    });
    const rows = rowsOf(accounts[0] as (typeof accounts)[number], 0);
    expect(() => full.append(rows[0] as ReportRow, rows)).toThrow(
      expect.objectContaining({ code: "WRITE_FAILED", message: expect.stringContaining("ENOSPC") }),
    );
    fs.rmSync(join(file, ".."), { recursive: true, force: true });
  });
});
