import * as nodeFs from "node:fs";
import { join } from "node:path";
import type { ControlId, Inventory, OrgAccount } from "@orgwarden/core";
import type { RuleReading } from "@orgwarden/rules";
import { afterEach, describe, expect, it } from "vitest";
import { reportRowMaker } from "./build-rows.js";
import type { AccountFindings } from "./evaluate-account.js";
import { FindingsJson, findingsToJson } from "./findings-json.js";
import { compareRows, type ReportRow } from "./report-model.js";
import { closeReport, RowStore } from "./row-store.js";

const account = (
  id: string,
  name: string,
  ouPath: string,
  state: OrgAccount["state"] = "ACTIVE",
): OrgAccount => ({
  id,
  name,
  email: `${name}@example.com`,
  arn: `arn:aws:organizations::111111111111:account/o-x/${id}`,
  state,
  parentId: "r-root",
  ouPath,
  isManagement: false,
});

const reading = (control: ControlId, rule: string, status: "COMPLIANT" | "NON_COMPLIANT"): RuleReading => ({
  rule,
  control,
  region: "us-east-1",
  configRuleName: `orgwarden-${rule}`,
  state: "evaluated",
  evaluations: [
    { status, resourceType: "AWS::::Account", resourceId: "r", annotation: "", evaluatedAt: undefined },
  ],
});

const findings = (config: RuleReading[]): AccountFindings => ({
  check: [{ control: "root-mfa", status: "COMPLIANT", reason: "root user has MFA" }],
  config,
});

const stores: RowStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** A row maker of the check source alone, on a new store (closed after the test). */
function checkRowMaker(options: { now?: Date; store?: RowStore } = {}) {
  const store = options.store ?? new RowStore();
  stores.push(store);
  const now = options.now ?? new Date("2026-12-01T09:00:00.000Z");
  const rows = reportRowMaker(
    { sources: ["check"], rules: [], judgeScp: () => Promise.reject(new Error("unused")) },
    () => now,
    store,
  );
  return { rows, store };
}

describe("reportRowMaker", () => {
  it("makes each account's rows as it is done, once the inventory is known, in report order", async () => {
    const a = account("100000000001", "alpha", "Root/Workloads");
    const b = account("100000000002", "beta", "Root/Sandbox");
    const c = account("100000000003", "gamma", "Root/Workloads");
    const outside = account("100000000004", "delta", "Root/Other");
    const suspended = account("100000000005", "epsilon", "Root", "SUSPENDED");
    // The walk found `a` before its OU path was settled: the inventory's account is the one used.
    const early = { ...a, ouPath: "" };
    const inventory = { organizationId: "o-x" } as Inventory;
    const store = new RowStore();
    stores.push(store);
    const rows = reportRowMaker(
      { sources: ["check", "config"], rules: [], judgeScp: () => Promise.reject(new Error("no SCP source")) },
      () => new Date("2026-11-30T12:00:00.000Z"),
      store,
    );
    // Done before the walk ends: only one Config control is known yet.
    rows.add({
      account: early,
      ok: true,
      value: findings([reading("root-mfa", "root-account-mfa-enabled", "COMPLIANT")]),
    });
    rows.add({ account: outside, ok: true, value: findings([]) });
    rows.start(inventory, [a, b, c, suspended]);
    rows.add({
      account: b,
      ok: false,
      error: Object.assign(new Error("AccessDenied"), { code: "ACCESS_DENIED" }) as never,
    });
    // A Config control only this account has: every other account gets a SKIPPED row for it.
    rows.add({
      account: c,
      ok: true,
      value: findings([
        reading("root-mfa", "root-account-mfa-enabled", "NON_COMPLIANT"),
        reading("cloudtrail-enabled", "cloudtrail-enabled", "COMPLIANT"),
      ]),
    });
    rows.add({ account: suspended, ok: true, value: {} });
    const report = await rows.finish();

    const got = [...report.rows];
    expect(report.rows.length).toBe(got.length);
    expect(got).toEqual([...got].sort(compareRows));
    const of = (id: string) =>
      got.filter((r) => r.accountId === id).map((r) => `${r.control}/${r.source} ${r.status}`);
    expect(of(a.id)).toEqual([
      "cloudtrail-enabled/config SKIPPED",
      "root-mfa/check COMPLIANT",
      "root-mfa/config COMPLIANT",
    ]);
    expect(got.filter((r) => r.accountId === a.id).every((r) => r.ouPath === "Root/Workloads")).toBe(true);
    expect(of(b.id)).toContain("cloudtrail-enabled/config ERROR");
    expect(of(c.id)).toEqual([
      "cloudtrail-enabled/config COMPLIANT",
      "root-mfa/check COMPLIANT",
      "root-mfa/config NON_COMPLIANT",
    ]);
    expect(of(suspended.id)).toContain("cloudtrail-enabled/config SKIPPED");
    // Outside the report's accounts (--ou, --shard): no rows at all.
    expect(of(outside.id)).toEqual([]);
    expect(report).toMatchObject({ organizationId: "o-x", generatedAt: "2026-11-30T12:00:00.000Z" });
    closeReport(report);
    expect(() => [...report.rows]).toThrow(/closed/);
  });

  it("gives no Config rows without the config source", async () => {
    const a = account("100000000001", "alpha", "Root");
    const { rows } = checkRowMaker();
    rows.start({ organizationId: "o-x" } as Inventory, [a]);
    rows.add({ account: a, ok: true, value: findings([]) });
    const report = await rows.finish();
    expect([...report.rows].map((r: ReportRow) => r.source)).toEqual(["check"]);
  });

  it("keeps the findings of accounts done during the walk on disk, and makes the same rows from them", async () => {
    const at = new Date("2026-12-01T08:30:00.000Z");
    const a = account("100000000001", "alpha", "Root/Workloads");
    const b = account("100000000002", "beta", "Root/Workloads");
    const found = (): AccountFindings => ({
      check: [
        { control: "root-mfa", status: "NON_COMPLIANT", reason: "root user has no MFA", evaluatedAt: at },
        { control: "iam-user-mfa", status: "COMPLIANT", reason: "no console user" },
      ],
    });
    const rowsOf = async (early: boolean) => {
      const { rows, store } = checkRowMaker();
      const spillFile = join(store.dir, "rows.jsonl");
      const add = () => {
        // One as this thread found it, one as a worker thread hands it over.
        rows.add({ account: a, ok: true, value: found() });
        rows.add({ account: b, ok: true, value: new FindingsJson(findingsToJson(found())) });
      };
      if (early) {
        add();
        // Both accounts' findings are on disk before the inventory is complete.
        expect(nodeFs.statSync(spillFile).size).toBeGreaterThan(2 * findingsToJson(found()).length);
        rows.start({ organizationId: "o-x" } as Inventory, [a, b]);
      } else {
        rows.start({ organizationId: "o-x" } as Inventory, [a, b]);
        add();
      }
      return [...(await rows.finish()).rows];
    };
    const early = await rowsOf(true);
    expect(early).toEqual(await rowsOf(false));
    expect(early.filter((r) => r.control === "root-mfa").map((r) => r.evaluatedAt)).toEqual([
      "2026-12-01T08:30:00.000Z",
      "2026-12-01T08:30:00.000Z",
    ]);
    expect(early).toHaveLength(4);
  });

  it("fails the report, not the account, when the findings of an early account cannot be written", async () => {
    const full = Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    const { rows } = checkRowMaker({
      store: new RowStore({
        fs: {
          ...nodeFs,
          writeSync: () => {
            throw full;
          },
        },
      }),
    });
    const a = account("100000000001", "alpha", "Root");
    expect(() => rows.add({ account: a, ok: true, value: findings([]) })).not.toThrow();
    rows.start({ organizationId: "o-x" } as Inventory, [a]);
    await expect(rows.finish()).rejects.toMatchObject({ code: "WRITE_FAILED", message: /ENOSPC/ });
  });

  it("gives a date that is no date the report's time, whether the account was done during the walk or after", async () => {
    const a = account("100000000001", "alpha", "Root");
    const b = account("100000000002", "beta", "Root");
    const { rows } = checkRowMaker();
    const found = (): AccountFindings => ({
      check: [
        {
          control: "root-mfa",
          status: "COMPLIANT",
          reason: "root user has MFA",
          evaluatedAt: new Date("garbage"),
        },
      ],
    });
    rows.add({ account: a, ok: true, value: found() });
    rows.start({ organizationId: "o-x" } as Inventory, [a, b]);
    rows.add({ account: b, ok: true, value: found() });
    const got = [...(await rows.finish()).rows];
    expect(got.map((r) => r.evaluatedAt)).toEqual(["2026-12-01T09:00:00.000Z", "2026-12-01T09:00:00.000Z"]);
  });
});
