import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListPoliciesCommand } from "@aws-sdk/client-organizations";
import {
  type AwsProxy,
  MANAGEMENT_ACCOUNT_ID,
  orgClient,
  rootCredentialState,
  type SeededAccount,
  seedRootCredentials,
  startAwsProxy,
} from "@orgwarden/emulator";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";

/**
 * Centralized root access end to end, as a user runs it: moto plus the root-access stand-in (in
 * each service's wire protocol) behind a counting proxy. The organization mixes a member with every
 * kind of root credential, one with only a hardware MFA device, one whose AssumeRoot is denied, one
 * with a password and a virtual MFA device, one with nothing, and a suspended one.
 */
let proxy: AwsProxy;
const a = {} as Record<"full" | "mfaOnly" | "denied" | "sandbox" | "clean" | "suspended", SeededAccount>;
const dir = mkdtempSync(join(tmpdir(), "orgwarden-root-"));

const { moto, org } = useEmulatorOrg({
  ous: { Root: 0, "Root/Workloads": 0, "Root/Workloads/Prod": 3, "Root/Sandbox": 3 },
  suspend: ["sandbox-03"],
});
beforeAll(async () => {
  const byName = (n: string) => org.accounts.find((x) => x.name === n) as SeededAccount;
  a.full = byName("workloads-prod-01");
  a.mfaOnly = byName("workloads-prod-02");
  a.denied = byName("workloads-prod-03");
  a.sandbox = byName("sandbox-01");
  a.clean = byName("sandbox-02");
  a.suspended = byName("sandbox-03");
  const e = moto.endpoint;
  await seedRootCredentials(e, a.full.id, {
    password: true,
    accessKeys: ["Active", "Inactive"],
    signingCertificates: ["Active"],
    mfaDevices: ["virtual"],
  });
  await seedRootCredentials(e, a.mfaOnly.id, { mfaDevices: ["hardware"] });
  await seedRootCredentials(e, a.denied.id, { password: true, denyAssumeRoot: true });
  await seedRootCredentials(e, a.sandbox.id, { password: true, mfaDevices: ["virtual"] });
  proxy = await startAwsProxy({ target: moto.endpoint });
});
afterAll(async () => {
  await proxy?.stop();
});

const cli = (args: string[]) => runCli(args, { env: { AWS_ENDPOINT_URL: proxy.endpoint } });
const requests = (action: string) => proxy.requests.get(action) ?? 0;
const state = (acct: SeededAccount) => rootCredentialState(moto.endpoint, acct.id);

interface StatusJson {
  trustedAccess: boolean;
  features: Record<string, boolean>;
  accounts: Array<{
    accountId: string;
    status: string;
    reason: string;
    password?: boolean;
    accessKeys?: unknown[];
  }>;
}

describe("before centralized root access is enabled", () => {
  it("root status says what is off, audits nobody, and lists the management account as out of scope", async () => {
    const res = await cli(["root", "status", "--output", "json"]);
    expect(res.code, res.stderr).toBe(0);
    const s = JSON.parse(res.stdout) as StatusJson;
    expect(s.trustedAccess).toBe(false);
    expect(s.features).toEqual({ RootCredentialsManagement: false, RootSessions: false });
    const byId = new Map(s.accounts.map((x) => [x.accountId, x]));
    expect(byId.get(MANAGEMENT_ACCOUNT_ID)).toMatchObject({
      status: "NOT_APPLICABLE",
      reason: expect.stringContaining("AWS does not allow sts:AssumeRoot"),
    });
    expect(byId.get(a.full.id)).toMatchObject({
      status: "SKIPPED",
      reason: expect.stringContaining("root enable"),
    });
    expect(byId.get(a.suspended.id)).toMatchObject({ status: "SKIPPED", reason: "account is SUSPENDED" });
    expect(requests("AssumeRoot")).toBe(0);
  });

  it("remove-credentials is refused (exit 2, nothing changed) and says to run root enable", async () => {
    const before = await state(a.full);
    const res = await cli(["root", "remove-credentials", "--ou", "Root/Workloads", "--yes"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("centralized root access is not enabled");
    expect(res.stderr).toContain("hint: Run orgwarden root enable first");
    expect(await state(a.full)).toEqual(before);
    expect(requests("AssumeRoot")).toBe(0);
  });

  it("the report: root-credentials-centralized NON_COMPLIANT everywhere, root-credentials-present from the summary", async () => {
    const res = await cli(["report", "--source", "check", "--regions", "us-east-1", "--output", "csv"]);
    expect(res.code, res.stderr).toBe(0);
    const rows = parseCsv(res.stdout, { columns: true }) as Array<Record<string, string>>;
    const row = (acct: string, control: string) =>
      rows.find((r) => r.account_id === acct && r.control === control);
    expect(row(MANAGEMENT_ACCOUNT_ID, "root-credentials-centralized")).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("run orgwarden root enable"),
    });
    expect(row(a.clean.id, "root-credentials-centralized")).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining(`set in management account ${MANAGEMENT_ACCOUNT_ID}`),
    });
    // The full account's summary reports its password, keys and certificate.
    expect(row(a.full.id, "root-credentials-present")).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("a password, access keys, signing certificates"),
    });
    // moto's own summary (an unseeded account) has no AccountPasswordPresent: not enough to judge.
    expect(row(a.clean.id, "root-credentials-present")?.status).toBe("INSUFFICIENT_DATA");
    expect(row(MANAGEMENT_ACCOUNT_ID, "root-credentials-present")?.status).toBe("NOT_APPLICABLE");
    // A virtual root device is listed by ListVirtualMFADevices with the root's ARN, as AWS lists it:
    // root-hardware-mfa fails; a hardware token passes.
    expect(row(a.sandbox.id, "root-hardware-mfa")).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("virtual device"),
    });
    expect(row(a.mfaOnly.id, "root-hardware-mfa")?.status).not.toBe("NON_COMPLIANT");
  });
});

describe("orgwarden root enable", () => {
  it("shows its plan and changes nothing with --dry-run, or without --yes off a terminal", async () => {
    const dry = await cli(["root", "enable", "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("+ enable trusted access for iam.amazonaws.com in AWS Organizations");
    expect(dry.stdout).toContain("+ enable RootCredentialsManagement");
    expect(dry.stdout).toContain("+ enable RootSessions");
    expect(dry.stdout).toContain("Dry run: nothing was changed.");
    const refused = await cli(["root", "enable"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("pass --yes");
    expect(requests("EnableAWSServiceAccess")).toBe(0);
    expect(requests("EnableOrganizationsRootCredentialsManagement")).toBe(0);
  });

  it("enables trusted access, then both features; a second run has nothing to do", async () => {
    const first = await cli(["root", "enable", "--yes"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("[3/3] done: enable RootSessions");
    const second = await cli(["root", "enable", "--yes"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("already on");
    expect(second.stdout).toContain("Nothing to do.");
    expect(requests("EnableAWSServiceAccess")).toBe(1);
    expect(requests("EnableOrganizationsRootCredentialsManagement")).toBe(1);
    expect(requests("EnableOrganizationsRootSessions")).toBe(1);
  });
});

describe("after enabling", () => {
  it("root status audits every member: what each root user has; a denied AssumeRoot is an ERROR row and exit 3", async () => {
    const before = requests("AssumeRoot");
    const res = await cli(["root", "status", "--output", "json"]);
    // One session per audited member (each is a privileged event in its CloudTrail), however many
    // IAM calls the audit makes: full, mfaOnly, denied, sandbox, clean.
    expect(requests("AssumeRoot") - before).toBe(5);
    expect(res.code).toBe(3);
    const s = JSON.parse(res.stdout) as StatusJson;
    expect(s.features).toEqual({ RootCredentialsManagement: true, RootSessions: true });
    const byId = new Map(s.accounts.map((x) => [x.accountId, x]));
    expect(byId.get(a.full.id)).toMatchObject({
      status: "NON_COMPLIANT",
      password: true,
      accessKeys: [
        { id: expect.any(String), status: "Active" },
        { id: expect.any(String), status: "Inactive" },
      ],
    });
    expect(byId.get(a.mfaOnly.id)).toMatchObject({
      status: "COMPLIANT",
      reason: expect.stringContaining("1 MFA device"),
    });
    expect(byId.get(a.clean.id)?.status).toBe("COMPLIANT");
    expect(byId.get(a.denied.id)).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("sts:AssumeRoot on account"),
    });
    expect(byId.get(MANAGEMENT_ACCOUNT_ID)?.status).toBe("NOT_APPLICABLE");
    expect(byId.get(a.suspended.id)?.status).toBe("SKIPPED");
    expect(res.stdout).not.toMatch(/SecretAccessKey|SessionToken/);
  });

  it("root status --ou by path, as CSV, for the accounts under it only", async () => {
    const res = await cli(["root", "status", "--ou", "Root/Sandbox", "--output", "csv"]);
    expect(res.code, res.stderr).toBe(0);
    const rows = parseCsv(res.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.account_name).sort()).toEqual(["sandbox-01", "sandbox-02", "sandbox-03"]);
    expect(rows.find((r) => r.account_id === a.sandbox.id)).toMatchObject({
      status: "NON_COMPLIANT",
      password: "yes",
      access_keys: "none",
      mfa_devices: "1",
    });
  });

  it("the organization root is refused without --allow-root", async () => {
    const res = await cli(["root", "remove-credentials", "--ou", "Root", "--dry-run"]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("every member account");
    expect(res.stderr).toContain("--allow-root");
  });

  it("remove-credentials is refused on the management account, a suspended account, and a path that does not exist", async () => {
    const mgmt = await cli(["root", "remove-credentials", "--ou", MANAGEMENT_ACCOUNT_ID, "--yes"]);
    expect(mgmt.code).toBe(2);
    expect(mgmt.stderr).toContain("management account");
    const suspended = await cli(["root", "remove-credentials", "--ou", a.suspended.id, "--yes"]);
    expect(suspended.code).toBe(2);
    expect(suspended.stderr).toContain("SUSPENDED");
    const missing = await cli(["root", "remove-credentials", "--ou", "Root/Workloads/Staging", "--yes"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no OU or account at path Root/Workloads/Staging");
    expect(missing.stderr).toContain("Root/Workloads holds: Prod");
    expect(requests("DeleteLoginProfile")).toBe(0);
  });

  it("--dry-run lists exactly what each account loses, and changes nothing", async () => {
    const before = await state(a.full);
    const res = await cli(["root", "remove-credentials", "--ou", "Root/Workloads", "--dry-run"]);
    expect(res.code).toBe(3); // the denied account could not be audited
    expect(res.stdout).toContain("- delete access key");
    expect(res.stdout).toContain("- delete signing certificate");
    expect(res.stdout).toContain("- delete the root password (login profile)");
    expect(res.stdout).toMatch(/- deactivate MFA device GAHT/);
    expect(res.stdout).toMatch(new RegExp(`${a.denied.id} .*ERROR: sts:AssumeRoot`));
    expect(res.stdout).toContain("Dry run: nothing was changed.");
    expect(await state(a.full)).toEqual(before);
  });

  it("--keep mfa removes password, keys and certificates, keeps MFA; the denied account is reported and the others are done (exit 3)", async () => {
    const before = requests("AssumeRoot");
    const res = await cli(["root", "remove-credentials", "--ou", "Root/Workloads", "--keep", "mfa", "--yes"]);
    expect(res.code).toBe(3);
    // At most one session per account and task: an audit for each of the three, a delete session
    // for the one with something to remove (its deletions and the read-back share it).
    expect(requests("AssumeRoot") - before).toBe(4);
    expect(res.stdout).toContain("= keep MFA device");
    expect(res.stdout).toMatch(
      new RegExp(`done ${a.full.id} workloads-prod-01: 4 removed, root user has no credentials left`),
    );
    const full = await state(a.full);
    expect(full).toMatchObject({ password: null, accessKeys: [], signingCertificates: [] });
    expect(full.mfaDevices.filter((d) => d.active)).toHaveLength(1);
    expect((await state(a.mfaOnly)).mfaDevices.filter((d) => d.active)).toHaveLength(1);
    expect((await state(a.denied)).password).not.toBeNull();
  });

  it("then without --keep: the MFA devices go; a second run is a no-op", async () => {
    const first = await cli(["root", "remove-credentials", "--ou", "Root/Sandbox", "--yes"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `${a.suspended.id} sandbox-03 (Root/Sandbox): left alone: account is SUSPENDED`,
    );
    expect(first.stdout).toContain(`${a.clean.id} sandbox-02 (Root/Sandbox): nothing to remove`);
    expect(first.stdout).toMatch(/- deactivate MFA device arn:aws:iam::\d{12}:mfa\//);
    expect(first.stdout).not.toContain("delete virtual MFA device");
    const sandbox = await state(a.sandbox);
    expect(sandbox.password).toBeNull();
    // Deactivated; the virtual device object stays (the task policy allows no action on its ARN).
    expect(sandbox.mfaDevices.map((d) => d.active)).toEqual([false]);
    const deletes = requests("DeleteLoginProfile");
    const second = await cli(["root", "remove-credentials", "--ou", "Root/Sandbox", "--yes"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing to do.");
    expect(requests("DeleteLoginProfile")).toBe(deletes);
    expect(requests("DeactivateMFADevice")).toBeGreaterThan(0);
  });

  it("a read-back that fails after the deletions: the account is PARTIAL with what was removed, as text and JSON (exit 3)", async () => {
    // The second ListAccessKeys (the confirming read after the deletions) is refused, as a
    // throttled or expired session would be.
    const flakyCli = async (args: string[]) => {
      const flaky = await startAwsProxy({
        target: moto.endpoint,
        faults: { failOperation: { action: "ListAccessKeys", from: 2, count: 1000 } },
      });
      try {
        return await runCli(args, { env: { AWS_ENDPOINT_URL: flaky.endpoint } });
      } finally {
        await flaky.stop();
      }
    };
    await seedRootCredentials(moto.endpoint, a.clean.id, { password: true, accessKeys: ["Active"] });
    const json = await flakyCli([
      "root",
      "remove-credentials",
      "--ou",
      a.clean.id,
      "--yes",
      "--output",
      "json",
    ]);
    expect(json.code, json.stderr).toBe(3);
    const doc = JSON.parse(json.stdout) as {
      applied: boolean;
      accounts: Array<{
        accountId: string;
        status: string;
        removed: Array<{ kind: string }>;
        reason: string;
      }>;
    };
    expect(doc.applied).toBe(true);
    expect(doc.accounts.find((x) => x.accountId === a.clean.id)).toMatchObject({
      status: "PARTIAL",
      removed: [{ kind: "delete-access-key" }, { kind: "delete-login-profile" }],
      reason: expect.stringContaining("could not read the root user back to confirm"),
    });
    expect(await state(a.clean)).toMatchObject({ password: null, accessKeys: [] });

    await seedRootCredentials(moto.endpoint, a.clean.id, { password: true });
    const text = await flakyCli(["root", "remove-credentials", "--ou", a.clean.id, "--yes"]);
    expect(text.code).toBe(3);
    expect(text.stdout).toContain(`PARTIAL ${a.clean.id} sandbox-02: 1 removed, not confirmed:`);
    expect(text.stdout).toContain("    removed: delete the root password (login profile)");
    expect(text.stdout).toContain("1 PARTIAL: what was removed is listed");
    expect(text.stdout).not.toMatch(/nothing was changed/i);
  });

  it("the report opens no AssumeRoot session by default: the root controls come from the account summary", async () => {
    const before = requests("AssumeRoot");
    const res = await cli(["report", "--source", "check,scp", "--regions", "us-east-1", "--output", "csv"]);
    expect(res.code, res.stderr).toBe(0);
    expect(requests("AssumeRoot")).toBe(before);
    const rows = parseCsv(res.stdout, { columns: true }) as Array<Record<string, string>>;
    const row = (acct: string, control: string) =>
      rows.find((r) => r.account_id === acct && r.control === control);
    // The denied account's password is in its summary: found without a root session.
    expect(row(a.denied.id, "root-credentials-present")).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("the account summary reports root a password"),
    });
    expect(row(a.denied.id, "root-credentials-present")?.reason).toContain("report --root-audit");
    expect(row(a.full.id, "root-credentials-present")).toMatchObject({
      status: "COMPLIANT",
      reason: "the account summary reports no root password, access keys or signing certificates",
    });
    expect(row(a.sandbox.id, "root-mfa")?.status).toBe("NOT_APPLICABLE");
    expect(row(MANAGEMENT_ACCOUNT_ID, "root-credentials-centralized")?.status).toBe("COMPLIANT");
  });

  it("report --root-audit: audited rows, one session per member, and root-mfa NOT_APPLICABLE where no root credentials remain", async () => {
    const before = requests("AssumeRoot");
    const res = await cli([
      "report",
      "--source",
      "check",
      "--regions",
      "us-east-1",
      "--root-audit",
      "--output",
      "csv",
    ]);
    expect(res.code).toBe(3); // the denied account's audit
    expect(requests("AssumeRoot") - before).toBe(5);
    const rows = parseCsv(res.stdout, { columns: true }) as Array<Record<string, string>>;
    const row = (acct: string, control: string) =>
      rows.find((r) => r.account_id === acct && r.control === control);
    expect(row(MANAGEMENT_ACCOUNT_ID, "root-credentials-centralized")?.status).toBe("COMPLIANT");
    expect(row(a.full.id, "root-credentials-centralized")).toMatchObject({
      status: "COMPLIANT",
      reason: expect.stringContaining("organization-wide"),
    });
    expect(row(a.full.id, "root-credentials-present")).toMatchObject({
      status: "COMPLIANT",
      reason: expect.stringContaining("1 MFA device still assigned"),
    });
    expect(row(a.sandbox.id, "root-mfa")).toMatchObject({
      status: "NOT_APPLICABLE",
      reason: expect.stringContaining("no root credentials"),
    });
    expect(row(a.sandbox.id, "root-hardware-mfa")?.status).toBe("NOT_APPLICABLE");
    expect(row(a.denied.id, "root-credentials-present")).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("AssumeRoot"),
    });
    expect(row(a.denied.id, "root-mfa")?.status).toBe("NON_COMPLIANT");
    expect(row(a.suspended.id, "root-credentials-present")?.status).toBe("SKIPPED");
  });
});

describe("orgwarden run with root: entries", () => {
  function config(name: string, root: unknown, scp: unknown[] = []) {
    const file = join(dir, name);
    writeFileSync(
      file,
      stringify({
        connection: {
          region: "us-east-1",
          regions: ["us-east-1"],
          endpointUrl: proxy.endpoint,
          concurrency: 8,
        },
        scp,
        root,
        report: {
          ou: org.ouIds["Root/Sandbox"],
          sources: ["check"],
          formats: ["csv"],
          outputDir: join(dir, name.replace(".yaml", "")),
          failOn: "non-compliant",
        },
      }),
    );
    return file;
  }

  it("detect counts the accounts whose root user has credentials and fails on them (exit 4); enforce removes them", async () => {
    await seedRootCredentials(moto.endpoint, a.clean.id, { accessKeys: ["Active"] });
    // An MFA device alone is not a root credential: not counted.
    await seedRootCredentials(moto.endpoint, a.sandbox.id, { mfaDevices: ["hardware"] });
    const detect = await cli([
      "run",
      "--config",
      config("detect.yaml", [{ ou: org.ouIds["Root/Sandbox"], mode: "detect" }]),
    ]);
    expect(detect.code, detect.stderr).toBe(4);
    expect(detect.stdout).toMatch(/root ou-\S+ \(detect\): ROOT CREDENTIALS in 1 account\(s\)/);
    expect((await state(a.clean)).accessKeys).toHaveLength(1);
    const enforce = await cli([
      "run",
      "--config",
      config("enforce.yaml", [{ ou: org.ouIds["Root/Sandbox"], mode: "enforce" }]),
    ]);
    expect(enforce.stdout).toMatch(
      /root ou-\S+ \(enforce\): 2 root credential\(s\) removed or MFA deactivated in 2 account\(s\)/,
    );
    expect((await state(a.clean)).accessKeys).toEqual([]);
    expect(enforce.stdout).toContain("AWS write calls: 2;");
  });

  it("an enforce entry whose read-back fails lists the PARTIAL account and what was removed in the run's summary", async () => {
    await seedRootCredentials(moto.endpoint, a.clean.id, { accessKeys: ["Active"] });
    const file = join(dir, "partial.yaml");
    writeFileSync(
      file,
      stringify({
        connection: { region: "us-east-1", regions: ["us-east-1"], concurrency: 8 },
        root: [{ ou: a.clean.id, mode: "enforce" }],
      }),
    );
    const flaky = await startAwsProxy({
      target: moto.endpoint,
      faults: { failOperation: { action: "ListAccessKeys", from: 2, count: 1000 } },
    });
    try {
      const res = await runCli(["run", "--config", file, "--no-report"], {
        env: { AWS_ENDPOINT_URL: flaky.endpoint },
      });
      expect(res.code, res.stderr).toBe(3);
      expect(res.stdout).toMatch(
        /root \d{12} \(enforce\): 1 root credential\(s\) removed or MFA deactivated in 1 account\(s\), 1 account\(s\) could not be audited or cleaned/,
      );
      expect(res.stdout).toContain(
        `    PARTIAL ${a.clean.id} sandbox-02: could not read the root user back to confirm`,
      );
      expect(res.stdout).toMatch(/ {6}removed: delete access key AKIA\w+ \(active\)/);
    } finally {
      await flaky.stop();
    }
    expect((await state(a.clean)).accessKeys).toEqual([]);
  });

  it("report --no-root-audit overrides report.rootAudit: true; no AssumeRoot session, root-credentials-present from the account summary", async () => {
    const file = join(dir, "audit-on.yaml");
    writeFileSync(file, stringify({ report: { rootAudit: true } }));
    const before = requests("AssumeRoot");
    const res = await cli([
      "report",
      "--config",
      file,
      "--source",
      "check",
      "--regions",
      "us-east-1",
      "--ou",
      "Root/Sandbox",
      "--no-root-audit",
      "--output",
      "csv",
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(requests("AssumeRoot")).toBe(before);
    const rows = parseCsv(res.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(
      rows.find((r) => r.account_id === a.clean.id && r.control === "root-credentials-present"),
    ).toMatchObject({
      status: "COMPLIANT",
      reason: "the account summary reports no root password, access keys or signing certificates",
    });
  });

  it("blockAssumeRoot with root: entries is an invalid config (exit 2)", async () => {
    const file = join(dir, "conflict.yaml");
    const sandbox = org.ouIds["Root/Sandbox"];
    writeFileSync(
      file,
      stringify({
        blockAssumeRoot: true,
        scp: [{ ou: sandbox, policies: ["deny-root-user"] }],
        root: [{ ou: sandbox }],
      }),
    );
    const res = await cli(["run", "--config", file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      "blockAssumeRoot: blockAssumeRoot: true makes deny-root-user deny the AssumeRoot sessions",
    );
    // Without a policy that would deny them, the sessions are not at stake: nothing to refuse.
    const { validateRunConfig } = await import("@orgwarden/job");
    const fine = validateRunConfig({
      blockAssumeRoot: true,
      scp: [{ ou: sandbox, policies: ["require-mfa"] }],
      root: [{ ou: sandbox }],
    });
    expect(fine.problems).toEqual([]);
    const network = validateRunConfig({
      blockAssumeRoot: true,
      allowedCidrs: ["192.0.2.0/24"],
      scp: [{ ou: sandbox, policies: ["restrict-source-ip"] }],
      root: [{ ou: sandbox }],
    });
    expect(network.problems.map((p) => p.message).join("\n")).toContain("makes restrict-source-ip deny");
  });

  it("refuses before any change when root credentials management is off", async () => {
    // Turning trusted access off turns the features off with it.
    const off = await fetch(`${moto.endpoint}/`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSOrganizationsV20161128.DisableAWSServiceAccess",
        authorization:
          "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: JSON.stringify({ ServicePrincipal: "iam.amazonaws.com" }),
    });
    expect(off.status).toBe(200);
    const scp = [{ ou: org.ouIds["Root/Workloads"], policies: ["require-mfa"], mode: "enforce" }];
    const res = await cli([
      "run",
      "--config",
      config("refused.yaml", [{ ou: org.ouIds["Root/Workloads"], mode: "enforce" }], scp),
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("centralized root access is not enabled");
    const policies = await orgClient(moto.endpoint).send(
      new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }),
    );
    expect((policies.Policies ?? []).map((p) => p.Name)).not.toContain("orgwarden-require-mfa");
  });
});
