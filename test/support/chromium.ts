import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** The system Chromium (Debian's package); playwright-core drives it and never downloads one. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function chromiumInstalled(): boolean {
  return spawnSync(CHROMIUM, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Where tests leave screenshots for a person to look at (ORGWARDEN_TEST_ARTIFACTS, else test-artifacts/). */
export function artifactPath(name: string): string {
  const dir =
    process.env.ORGWARDEN_TEST_ARTIFACTS ??
    join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test-artifacts");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** A headless Chromium that never reaches for the network (this machine has none). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Opens a report page from file:// and waits for its findings table. Fails on any script error, or on
 * any request that is not the file itself: the page must be self-contained.
 */
export async function openReport(
  browser: Browser,
  file: string,
  viewport = { width: 1400, height: 1000 },
): Promise<{ page: Page; loadMs: number; requests: string[] }> {
  const page = await browser.newPage({ viewport });
  // A page of 60,000 rows on a busy machine: a generous bound, not Playwright's 30 s.
  page.setDefaultTimeout(120_000);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  const t0 = Date.now();
  await page.goto(`file://${file}`);
  await page.waitForSelector("#findings-rows tr.finding, #findings-shown:has-text('of 0')");
  const loadMs = Date.now() - t0;
  if (errors.length) throw new Error(`the page threw: ${errors.join("; ")}`);
  return { page, loadMs, requests: requests.filter((u) => u !== `file://${file}`) };
}

/** What the findings table shows: one object per drawn row, by column header. */
export async function visibleFindings(page: Page): Promise<Array<Record<string, string>>> {
  return page.$$eval("#findings tbody tr.finding", (rows) => {
    const headers = [...document.querySelectorAll("#findings thead th")].map((th) =>
      (th.textContent ?? "").replace(/[▲▼]/g, "").trim(),
    );
    return rows.map((tr) =>
      Object.fromEntries(
        [...tr.querySelectorAll("td")].map((td, i) => [
          headers[i] ?? String(i),
          // biome-ignore lint/performance/useDomNodeTextContent: what a person sees, line breaks included
          (td as HTMLElement).innerText,
        ]),
      ),
    );
  });
}

/** "Showing 12 of 60,000 findings" → [12, 60000]. */
export async function shownCount(page: Page): Promise<[number, number]> {
  const text = (await page.textContent("#findings-shown")) ?? "";
  const m = text.match(/Showing ([\d,]+) of ([\d,]+)/);
  if (!m) throw new Error(`unexpected count: ${text}`);
  return [Number((m[1] as string).replace(/,/g, "")), Number((m[2] as string).replace(/,/g, ""))];
}

/** Picks the option of a <select> whose label contains `text`, as a person would. */
export async function selectByText(page: Page, selector: string, text: string): Promise<void> {
  const labels = await page.$$eval(`${selector} option`, (os) => os.map((o) => o.textContent ?? ""));
  const label = labels.find((l) => l.includes(text));
  if (label === undefined) throw new Error(`${selector} has no option with ${text}: ${labels.join(", ")}`);
  await page.selectOption(selector, { label });
}
