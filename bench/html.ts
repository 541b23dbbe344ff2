/**
 * `pnpm bench:html [--accounts 1000,5000,20000]`: the HTML report's size, the time to write it, and
 * the time the system Chromium takes to load it and draw the findings table (the page marks
 * "orgwarden:findings-ready" when its first screenful is drawn), then to filter it by status and to
 * search it. Synthetic reports of N accounts × 12 controls (test/support/synthetic-report.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { formatReportHtml } from "@orgwarden/report";
import { launchChromium } from "../test/support/chromium.js";
import { syntheticReport } from "../test/support/synthetic-report.js";
import { printTable } from "./report-child.js";

const { values } = parseArgs({ options: { accounts: { type: "string", default: "1000,5000,20000" } } });
const sizes = (values.accounts ?? "").split(",").map(Number);
const dir = mkdtempSync(join(tmpdir(), "orgwarden-bench-html-"));
const browser = await launchChromium();
const rows: Array<Record<string, string>> = [];
try {
  for (const accounts of sizes) {
    const report = syntheticReport(accounts);
    const t0 = performance.now();
    const html = formatReportHtml(report);
    const writeMs = performance.now() - t0;
    const file = join(dir, `report-${accounts}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const t1 = performance.now();
    await page.goto(`file://${file}`);
    await page.waitForSelector("#findings-rows tr.finding");
    const loadMs = performance.now() - t1;
    const ready = await page.evaluate(
      () => performance.getEntriesByName("orgwarden:findings-ready")[0]?.startTime ?? Number.NaN,
    );
    const t2 = performance.now();
    await page.selectOption("#f-status", "1"); // NON_COMPLIANT
    const filterMs = performance.now() - t2;
    const t3 = performance.now();
    await page.selectOption("#f-status", "");
    await page.fill("#f-search", "margaret-hamilton");
    await page.waitForFunction(() =>
      document.querySelector("#findings-shown")?.textContent?.startsWith("Showing 1 of"),
    );
    const searchMs = performance.now() - t3;
    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );
    await page.close();
    rows.push({
      accounts: accounts.toLocaleString("en"),
      rows: report.rows.length.toLocaleString("en"),
      "page MB": (html.length / 1e6).toFixed(1),
      "write ms": writeMs.toFixed(0),
      "load ms": loadMs.toFixed(0),
      "table ready ms": ready.toFixed(0),
      "status filter ms": filterMs.toFixed(0),
      "search ms (incl. 120 ms debounce)": searchMs.toFixed(0),
      "page JS heap MB": (heap / 1e6).toFixed(0),
    });
    console.error(`${accounts} accounts done`);
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
const header = Object.keys(rows[0] ?? {});
printTable(
  header,
  rows.map((r) => `| ${header.map((h) => r[h]).join(" | ")} |`),
);
