import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_COMPLIANT_ACCOUNTS } from "@orgwarden/emulator";
import type { ReportRow } from "@orgwarden/report";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/run-cli.js";

describe("orgwarden demo", () => {
  it("starts the emulator, seeds an organization, runs the whole flow and writes the reports", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "orgwarden-demo-")), "out");
    const res = await runCli(["demo", "--out-dir", dir], {
      env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
      timeoutMs: 280_000,
    });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/AWS emulator \(moto\) listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(res.stdout).toMatch(/orgwarden run: 21 accounts/);
    expect(res.stdout).toMatch(/\(enforce\): 5 change\(s\) applied/);
    expect(res.stdout).toMatch(/\(detect\): DRIFT: \+ attach orgwarden-require-mfa/);
    expect(res.stdout).toMatch(
      /root ou-\S+ \(enforce\): \d+ root credential\(s\) removed or MFA deactivated in \d+ account\(s\)/,
    );
    expect(res.stdout).toMatch(/root ou-\S+ \(detect\): ROOT CREDENTIALS in \d+ account\(s\)/);
    expect(res.stdout).toContain("emulator stopped");
    // orgwarden policies after the job: every type, each owner the demo seeded, the invalid account.
    expect(res.stdout).toContain("15 policy types: 6 enabled, 9 not enabled");
    // The job enforces the data perimeter on Workloads and reports its drift on Sandbox.
    expect(res.stdout).toMatch(/rcp ou-\S+ \(enforce\): 9 change\(s\) applied/);
    expect(res.stdout).toMatch(/rcp ou-\S+ \(detect\): DRIFT: \+ attach orgwarden-identity-perimeter/);
    for (const owned of [
      "aws-guardrails-DemoAuditBucket (control-tower)",
      "AcceleratorGuardrails1 (landing-zone-accelerator)",
      "s3-account-public-access-guard (aws-service)",
      "orgwarden-deny-root-user (orgwarden)",
      "FullAWSAccess (aws-managed)",
      "s3-block-public-access (other)",
    ])
      expect(res.stdout).toContain(owned);
    expect(res.stdout).toMatch(/sandbox-01 \(\d{12}\)\s+tag\s+ELEMENTS_TOO_MANY/);
    for (const f of ["latest.csv", "latest.json", "latest.html", "orgwarden.yaml"])
      expect(existsSync(join(dir, f))).toBe(true);
    const csv = readFileSync(join(dir, "latest.csv"), "utf8").split("\r\n").filter(Boolean);
    // 11 direct checks, 2 SCP and 4 RCP controls and the 2 controls of the Config rules the demo deploys.
    expect(csv).toHaveLength(1 + 21 * 19);
    expect(csv.some((l) => l.includes(",SKIPPED,") && l.includes("account is SUSPENDED"))).toBe(true);
    expect(csv.some((l) => /,password-policy,check,COMPLIANT,/.test(l))).toBe(true);
    expect(csv.some((l) => /,password-policy,check,NON_COMPLIANT,.*minimum length 6 < 14/.test(l))).toBe(
      true,
    );
    // Two regions in the demo's config: GuardDuty is judged in both, the failing one named.
    expect(csv.some((l) => /,guardduty-enabled,check,NON_COMPLIANT,.*eu-west-1/.test(l))).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")) as { rows: ReportRow[] };
    // AWS Config's results, evaluated by the emulator from the seeded state: they agree with the direct checks.
    const config = report.rows.filter((r) => r.source === "config" && r.status !== "SKIPPED");
    expect(new Set(config.map((r) => r.status))).toEqual(
      new Set(["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"]),
    );
    for (const r of config) {
      const check = report.rows.find(
        (c) => c.source === "check" && c.accountId === r.accountId && c.control === r.control,
      );
      expect(`${r.accountName} ${r.control} ${r.status}`).toBe(
        `${r.accountName} ${r.control} ${check?.status}`,
      );
    }
    // Contrast: the accounts seeded to pass pass every control, and the page counts them.
    for (const name of DEMO_COMPLIANT_ACCOUNTS) {
      const rows = report.rows.filter((r) => r.accountName === name);
      expect(rows, name).toHaveLength(19);
      expect(
        rows.filter((r) => r.status !== "COMPLIANT" && r.status !== "NOT_APPLICABLE").map((r) => r.control),
        name,
      ).toEqual([]);
    }
    const page = readFileSync(join(dir, "latest.html"), "utf8");
    expect(page).toMatch(new RegExp(`data-standing="compliant"><b>${DEMO_COMPLIANT_ACCOUNTS.length}</b>`));
    expect(page.indexOf('<section id="act-today">')).toBeLessThan(page.indexOf('<section id="headline">'));
  }, 300_000);
});
