import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatReportHtml } from "@orgwarden/report";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  artifactPath,
  chromiumInstalled,
  launchChromium,
  openReport,
  selectByText,
  shownCount,
  visibleFindings,
} from "./support/chromium.js";
import { runsWith } from "./support/required-tool.js";
import { syntheticReport } from "./support/synthetic-report.js";

/**
 * The HTML page at 5,000 accounts × 12 controls (60,000 rows), in the system Chromium: what a person
 * sees after filtering, searching, sorting, scrolling and printing. The load time is printed (a
 * benchmark figure, see bench/html.ts), not asserted.
 */
const ACCOUNTS = 5000;
const report = syntheticReport(ACCOUNTS);
// One account with a name longer than its column and an OU path deeper than its column is wide.
const LONG = { id: "200000000003", name: "acct-3-payments-platform-production-europe-central-ledger" };
const LONG_PATH = "Root/Workloads/Dev/Team3/payments-prod/ledger-services/reconciliation";
for (const r of report.rows)
  if (r.accountId === LONG.id) Object.assign(r, { accountName: LONG.name, ouPath: LONG_PATH });
const dir = mkdtempSync(join(tmpdir(), "orgwarden-page-"));
const file = join(dir, "report.html");

/** Every filter of the findings table back to "all" (the tests share one page). */
async function clearFilters(page: Page): Promise<void> {
  for (const id of ["#f-status", "#f-severity", "#f-control", "#f-ou"]) await page.selectOption(id, "");
  await page.fill("#f-search", "");
  await page.waitForFunction(() => {
    const [shown, total] =
      (document.querySelector("#findings-shown")?.textContent ?? "").match(/[\d,]+/g) ?? [];
    return shown !== undefined && shown === total;
  });
}

describe.runIf(runsWith(chromiumInstalled()))(`the HTML report at ${ACCOUNTS} accounts`, () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    writeFileSync(
      file,
      formatReportHtml(report, {
        scpDrift: [{ target: "OU Root/Workloads (ou-abcd-11111111)", drift: ["attach require-mfa"] }],
      }),
    );
    browser = await launchChromium();
    const opened = await openReport(browser, file);
    page = opened.page;
    expect(opened.requests).toEqual([]);
    console.log(
      `HTML report, ${ACCOUNTS} accounts, ${report.rows.length} rows: ${(statSync(file).size / 1e6).toFixed(1)} MB, loaded and drawn in ${opened.loadMs} ms`,
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("draws a screenful of rows, not 60,000, and scrolling draws the rows that come into view", async () => {
    await page.screenshot({ path: artifactPath("report-5000-top.png") });
    expect(await shownCount(page)).toEqual([report.rows.length, report.rows.length]);
    const drawn = await page.$$eval("#findings tbody tr.finding", (rows) => rows.length);
    expect(drawn).toBeGreaterThan(10);
    expect(drawn).toBeLessThan(100);
    // The worst come first: every NON_COMPLIANT row before the first COMPLIANT one.
    const first = await visibleFindings(page);
    expect(first[0]?.Status).toContain("NON_COMPLIANT");
    // Sort by account, then scroll to the end: the last account by name is drawn, and still only a screenful.
    await page.click('#findings th[data-sort="account"]');
    await page.$eval("#findings-viewport", (v) => {
      v.scrollTop = v.scrollHeight;
    });
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll("#findings tbody tr.finding");
      return rows[rows.length - 1]?.textContent?.includes("acct-999");
    });
    const names = report.rows.map((r) => r.accountName.toLowerCase()).sort();
    const last = (await visibleFindings(page)).at(-1);
    expect(last?.Account?.split("\n")[0]).toBe(names.at(-1));
    expect(await page.$$eval("#findings tbody tr.finding", (rows) => rows.length)).toBeLessThan(100);
  });

  it("filters by control and OU narrow the table to exactly the matching rows", async () => {
    await selectByText(page, "#f-control", "root-mfa:");
    await page.selectOption("#f-ou", "Root/Sandbox/Dev");
    const expected = report.rows.filter(
      (r) => r.control === "root-mfa" && r.ouPath.startsWith("Root/Sandbox/Dev/"),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect((await shownCount(page))[0]).toBe(expected.length);
    const rows = await visibleFindings(page);
    expect(
      rows.every((r) => r.Control?.startsWith("root-mfa") && r["OU path"]?.startsWith("Root/Sandbox/Dev/")),
    ).toBe(true);
    await selectByText(page, "#f-severity", "HIGH");
    expect((await shownCount(page))[0]).toBe(0); // root-mfa is CRITICAL
    await page.selectOption("#f-severity", "");
    await page.selectOption("#f-control", "");
    await page.selectOption("#f-ou", "");
  });

  it("finds a user by name, and printing prints every selected row in full, without the filters", async () => {
    await page.fill("#f-search", "margaret-hamilton");
    await page.waitForFunction(() =>
      document.querySelector("#findings-shown")?.textContent?.startsWith("Showing 1 of"),
    );
    const [row] = await visibleFindings(page);
    expect(row?.Account).toContain("acct-7");
    expect(row?.Resource).toContain("margaret-hamilton");
    await page.screenshot({ path: artifactPath("report-5000-search.png") });

    // Print the failing rows of one OU: all of them are in the document, not just a screenful.
    await page.fill("#f-search", "");
    await page.selectOption("#f-ou", "Root/Security/Prod/Team1");
    await selectByText(page, "#f-status", "NON_COMPLIANT (");
    const selected = report.rows.filter(
      (r) => r.status === "NON_COMPLIANT" && r.ouPath.startsWith("Root/Security/Prod/Team1"),
    );
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    expect(await page.$$eval("#findings tbody tr.finding", (rows) => rows.length)).toBe(selected.length);
    expect(await page.isVisible("#findings-controls")).toBe(false);
    const reasonClamp = await page.$eval(
      "#findings tbody tr.finding .clamp",
      (el) => getComputedStyle(el).display,
    );
    expect(reasonClamp).toBe("block");
    // The scroll box lets its rows flow onto the printed pages.
    expect(await page.$eval("#findings-viewport", (el) => getComputedStyle(el).maxHeight)).toBe("none");
    await page.locator("#findings-section").screenshot({ path: artifactPath("report-5000-print.png") });
    await page.pdf({ path: artifactPath("report-5000-print.pdf") });
    await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
    await page.emulateMedia({ media: "screen" });
  });

  it("the headline and the OU tree count accounts, and a parent OU is the sum of its children", async () => {
    const standings = new Map<string, Set<string>>();
    for (const r of report.rows) {
      const s = standings.get(r.accountId) ?? new Set<string>();
      s.add(r.status);
      standings.set(r.accountId, s);
    }
    const failing = [...standings.values()].filter((s) => s.has("NON_COMPLIANT")).length;
    const failingCard = (await page.textContent('#headline .card[data-standing="failing"] b')) ?? "";
    expect(Number(failingCard.replace(/,/g, ""))).toBe(failing);
    const ou = (path: string) =>
      page.$eval(`#ous li.ou[data-ou="${path}"]`, (li) => ({
        total: Number((li as HTMLElement).dataset.total),
        failing: Number((li as HTMLElement).dataset.failing),
      }));
    const security = await ou("Root/Security");
    const children = await Promise.all(["Root/Security/Dev", "Root/Security/Prod"].map(ou));
    expect(security.total).toBe(children.reduce((n, c) => n + c.total, 0));
    expect(security.failing).toBe(children.reduce((n, c) => n + c.failing, 0));
    expect((await ou("Root")).total).toBe(ACCOUNTS);
    // "findings" on an OU sets the table's OU filter.
    await page.click('#ous li.ou[data-ou="Root"] > details > summary');
    await page.click('#ous li.ou[data-ou="Root"] > details > summary');
    await page.click('#ous li.ou[data-ou="Root/Security"] > details > summary a[data-filter]');
    expect(await page.inputValue("#f-ou")).toBe("Root/Security");
    expect((await shownCount(page))[0]).toBe(
      report.rows.filter((r) => r.ouPath.startsWith("Root/Security/")).length,
    );
  });

  it("leads with what to act on today: accounts failing a CRITICAL control, most CRITICAL first, and a link to all of them", async () => {
    await clearFilters(page);
    // The first section of the page, before the headline.
    expect(await page.$eval("body > section", (s) => s.id)).toBe("act-today");
    const critical = new Map<string, number>();
    for (const r of report.rows)
      if (r.status === "NON_COMPLIANT" && r.severity === "CRITICAL")
        critical.set(r.accountId, (critical.get(r.accountId) ?? 0) + 1);
    const listed = await page.$$eval("#act-today ol.urgent > li", (lis) =>
      lis.map((li) => ({
        id: (li as HTMLElement).dataset.account ?? "",
        critical: li.querySelectorAll(".sev-CRITICAL").length,
      })),
    );
    expect(listed.length).toBe(Math.min(10, critical.size));
    // Ranked by CRITICAL count: never fewer than a later one.
    for (let k = 1; k < listed.length; k++)
      expect(listed[k - 1]?.critical).toBeGreaterThanOrEqual(listed[k]?.critical ?? 0);
    expect(listed[0]?.critical).toBe(Math.max(...critical.values()));
    for (const a of listed) expect(critical.get(a.id)).toBe(a.critical);
    await page.locator("#act-today").screenshot({ path: artifactPath("report-5000-act-today.png") });
    // "every CRITICAL finding" sets the filters to exactly those rows.
    await page.click('#act-today a[data-filter="severity=CRITICAL"]');
    expect((await shownCount(page))[0]).toBe([...critical.values()].reduce((x, y) => x + y, 0));
    await page.selectOption("#f-severity", "");
    await page.selectOption("#f-status", "");
  });

  it("the detail panel shows only a row the filters select: filtering it away closes it", async () => {
    await clearFilters(page);
    await page.selectOption("#f-ou", "Root/Security");
    await selectByText(page, "#f-status", "NON_COMPLIANT (");
    await page.click("#findings tbody tr.finding");
    expect(await page.isVisible("#finding-detail")).toBe(true);
    expect(await page.textContent("#finding-detail")).toContain("Root/Security/");
    // A filter that still selects the row keeps the panel.
    await page.selectOption("#f-status", "");
    expect(await page.isVisible("#finding-detail")).toBe(true);
    // Another OU: the row is filtered away, and so is its detail.
    await page.selectOption("#f-ou", "Root/Sandbox");
    expect(await page.isVisible("#finding-detail")).toBe(false);
    await clearFilters(page);
  });

  it("a long account name keeps its id in view; a long OU path wraps at its slashes", async () => {
    await clearFilters(page);
    await page.fill("#f-search", LONG.id);
    await page.waitForFunction(
      (id) => document.querySelector("#findings tbody tr.finding")?.textContent?.includes(id),
      LONG.id,
    );
    const cell = await page.$eval("#findings tbody tr.finding td:first-child", (td) => {
      const box = td.getBoundingClientRect();
      const id = td.querySelector(".account-id") as HTMLElement;
      const name = td.querySelector(".account-name") as HTMLElement;
      const idBox = id.getBoundingClientRect();
      return {
        idText: id.textContent,
        idInside: idBox.top >= box.top && idBox.bottom <= box.bottom && idBox.right <= box.right + 0.5,
        idWhole: id.scrollWidth <= id.clientWidth,
        nameCut: name.scrollWidth > name.clientWidth,
      };
    });
    expect(cell).toEqual({ idText: LONG.id, idInside: true, idWhole: true, nameCut: true });
    // Every OU name stays on one line; the path wraps between them.
    const ou = await page.$eval("#findings tbody tr.finding td:nth-child(2) .path", (div) => {
      const names = [...div.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent !== "/");
      const lines = names.map((n) => {
        const range = document.createRange();
        range.selectNodeContents(n);
        return [...range.getClientRects()].map((r) => Math.round(r.top));
      });
      return {
        breaks: div.querySelectorAll("wbr").length,
        eachOnOneLine: lines.every((tops) => new Set(tops).size === 1),
        lines: new Set(lines.flat()).size,
      };
    });
    expect(ou.breaks).toBe(LONG_PATH.split("/").length - 1);
    expect(ou.eachOnOneLine).toBe(true);
    expect(ou.lines).toBeGreaterThan(1);
    await page.locator("#findings-section").screenshot({ path: artifactPath("report-5000-long-names.png") });
    await page.fill("#f-search", "");
  });
});
