import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DeleteResourcePolicyCommand, PutResourcePolicyCommand } from "@aws-sdk/client-organizations";
import {
  type AwsProxy,
  MANAGEMENT_ACCOUNT_ID,
  type MotoServer,
  memberCredentials,
  orgClient,
  type SeededAccount,
  type SeededOrg,
  seedOrganization,
  setPasswordPolicy,
  startAwsProxy,
  startMoto,
} from "@orgwarden/emulator";
import type { Report } from "@orgwarden/report";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STRONG_PASSWORD_POLICY } from "./support/password-policies.js";
import { REPO_ROOT, runCli } from "./support/run-cli.js";

/**
 * orgwarden run from a delegated administrator (a member account the management account delegated
 * policy management to): its own account is read with its own credentials, the management account
 * through the role like any member — never the delegated administrator's data under the management
 * account's name — and apply-scp says which calls the delegation policy must allow.
 */
let moto: MotoServer;
let proxy: AwsProxy;
let org: SeededOrg;
let admin: SeededAccount;
const assumed: string[] = [];
let operator: Record<string, string>;

const strong = STRONG_PASSWORD_POLICY;

beforeAll(async () => {
  moto = await startMoto();
  org = await seedOrganization(moto.endpoint, { ous: { Root: 0, "Root/Security": 1, "Root/Workloads": 2 } });
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
  await moto?.stop();
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
    const report = JSON.parse(res.stdout) as Report;
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
