/**
 * `pnpm docs:screenshot`: runs the demo into a temporary folder and takes the README's pictures of
 * its HTML report (docs/img/report.png: the top of the page; docs/img/report-findings.png: the
 * findings table filtered to NON_COMPLIANT) in the system Chromium.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, selectByText } from "../test/support/chromium.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "orgwarden-shot-"));
const demo = spawnSync(process.execPath, [join(root, "packages/cli/dist/bin.js"), "demo", "--out-dir", dir], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (demo.status !== 0) throw new Error(`the demo exited ${demo.status}`);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`file://${join(dir, "latest.html")}`);
  await page.waitForSelector("#findings-rows tr.finding");
  await page.screenshot({ path: join(root, "docs/img/report.png") });
  await selectByText(page, "#f-status", "NON_COMPLIANT (");
  await page.locator("#findings-section").scrollIntoViewIfNeeded();
  await page.click("#findings tr.finding");
  await page.locator("#findings-section").screenshot({ path: join(root, "docs/img/report-findings.png") });
  console.log("wrote docs/img/report.png and docs/img/report-findings.png");
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
