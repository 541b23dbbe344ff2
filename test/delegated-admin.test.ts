import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeConfigRulesCommand } from "@aws-sdk/client-config-service";
import { EnableOrganizationAdminAccountCommand, GuardDutyClient } from "@aws-sdk/client-guardduty";
import { DeleteResourcePolicyCommand, PutResourcePolicyCommand } from "@aws-sdk/client-organizations";
import {
  type AwsProxy,
  EMULATOR_CREDENTIALS,
  MANAGEMENT_ACCOUNT_ID,
  memberConfig,
  memberCredentials,
  orgClient,
  type SeededAccount,
  setPasswordPolicy,
  startAwsProxy,
  startRecorder,
} from "@orgwarden/emulator";
import type { Report, ReportRow } from "@orgwarden/report";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { STRONG_PASSWORD_POLICY } from "./support/password-policies.js";
import { REPO_ROOT, runCli } from "./support/run-cli.js";

/**
 * orgwarden run from a delegated administrator (a member account the management account delegated
 * policy management to): its own account is read with its own credentials, the management account
 * through the role like any member — never the delegated administrator's data under the management
 * account's name — and apply-scp says which calls the delegation policy must allow.
 */
let proxy: AwsProxy;
let admin: SeededAccount;
const assumed: string[] = [];
let operator: Record<string, string>;

const strong = STRONG_PASSWORD_POLICY;

const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/Security": 1, "Root/Workloads": 2 } });
beforeAll(async () => {
  admin = org.accounts.find((a) => a.ouPath === "Root/Security") as SeededAccount;
  // The management account's policy is strong, the delegated administrator's weak: their rows differ.
  await setPasswordPolicy(moto.endpoint, MANAGEMENT_ACCOUNT_ID, strong);
  await setPasswordPolicy(moto.endpoint, admin.id, { ...strong, MinimumPasswordLength: 8 });
  const creds = await memberCredentials(moto.endpoint, admin.id);
  operator = {
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_SESSION_TOKEN: creds.sessionToken ?? "",
  };
  // The management account delegates to it with the policy orgwarden documents.
  const content = readFileSync(
    join(REPO_ROOT, "docs/permissions/organizations-delegation.json"),
    "utf8",
  ).replaceAll("DELEGATED_ADMIN_ACCOUNT_ID", admin.id);
  const organizations = orgClient(moto.endpoint);
  await organizations.send(new PutResourcePolicyCommand({ Content: content }));
  organizations.destroy();
  proxy = await startAwsProxy({
    target: moto.endpoint,
    onRequest: (action, body) => {
      if (action === "AssumeRole") assumed.push(new URLSearchParams(body.toString()).get("RoleArn") ?? "");
    },
  });
}, 120_000);
afterAll(async () => {
  await proxy?.stop();
});

describe("from a delegated administrator", () => {
  it("report: the operator's own account with its credentials, the management account through its role", async () => {
    assumed.length = 0;
    const res = await runCli(
      [
        "report",
        "--regions",
        "us-east-1",
        "--source",
        "check",
        "--output",
        "json",
        "--endpoint-url",
        proxy.endpoint,
      ],
      { env: operator },
    );
    expect(res.stderr).not.toContain("AccessDenied");
    const report = JSON.parse(res.stdout) as Report & { rows: ReportRow[] };
    const password = (account: string) =>
      report.rows.find((r) => r.accountId === account && r.control === "password-policy");
    expect(password(MANAGEMENT_ACCOUNT_ID)?.status).toBe("COMPLIANT");
    expect(password(admin.id)?.status).toBe("NON_COMPLIANT");
    expect(password(admin.id)?.reason).toContain("8");
    expect(assumed).toContain(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/OrganizationAccountAccessRole`);
    expect(assumed.filter((a) => a.includes(`::${admin.id}:`))).toEqual([]);
  });

  it("apply-scp: the plan names the calls the delegation policy must allow", async () => {
    const res = await runCli(
      [
        "apply-scp",
        "--ou",
        org.ouIds["Root/Workloads"] as string,
        "--dry-run",
        "--endpoint-url",
        proxy.endpoint,
      ],
      { env: operator },
    );
    expect(res.code, res.stderr).toBe(0);
    const note = res.stdout.slice(res.stdout.indexOf("Note: running from"));
    expect(note).toContain(`running from ${admin.id}, a delegated administrator`);
    expect(note).toContain(`management account ${MANAGEMENT_ACCOUNT_ID}`);
    for (const a of ["organizations:CreatePolicy", "organizations:AttachPolicy"]) expect(note).toContain(a);
    expect(note).toContain("docs/permissions/organizations-delegation.json");
  });

  it("from the management account itself, no note and no AssumeRole into it", async () => {
    assumed.length = 0;
    const res = await runCli([
      "apply-scp",
      "--ou",
      org.ouIds["Root/Workloads"] as string,
      "--dry-run",
      "--endpoint-url",
      proxy.endpoint,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).not.toContain("delegated administrator");
    expect(assumed.filter((a) => a.includes(`::${MANAGEMENT_ACCOUNT_ID}:`))).toEqual([]);
  });

  it("without the delegation, the walk is refused and says so (exit 1, no report)", async () => {
    const organizations = orgClient(moto.endpoint);
    await organizations.send(new DeleteResourcePolicyCommand({}));
    organizations.destroy();
    const res = await runCli(["accounts", "--output", "json", "--endpoint-url", proxy.endpoint], {
      env: operator,
    });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("AccessDenied");
  });
});

/**
 * guardduty-enabled-centralized's CentralMonitoringAccount is GuardDuty's delegated administrator of
 * each region (ListOrganizationAdminAccounts, called in the management account, region by region),
 * unless the config or --guardduty-central-account names it.
 * https://docs.aws.amazon.com/config/latest/developerguide/guardduty-enabled-centralized.html
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListOrganizationAdminAccounts.html
 */
describe("GuardDuty's delegated administrator", () => {
  const centralIn = async (account: string, region: string) => {
    const config = await memberConfig(moto.endpoint, account, region);
    const rules = (await config.send(new DescribeConfigRulesCommand({}))).ConfigRules ?? [];
    config.destroy();
    const rule = rules.find((r) => r.ConfigRuleName === "orgwarden-guardduty-enabled-centralized");
    return (JSON.parse(rule?.InputParameters ?? "{}") as { CentralMonitoringAccount?: string })
      .CentralMonitoringAccount;
  };
  const deploy = (...extra: string[]) =>
    runCli([
      "deploy-rules",
      "--ou",
      member,
      "--rule",
      "guardduty-enabled-centralized",
      "--regions",
      "us-east-1,eu-west-1",
      "--yes",
      "--endpoint-url",
      moto.endpoint,
      ...extra,
    ]);
  let member: string;
  let other: string;
  beforeAll(async () => {
    [member, other] = org.accounts.filter((a) => a.ouPath === "Root/Workloads").map((a) => a.id) as [
      string,
      string,
    ];
    for (const region of ["us-east-1", "eu-west-1"]) await startRecorder(moto.endpoint, member, region);
  });

  it("deploy-rules gives each region's rule that region's delegated administrator", async () => {
    // Designated from the management account, one region at a time: a different one in each.
    for (const [region, adminId] of [
      ["us-east-1", admin.id],
      ["eu-west-1", other],
    ] as const) {
      const gd = new GuardDutyClient({ endpoint: moto.endpoint, region, credentials: EMULATOR_CREDENTIALS });
      await gd.send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: adminId }));
      gd.destroy();
    }
    const res = await deploy();
    expect(res.code, res.stderr).toBe(0);
    expect(await centralIn(member, "us-east-1")).toBe(admin.id);
    expect(await centralIn(member, "eu-west-1")).toBe(other);
  });

  it("--guardduty-central-account names it in every region; none leaves the parameter out; a malformed id is refused (exit 2)", async () => {
    const named = await deploy("--guardduty-central-account", "123456789012");
    expect(named.code, named.stderr).toBe(0);
    expect(await centralIn(member, "us-east-1"), named.stdout).toBe("123456789012");
    expect(await centralIn(member, "eu-west-1")).toBe("123456789012");
    const none = await deploy("--guardduty-central-account", "none");
    expect(none.code, none.stderr).toBe(0);
    expect(await centralIn(member, "eu-west-1")).toBeUndefined();
    const bad = await deploy("--guardduty-central-account", "1234");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not a list of 12-digit account ids");
  });
});
