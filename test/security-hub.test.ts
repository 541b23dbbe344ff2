import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, IAMClient } from "@aws-sdk/client-iam";
import type { AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import {
  type AwsProxy,
  createConsoleUser,
  MANAGEMENT_ACCOUNT_ID,
  memberCredentials,
  type SeededAccount,
  startAwsProxy,
} from "@orgwarden/emulator";
import type { Report, ReportRow } from "@orgwarden/report";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";
import { enableSecurityHub, findingsIn } from "./support/security-hub.js";

/**
 * report --security-hub and run's report.securityHub against moto behind the stand-in for what
 * Security Hub enforces (packages/emulator/src/security-hub-standin.ts): a finding is imported by the
 * account it is about, a re-run updates instead of duplicating, and a fixed finding becomes PASSED
 * with its workflow RESOLVED.
 */
let proxy: AwsProxy;
let weak: SeededAccount;
let noHub: SeededAccount;
const dir = mkdtempSync(join(tmpdir(), "orgwarden-securityhub-"));
const IMPORT = "POST /findings/import";
const ID = /^orgwarden\/\d{12}\/[a-z-]+\/(global|us-east-1)$/;

const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 3, "Root/Sandbox": 1 } });
beforeAll(async () => {
  weak = org.accounts.find((a) => a.name === "workloads-02") as SeededAccount;
  noHub = org.accounts.find((a) => a.ouPath === "Root/Sandbox") as SeededAccount;
  await createConsoleUser(moto.endpoint, weak.id, "grace", false);
  for (const id of [MANAGEMENT_ACCOUNT_ID, ...org.accounts.filter((a) => a !== noHub).map((a) => a.id)])
    await enableSecurityHub(moto.endpoint, id);
  proxy = await startAwsProxy({ target: moto.endpoint });
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
});

const byId = (findings: AwsSecurityFinding[]) => new Map(findings.map((f) => [f.Id as string, f]));

async function report(args: string[] = []) {
  const out = join(dir, `report-${Date.now()}.json`);
  const res = await runCli([
    "report",
    "--regions",
    "us-east-1",
    "--endpoint-url",
    proxy.endpoint,
    "--security-hub",
    "--out",
    out,
    ...args,
  ]);
  return { res, report: JSON.parse(readFileSync(out, "utf8")) as Report & { rows: ReportRow[] } };
}

describe("orgwarden report --security-hub", () => {
  let first: Map<string, AwsSecurityFinding>;
  let rows: ReportRow[];

  it("imports every row of each account into that account's Security Hub, and says which account has none", async () => {
    proxy.requests.clear();
    const { res, report: r } = await report();
    rows = r.rows;
    // The account without Security Hub: exit 3, named, with what to do; the others are in.
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toContain(`Security Hub is not enabled in us-east-1 in 1 account(s): ${noHub.id}\n`);
    expect(res.stderr).toContain("hint: Enable Security Hub in us-east-1 in those accounts");
    const withHub = [MANAGEMENT_ACCOUNT_ID, ...org.accounts.filter((a) => a !== noHub).map((a) => a.id)];
    expect(res.stderr).toMatch(new RegExp(`findings imported into ${withHub.length} account\\(s\\)`));

    first = new Map();
    for (const account of withHub) {
      const held = await findingsIn(moto.endpoint, account);
      const mine = rows.filter((x) => x.accountId === account);
      expect(held.length, account).toBe(mine.length);
      for (const f of held) {
        expect(f.Id).toMatch(ID);
        expect(f.AwsAccountId).toBe(account);
        expect(f.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${account}:product/${account}/default`);
        first.set(f.Id as string, f);
      }
    }
    expect(await findingsIn(moto.endpoint, noHub.id)).toEqual([]);
    // One request per account (each holds far fewer than 100 findings), the one refused included.
    expect(proxy.requests.get(IMPORT)).toBe(withHub.length + 1);

    const grace = first.get(`orgwarden/${weak.id}/iam-user-mfa/global`);
    expect(grace?.Compliance?.Status).toBe("FAILED");
    expect(grace?.Description).toContain("grace");
    expect(grace?.Severity?.Label).toBe("MEDIUM");
    expect(grace?.Compliance?.RelatedRequirements).toContain(
      "AWS Foundational Security Best Practices/IAM.5",
    );
    // Statuses map as documented: COMPLIANT → PASSED (resolved), NON_COMPLIANT → FAILED.
    for (const row of rows.filter((x) => x.accountId !== noHub.id)) {
      const region = ["guardduty-enabled", "config-recorder"].includes(row.control) ? "us-east-1" : "global";
      const f = first.get(`orgwarden/${row.accountId}/${row.control}/${region}`);
      const expected = { COMPLIANT: "PASSED", NON_COMPLIANT: "FAILED", INSUFFICIENT_DATA: "WARNING" }[
        row.status as string
      ];
      expect(f?.Compliance?.Status, `${row.accountId} ${row.control}`).toBe(expected ?? "NOT_AVAILABLE");
      if (row.status === "COMPLIANT") expect(f?.Workflow?.Status).toBe("RESOLVED");
    }
  });

  it("a re-run updates the same findings, and the fixed one becomes PASSED and RESOLVED", async () => {
    // grace gets an MFA device: iam-user-mfa is now compliant in that account.
    const iam = new IAMClient({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: await memberCredentials(moto.endpoint, weak.id),
    });
    const device = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: "grace-mfa" }));
    await iam.send(
      new EnableMFADeviceCommand({
        UserName: "grace",
        SerialNumber: device.VirtualMFADevice?.SerialNumber,
        AuthenticationCode1: "123456",
        AuthenticationCode2: "654321",
      }),
    );
    iam.destroy();

    await report();
    const held = byId(await findingsIn(moto.endpoint, weak.id));
    expect(held.size).toBe(rows.filter((x) => x.accountId === weak.id).length);
    const before = first.get(`orgwarden/${weak.id}/iam-user-mfa/global`);
    const after = held.get(`orgwarden/${weak.id}/iam-user-mfa/global`);
    expect(after?.Compliance?.Status).toBe("PASSED");
    expect(after?.Workflow?.Status).toBe("RESOLVED");
    expect(after?.Severity?.Label).toBe("INFORMATIONAL");
    expect(Date.parse(after?.UpdatedAt as string)).toBeGreaterThan(Date.parse(before?.UpdatedAt as string));
  });

  it("refuses a malformed region before any AWS call", async () => {
    proxy.requests.clear();
    const res = await runCli(["report", "--endpoint-url", proxy.endpoint, "--security-hub-region", "mars-1"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--security-hub-region: "mars-1" is not a region name');
    expect(proxy.requests.size).toBe(0);
  });
});

describe("orgwarden run with report.securityHub", () => {
  it("imports after writing the reports and says so in the summary", async () => {
    const config = join(dir, "orgwarden.yaml");
    writeFileSync(
      config,
      stringify({
        connection: { region: "us-east-1", regions: ["us-east-1"], endpointUrl: proxy.endpoint },
        report: {
          ou: org.ouIds["Root/Workloads"],
          sources: ["check", "scp"],
          formats: ["json"],
          outputDir: join(dir, "run"),
          securityHub: { region: "us-east-1" },
        },
      }),
    );
    proxy.requests.clear();
    const res = await runCli(["run", "--config", config]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/security hub \(us-east-1\): \d+ findings imported into 3 account\(s\)/);
    expect(proxy.requests.get(IMPORT)).toBe(3);
  });
});
