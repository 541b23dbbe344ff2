import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
} from "@aws-sdk/client-organizations";
import {
  type AwsProxy,
  createConsoleUser,
  createDetector,
  createMfaPolicy,
  createTrail,
  orgClient,
  type SeededAccount,
  setPasswordPolicy,
  startAwsProxy,
  startRecorder,
} from "@orgwarden/emulator";
import { defaultScpParameters, loadPolicyLibrary, renderPolicy, requirePolicy } from "@orgwarden/scp";
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
import { useEmulatorOrg } from "./support/emulator-org.js";
import { validateComplianceFinding } from "./support/ocsf-validator.js";
import { STRONG_PASSWORD_POLICY } from "./support/password-policies.js";
import { runsWith } from "./support/required-tool.js";
import { runCli } from "./support/run-cli.js";

let proxy: AwsProxy;
const a = {} as Record<"strong" | "weak" | "bare" | "payments" | "sandbox" | "suspended", SeededAccount>;
const out = mkdtempSync(join(tmpdir(), "orgwarden-report-"));

const { moto, org } = useEmulatorOrg({
  ous: {
    Root: 0,
    "Root/Workloads": 0,
    "Root/Workloads/Prod": 3,
    "Root/Workloads/Prod/Payments": 1,
    "Root/Sandbox": 2,
  },
  suspend: ["sandbox-02"],
});
beforeAll(async () => {
  const byName = (n: string) => org.accounts.find((x) => x.name === n) as SeededAccount;
  a.strong = byName("workloads-prod-01");
  a.weak = byName("workloads-prod-02");
  a.bare = byName("workloads-prod-03");
  a.payments = byName("workloads-prod-payments-01");
  a.sandbox = byName("sandbox-01");
  a.suspended = byName("sandbox-02");
  const e = moto.endpoint;

  // strong: everything in place
  await setPasswordPolicy(e, a.strong.id, STRONG_PASSWORD_POLICY);
  await createConsoleUser(e, a.strong.id, "alice", true);
  await createMfaPolicy(e, a.strong.id, "alice");
  await createTrail(e, a.strong.id, true, true);
  await createDetector(e, a.strong.id);
  await startRecorder(e, a.strong.id);
  // weak: a weak password policy, a console user without MFA, the MFA policy attached to nothing
  await setPasswordPolicy(e, a.weak.id, {
    MinimumPasswordLength: 6,
    RequireSymbols: false,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
  });
  await createConsoleUser(e, a.weak.id, "bob", false);
  await createConsoleUser(e, a.weak.id, "=cmd|' /C calc'!A0", false);
  await createMfaPolicy(e, a.weak.id);
  await createTrail(e, a.weak.id, false, true);
  // SCPs at different levels: require-mfa on the Workloads OU, deny-root-user on one account.
  const client = orgClient(e);
  await client.send(
    new EnablePolicyTypeCommand({ RootId: org.rootId, PolicyType: "SERVICE_CONTROL_POLICY" }),
  );
  // The library's own documents with its tags: what apply-scp would have created.
  const library = loadPolicyLibrary();
  const create = (name: string) => {
    const r = renderPolicy(requirePolicy(library, name), defaultScpParameters());
    return client.send(
      new CreatePolicyCommand({
        Name: r.managedName,
        Description: r.description,
        Type: "SERVICE_CONTROL_POLICY",
        Content: r.content,
        Tags: r.tags,
      }),
    );
  };
  const mfa = await create("require-mfa");
  const root = await create("deny-root-user");
  await client.send(
    new AttachPolicyCommand({
      PolicyId: mfa.Policy?.PolicySummary?.Id,
      TargetId: org.ouIds["Root/Workloads"],
    }),
  );
  await client.send(
    new AttachPolicyCommand({ PolicyId: root.Policy?.PolicySummary?.Id, TargetId: a.payments.id }),
  );
  client.destroy();

  proxy = await startAwsProxy({ target: e, denyAssumeRoleInto: [a.sandbox.id] });
});
afterAll(async () => {
  await proxy?.stop();
});

interface JsonReport {
  generatedAt: string;
  organizationId: string;
  summary: {
    byControl: Record<string, Record<string, number>>;
    byOu: Record<string, Record<string, number>>;
  };
  rows: Array<{
    accountId: string;
    control: string;
    source: string;
    status: string;
    reason: string;
    ouPath: string;
    accountName: string;
  }>;
}

let report: JsonReport;
let reportCode: number;

function status(account: SeededAccount, control: string, source = "check"): string | undefined {
  return report.rows.find((r) => r.accountId === account.id && r.control === control && r.source === source)
    ?.status;
}
function reason(account: SeededAccount, control: string, source = "check"): string {
  return (
    report.rows.find((r) => r.accountId === account.id && r.control === control && r.source === source)
      ?.reason ?? ""
  );
}

describe("orgwarden report", () => {
  beforeAll(async () => {
    const res = await runCli([
      "report",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      proxy.endpoint,
      "--output",
      "json",
    ]);
    reportCode = res.code;
    report = JSON.parse(res.stdout) as JsonReport;
  });

  it("has a row for every account × control × source, sorted, and exits 3 because one account is unreachable", () => {
    expect(reportCode).toBe(3);
    const accounts = new Set(report.rows.map((r) => r.accountId));
    expect(accounts.size).toBe(org.accounts.length + 1);
    for (const id of accounts) expect(report.rows.filter((r) => r.accountId === id)).toHaveLength(17);
    // RCPs are not enabled here: every member account says so on each RCP control, nothing is read.
    const perimeter = report.rows.filter((r) => r.control === "rcp-identity-perimeter");
    expect(perimeter).toHaveLength(org.accounts.length + 1);
    expect(
      new Set(perimeter.filter((r) => r.status === "NON_COMPLIANT").map((r) => `${r.status}: ${r.reason}`)),
    ).toEqual(new Set(["NON_COMPLIANT: RCPs are not enabled in the organization"]));
    const keys = report.rows.map((r) => [r.ouPath, r.accountName, r.control, r.source].join("|"));
    expect(keys).toEqual(
      [...keys].sort((x, y) => {
        const [a1, a2, a3, a4] = x.split("|") as [string, string, string, string];
        const [b1, b2, b3, b4] = y.split("|") as [string, string, string, string];
        return a1.localeCompare(b1) || a2.localeCompare(b2) || a3.localeCompare(b3) || a4.localeCompare(b4);
      }),
    );
    expect(report.organizationId).toBe(org.organizationId);
    expect(report.summary.byControl["root-mfa/check"]).toBeDefined();
    expect(report.summary.byOu["Root/Workloads/Prod"]).toBeDefined();
  });

  it("password policies: strong compliant, weak says why, absent non-compliant", () => {
    expect(status(a.strong, "password-policy")).toBe("COMPLIANT");
    expect(status(a.weak, "password-policy")).toBe("NON_COMPLIANT");
    // IAM_PASSWORD_POLICY's defaults: 14 characters, all classes, 24 remembered, 90 days.
    expect(reason(a.weak, "password-policy")).toBe(
      "minimum length 6 < 14; symbols not required; password reuse not prevented (need the last 24); passwords never expire (need at most 90 days)",
    );
    expect(status(a.bare, "password-policy")).toBe("NON_COMPLIANT");
    expect(reason(a.bare, "password-policy")).toContain("no custom password policy");
  });

  it("console users: with MFA compliant, without MFA named, none not applicable", () => {
    expect(status(a.strong, "iam-user-mfa")).toBe("COMPLIANT");
    expect(status(a.weak, "iam-user-mfa")).toBe("NON_COMPLIANT");
    expect(reason(a.weak, "iam-user-mfa")).toContain("bob");
    expect(status(a.bare, "iam-user-mfa")).toBe("NOT_APPLICABLE");
  });

  it("MFA policy: attached, unattached, absent", () => {
    expect(status(a.strong, "mfa-policy-in-use")).toBe("COMPLIANT");
    expect(reason(a.strong, "mfa-policy-in-use")).toBe("attached to group humans");
    expect(status(a.weak, "mfa-policy-in-use")).toBe("NON_COMPLIANT");
    expect(reason(a.weak, "mfa-policy-in-use")).toContain("attached to nothing");
    expect(status(a.bare, "mfa-policy-in-use")).toBe("NON_COMPLIANT");
    expect(reason(a.bare, "mfa-policy-in-use")).toContain("does not exist");
  });

  it("trail, detector and recorder where they exist", () => {
    expect(status(a.strong, "cloudtrail-enabled")).toBe("COMPLIANT");
    expect(status(a.weak, "cloudtrail-enabled")).toBe("NON_COMPLIANT");
    expect(reason(a.weak, "cloudtrail-enabled")).toContain("only single-region");
    expect(status(a.bare, "cloudtrail-enabled")).toBe("NON_COMPLIANT");
    expect(status(a.strong, "guardduty-enabled")).toBe("COMPLIANT");
    expect(status(a.bare, "guardduty-enabled")).toBe("NON_COMPLIANT");
    expect(status(a.strong, "config-recorder")).toBe("COMPLIANT");
    expect(status(a.bare, "config-recorder")).toBe("NON_COMPLIANT");
  });

  it("root checks: moto reports no root MFA and no root keys", () => {
    expect(status(a.strong, "root-access-keys")).toBe("COMPLIANT");
    expect(status(a.strong, "root-mfa")).toBe("NON_COMPLIANT");
    expect(status(a.strong, "root-hardware-mfa")).toBe("NON_COMPLIANT");
  });

  it("SCP coverage along the OU path, from the inventory", () => {
    expect(status(a.payments, "scp-require-mfa", "scp")).toBe("COMPLIANT");
    expect(reason(a.payments, "scp-require-mfa", "scp")).toBe(
      "orgwarden-require-mfa attached at Root/Workloads, as the library renders it",
    );
    expect(status(a.payments, "scp-deny-root", "scp")).toBe("COMPLIANT");
    expect(reason(a.payments, "scp-deny-root", "scp")).toBe(
      "orgwarden-deny-root-user attached at the account, as the library renders it",
    );
    expect(status(a.strong, "scp-deny-root", "scp")).toBe("NON_COMPLIANT");
    expect(status(a.sandbox, "scp-require-mfa", "scp")).toBe("NON_COMPLIANT");
    const mgmt = { id: org.managementAccountId } as SeededAccount;
    expect(status(mgmt, "scp-require-mfa", "scp")).toBe("NOT_APPLICABLE");
  });

  it("a suspended account has SKIPPED rows; an unreachable one has ERROR rows with the reason", () => {
    const suspended = report.rows.filter((r) => r.accountId === a.suspended.id);
    expect(new Set(suspended.map((r) => r.status))).toEqual(new Set(["SKIPPED"]));
    expect(suspended[0]?.reason).toBe("account is SUSPENDED");
    const denied = report.rows.filter((r) => r.accountId === a.sandbox.id && r.source === "check");
    expect(denied).toHaveLength(11);
    for (const r of denied) {
      expect(r.status).toBe("ERROR");
      expect(r.reason).toContain(
        `cannot assume arn:aws:iam::${a.sandbox.id}:role/OrganizationAccountAccessRole`,
      );
    }
  });

  it("--out report.jsonl writes one OCSF 1.8.0 Compliance Finding per row, valid against the class", async () => {
    const file = join(out, "report.jsonl");
    const res = await runCli([
      "report",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      moto.endpoint,
      "--ou",
      org.ouIds["Root/Workloads"] as string,
      "--out",
      file,
    ]);
    expect(res.code, res.stderr).toBe(0);
    const events = readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rows = report.rows.filter((r) => r.ouPath.startsWith("Root/Workloads"));
    expect(events).toHaveLength(rows.length);
    for (const e of events) expect(validateComplianceFinding(e)).toEqual([]);
    const bob = events.find(
      (e) =>
        (e.cloud as { account: { uid: string } }).account.uid === a.weak.id &&
        (e.compliance as { control: string }).control === "iam-user-mfa",
    );
    expect(bob).toMatchObject({ compliance: { status: "Fail", status_id: 3 }, status: "New" });
    expect(String(bob?.message)).toContain("bob");
    // --output ocsf on stdout gives the same lines.
    const piped = await runCli([
      "report",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      moto.endpoint,
      "--ou",
      a.weak.id as string,
      "--output",
      "ocsf",
    ]);
    expect(piped.stdout.trimEnd().split("\n")).toHaveLength(
      report.rows.filter((r) => r.accountId === a.weak.id).length,
    );
  });

  it("writes RFC 4180 CSV with the contract's columns and neutralised formulas", async () => {
    const file = join(out, "report.csv");
    const res = await runCli([
      "report",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      moto.endpoint,
      "--ou",
      a.weak.id as string,
      "--out",
      file,
    ]);
    expect(res.code).toBe(0);
    const csv = readFileSync(file, "utf8");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe(
      "account_id,account_name,ou_path,control,source,status,resource_type,resource_id,reason,evaluated_at,region,severity,frameworks",
    );
    expect(lines.filter(Boolean)).toHaveLength(18);
    // Each name quoted in the reason (a name may hold a comma); quotes doubled inside the CSV cell.
    expect(csv).toContain(`console users without MFA: ""=cmd|' /C calc'!A0"" ""bob""`);
    const userCell = csv.split("\r\n").find((l) => l.includes(",iam-user-mfa,"));
    expect(userCell).toMatch(/,AWS::IAM::User,'=cmd\|' \/C calc'!A0 bob,/);
  });

  it("--fail-on non-compliant exits 4; a clean run exits 0", async () => {
    const fail = await runCli([
      "report",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      moto.endpoint,
      "--ou",
      a.weak.id as string,
      "--fail-on",
      "non-compliant",
      "--output",
      "csv",
    ]);
    expect(fail.code).toBe(4);
    const ok = await runCli([
      "report",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      moto.endpoint,
      "--ou",
      a.payments.id as string,
      "--source",
      "scp",
    ]);
    expect(ok.code).toBe(0);
    // Piped without --output: JSON, as every listing command.
    expect((JSON.parse(ok.stdout) as { rows: unknown[] }).rows).toHaveLength(6);
  });

  it("the table shows the summary and the rows that need attention", async () => {
    const res = await runCli([
      "report",
      "--regions",
      "us-east-1",
      "--endpoint-url",
      moto.endpoint,
      "--ou",
      a.weak.id as string,
      "--output",
      "table",
    ]);
    expect(res.stdout).toMatch(/password-policy\/check\s+0\s+1/);
    expect(res.stdout).toMatch(
      /workloads-prod-02.*password-policy\s+check\s+NON_COMPLIANT\s+minimum length 6 < 14/,
    );
  });

  it("bad --source and --output values exit 2", async () => {
    expect(
      (
        await runCli([
          "report",
          "--regions",
          "us-east-1",
          "--endpoint-url",
          moto.endpoint,
          "--source",
          "check,nope",
        ])
      ).code,
    ).toBe(2);
    expect((await runCli(["report", "--endpoint-url", moto.endpoint, "--output", "pdf"])).code).toBe(2);
  });

  it.runIf(runsWith(chromiumInstalled()))(
    "the HTML page, in Chromium: headline in accounts, a status filter, a user search, the OU roll-up",
    async () => {
      const file = join(out, "report.html");
      const res = await runCli([
        "report",
        "--regions",
        "us-east-1",
        "--endpoint-url",
        proxy.endpoint,
        "--out",
        file,
      ]);
      expect(res.code).toBe(3);
      const html = readFileSync(file, "utf8");
      // Self-contained: no external script, stylesheet, image or font.
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=|url\(/);
      const browser = await launchChromium();
      try {
        const { page, requests } = await openReport(browser, file);
        expect(requests).toEqual([]);
        await page.screenshot({ path: artifactPath("report-emulator.png") });

        // The headline counts accounts, each in one bucket, from the same rows as the JSON report.
        const standings = new Map<string, Set<string>>();
        for (const r of report.rows) {
          const s = standings.get(r.accountId) ?? new Set<string>();
          s.add(r.status);
          standings.set(r.accountId, s);
        }
        const failing = [...standings.values()].filter((s) => s.has("NON_COMPLIANT")).length;
        const incomplete = [...standings.values()].filter((s) => s.has("ERROR")).length;
        const card = async (s: string) =>
          Number(
            ((await page.textContent(`#headline .card[data-standing="${s}"] b`)) ?? "").replace(/,/g, ""),
          );
        expect(await card("failing")).toBe(failing);
        expect(await card("incomplete")).toBe(incomplete);
        expect(incomplete).toBeGreaterThanOrEqual(1); // sandbox-01: its role cannot be assumed
        const compliant = [...standings.values()].filter((s) =>
          [...s].every((x) => x === "COMPLIANT" || x === "NOT_APPLICABLE"),
        ).length;
        expect(await card("compliant")).toBe(compliant);
        expect(await page.textContent('#headline .card[data-standing="compliant"]')).toContain(
          `of ${standings.size} accounts`,
        );
        // "N of M accounts fail <title>" for the worst control.
        const worst = await page.textContent("#headline .worst li");
        expect(worst).toMatch(/^\d+ of \d+ accounts fail /);

        // A status filter narrows the table to exactly the NON_COMPLIANT rows.
        const [, total] = await shownCount(page);
        expect(total).toBe(report.rows.length);
        await selectByText(page, "#f-status", "NON_COMPLIANT (");
        const nonCompliant = report.rows.filter((r) => r.status === "NON_COMPLIANT");
        expect((await shownCount(page))[0]).toBe(nonCompliant.length);
        const rows = await visibleFindings(page);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.Status?.includes("✗ NON_COMPLIANT"))).toBe(true);

        // Searching for a user name finds the row that names that user, in its account.
        await page.selectOption("#f-status", "");
        await page.fill("#f-search", "bob");
        await page.waitForFunction(() =>
          document.querySelector("#findings-shown")?.textContent?.startsWith("Showing 1 "),
        );
        const [bob] = await visibleFindings(page);
        expect(bob?.Account).toContain(a.weak.id);
        expect(bob?.Control).toContain("iam-user-mfa");
        expect(bob?.Reason).toContain("bob");
        await page.click("#findings tr.finding");
        expect(await page.textContent("#finding-detail")).toContain("What to do:");
        await page.screenshot({ path: artifactPath("report-emulator-search.png") });

        // The OU tree rolls up: Root/Workloads counts its own accounts and every account below it.
        const tree = await page.$$eval("#ous li.ou", (items) =>
          items.map((li) => ({
            path: (li as HTMLElement).dataset.ou ?? "",
            total: Number((li as HTMLElement).dataset.total),
            failing: Number((li as HTMLElement).dataset.failing),
            own: li.querySelectorAll(":scope > details > ul > li.account").length,
            ownFailing: li.querySelectorAll(':scope > details > ul > li.account[data-standing="failing"]')
              .length,
            children: [...li.querySelectorAll(":scope > details > ul > li.ou")].map(
              (c) => (c as HTMLElement).dataset.ou ?? "",
            ),
          })),
        );
        const byPath = new Map(tree.map((t) => [t.path, t]));
        for (const t of tree) {
          const kids = t.children.map((c) => byPath.get(c) as (typeof tree)[number]);
          expect(t.total).toBe(t.own + kids.reduce((n, k) => n + k.total, 0));
          expect(t.failing).toBe(t.ownFailing + kids.reduce((n, k) => n + k.failing, 0));
        }
        const workloads = byPath.get("Root/Workloads");
        expect(workloads?.own).toBe(0);
        expect(workloads?.total).toBe(4); // Prod's three and Payments' one
        expect(byPath.get("Root")?.total).toBe(standings.size);
      } finally {
        await browser.close();
      }
    },
  );
});
