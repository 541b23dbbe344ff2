import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient, DescribeConfigRulesCommand } from "@aws-sdk/client-config-service";
import { CreateLoginProfileCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { UpdatePolicyCommand } from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  createDetector,
  EMULATOR_CREDENTIALS,
  memberCredentials,
  orgClient,
  setPasswordPolicy,
  startRecorder,
} from "@orgwarden/emulator";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { byName, snapshotScps } from "./support/org-snapshot.js";
import { runCli } from "./support/run-cli.js";

// The report's semantics against the emulator: every region a control is regional in, AWS Config's
// own evaluation of each control, SCP coverage by content and tag, the credential report as CSV.

const dir = mkdtempSync(join(tmpdir(), "orgwarden-semantics-"));

const { moto, org } = useEmulatorOrg({ ous: { Root: 0, "Root/A": 2, "Root/B": 1, "Root/C": 1 } });

const cli = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli([...args, "--endpoint-url", moto.endpoint], { env });
const accountIn = (ou: string, i = 0) => org.accounts.filter((a) => a.ouPath === ou)[i]?.id as string;

type Row = Record<string, string>;
async function reportRows(args: string[], env: Record<string, string | undefined> = {}): Promise<Row[]> {
  const res = await cli(["report", "--output", "json", ...args], env);
  expect([0, 3, 4], res.stderr).toContain(res.code);
  return (JSON.parse(res.stdout) as { rows: Row[] }).rows;
}
/** The direct checks (`--source check`) of the accounts under one OU, in the given regions. */
function checkRows(ouPath: string, regions?: string, env: Record<string, string | undefined> = {}) {
  const ou = org.ouIds[ouPath] as string;
  return reportRows(["--source", "check", "--ou", ou, ...(regions ? ["--regions", regions] : [])], env);
}
const rowOf = (rows: Row[], account: string, control: string, source = "check") =>
  rows.find((r) => r.accountId === account && r.control === control && r.source === source);

describe("regional controls are judged in every region", () => {
  it("a detector in us-east-1 but not eu-west-1: NON_COMPLIANT, naming eu-west-1; the row carries region, severity, frameworks", async () => {
    const account = accountIn("Root/A");
    await createDetector(moto.endpoint, account, "us-east-1");
    const rows = await checkRows("Root/A", "us-east-1,eu-west-1");
    const gd = rowOf(rows, account, "guardduty-enabled");
    expect(gd).toMatchObject({ status: "NON_COMPLIANT", region: "eu-west-1", severity: "HIGH" });
    expect(gd?.reason).toContain("eu-west-1: no GuardDuty detector");
    expect(gd?.frameworks).toBe("SecurityHub:GuardDuty.1");
    const root = rowOf(rows, account, "root-mfa");
    expect(root).toMatchObject({
      region: "",
      severity: "CRITICAL",
      frameworks: "CIS-3.0:1.5;CIS-5.0:1.4;SecurityHub:IAM.9",
    });
    // Only us-east-1 asked: compliant there.
    const one = await checkRows("Root/A", "us-east-1");
    expect(rowOf(one, account, "guardduty-enabled")).toMatchObject({
      status: "COMPLIANT",
      region: "us-east-1",
    });
  });

  it("without --regions every enabled region of the account is judged", async () => {
    const account = accountIn("Root/A");
    const rows = await checkRows("Root/A");
    const gd = rowOf(rows, account, "guardduty-enabled");
    expect(gd?.status).toBe("NON_COMPLIANT");
    expect((gd?.region ?? "").split(" ").length).toBeGreaterThan(10);
    expect(gd?.region).not.toContain("us-east-1");
  });

  it("a recorder only in eu-west-1, with credentials and region from a profile: COMPLIANT in eu-west-1, NON_COMPLIANT naming us-east-1", async () => {
    const account = accountIn("Root/B");
    await startRecorder(moto.endpoint, account, "eu-west-1");
    // The profile gives both the credentials and the region; no AWS_REGION in the environment.
    const configFile = join(dir, "aws-config");
    const credentialsFile = join(dir, "aws-credentials");
    writeFileSync(configFile, "[profile europe]\nregion = eu-west-1\n");
    writeFileSync(
      credentialsFile,
      `[europe]\naws_access_key_id = ${EMULATOR_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${EMULATOR_CREDENTIALS.secretAccessKey}\n`,
    );
    const env = {
      AWS_REGION: undefined,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_PROFILE: "europe",
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    };
    const rows = await checkRows("Root/B", "eu-west-1", env);
    expect(rowOf(rows, account, "config-recorder")).toMatchObject({
      status: "COMPLIANT",
      region: "eu-west-1",
    });
    const both = await checkRows("Root/B", "eu-west-1,us-east-1", env);
    expect(rowOf(both, account, "config-recorder")).toMatchObject({
      status: "NON_COMPLIANT",
      region: "us-east-1",
    });
  });
});

describe("AWS Config's semantics", () => {
  async function trail(
    account: string,
    name: string,
    options: { organization?: boolean; selectors?: unknown },
  ) {
    const credentials =
      account === org.managementAccountId
        ? EMULATOR_CREDENTIALS
        : await memberCredentials(moto.endpoint, account);
    const s3 = new S3Client({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: `${name}-${account}` }));
    const ct = new CloudTrailClient({ endpoint: moto.endpoint, region: "us-east-1", credentials });
    await ct.send(
      new CreateTrailCommand({
        Name: name,
        S3BucketName: `${name}-${account}`,
        IsMultiRegionTrail: true,
        ...(options.organization ? { IsOrganizationTrail: true } : {}),
      }),
    );
    await ct.send(new StartLoggingCommand({ Name: name }));
    if (options.selectors)
      await ct.send(new PutEventSelectorsCommand({ TrailName: name, ...(options.selectors as object) }));
    s3.destroy();
    ct.destroy();
  }

  it(`a recorder with a custom role: NON_COMPLIANT as Config.1 says by default; COMPLIANT with includeConfigServiceLinkedRoleCheck false (https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1)`, async () => {
    const account = accountIn("Root/A", 1);
    const role = `arn:aws:iam::${account}:role/config-recorder`;
    await startRecorder(moto.endpoint, account, "ap-south-1", true, role);
    const ou = org.ouIds["Root/A"] as string;
    const args = ["--source", "check", "--ou", ou, "--regions", "ap-south-1"];
    const strict = rowOf(await reportRows(args), account, "config-recorder");
    expect(strict).toMatchObject({ status: "NON_COMPLIANT", region: "ap-south-1" });
    expect(strict?.reason).toContain(`records with the role ${role}, not the service-linked role`);
    const flag = await reportRows([...args, "--any-recorder-role"]);
    expect(rowOf(flag, account, "config-recorder")).toMatchObject({ status: "COMPLIANT" });
    const file = join(dir, "any-recorder-role.yaml");
    writeFileSync(file, stringify({ report: { includeConfigServiceLinkedRoleCheck: false } }));
    const config = await reportRows([...args, "--config", file]);
    expect(rowOf(config, account, "config-recorder")).toMatchObject({ status: "COMPLIANT" });
  });

  it("a multi-region logging trail whose selectors exclude management events is NON_COMPLIANT", async () => {
    const account = accountIn("Root/A", 1);
    await trail(account, "no-management", {
      selectors: { EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: false }] },
    });
    const rows = await checkRows("Root/A", "us-east-1");
    const row = rowOf(rows, account, "cloudtrail-enabled");
    expect(row).toMatchObject({
      status: "NON_COMPLIANT",
      frameworks: "CIS-3.0:3.1;CIS-5.0:3.1;SecurityHub:CloudTrail.1",
    });
    expect(row?.reason).toContain("exclude management events");
  });

  it("an organization trail covers a member that has no trail of its own: COMPLIANT", async () => {
    await trail(org.managementAccountId, "organization-trail", { organization: true });
    const member = accountIn("Root/C");
    const rows = await checkRows("Root/C", "us-east-1");
    const row = rowOf(rows, member, "cloudtrail-enabled");
    expect(row).toMatchObject({ status: "COMPLIANT" });
    expect(row?.reason).toContain("organization trail organization-trail");
  });

  it("an 8-character password policy: NON_COMPLIANT under the rule's defaults, COMPLIANT with minimumLength 8, and the deployed rule gets the same parameters", async () => {
    const account = accountIn("Root/C");
    await setPasswordPolicy(moto.endpoint, account, {
      MinimumPasswordLength: 8,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
      PasswordReusePrevention: 24,
      MaxPasswordAge: 90,
    });
    const ou = org.ouIds["Root/C"] as string;
    const strict = await reportRows(["--source", "check", "--ou", ou, "--regions", "us-east-1"]);
    expect(rowOf(strict, account, "password-policy")).toMatchObject({ status: "NON_COMPLIANT" });
    expect(rowOf(strict, account, "password-policy")?.reason).toContain("minimum length 8 < 14");
    const config = join(dir, "eight.yaml");
    writeFileSync(config, stringify({ passwordPolicy: { minimumLength: 8 } }));
    const relaxed = await reportRows([
      "--source",
      "check",
      "--ou",
      ou,
      "--regions",
      "us-east-1",
      "--config",
      config,
    ]);
    expect(rowOf(relaxed, account, "password-policy")).toMatchObject({ status: "COMPLIANT" });
    await startRecorder(moto.endpoint, account, "us-east-1");
    const deploy = await cli([
      "deploy-rules",
      "--ou",
      ou,
      "--rule",
      "iam-password-policy",
      "--yes",
      "--config",
      config,
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const cfg = new ConfigServiceClient({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: await memberCredentials(moto.endpoint, account),
    });
    const rules = await cfg.send(
      new DescribeConfigRulesCommand({ ConfigRuleNames: ["orgwarden-iam-password-policy"] }),
    );
    cfg.destroy();
    expect(JSON.parse(rules.ConfigRules?.[0]?.InputParameters ?? "{}")).toEqual({
      MinimumPasswordLength: "8",
      RequireUppercaseCharacters: "true",
      RequireLowercaseCharacters: "true",
      RequireNumbers: "true",
      RequireSymbols: "true",
      PasswordReusePrevention: "24",
      MaxPasswordAge: "90",
    });
  });

  it("an IAM user whose name holds a comma is named whole (the credential report is parsed as CSV)", async () => {
    const account = accountIn("Root/B");
    const iam = new IAMClient({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: await memberCredentials(moto.endpoint, account),
    });
    await iam.send(new CreateUserCommand({ UserName: "ops,team" }));
    await iam.send(new CreateLoginProfileCommand({ UserName: "ops,team", Password: "Correct-Horse-9!" }));
    iam.destroy();
    const rows = await checkRows("Root/B", "us-east-1");
    const row = rowOf(rows, account, "iam-user-mfa");
    expect(row).toMatchObject({ status: "NON_COMPLIANT", resourceId: "ops,team" });
    expect(row?.reason).toBe('console users without MFA: "ops,team"');
  });

  it("an edited orgwarden-require-mfa is NON_COMPLIANT, drifted; the CSV keeps the ten columns first", async () => {
    const apply = await cli([
      "apply-scp",
      "--ou",
      org.ouIds["Root/A"] as string,
      "--policy",
      "require-mfa",
      "--yes",
    ]);
    expect(apply.code, apply.stderr).toBe(0);
    const ok = await reportRows(["--source", "scp", "--ou", org.ouIds["Root/A"] as string]);
    expect(rowOf(ok, accountIn("Root/A"), "scp-require-mfa", "scp")?.status).toBe("COMPLIANT");
    const policy = byName(await snapshotScps(moto.endpoint), "orgwarden-require-mfa");
    const client = orgClient(moto.endpoint);
    await client.send(
      new UpdatePolicyCommand({
        PolicyId: policy?.id as string,
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "s3:GetObject", Resource: "*" }],
        }),
      }),
    );
    client.destroy();
    const rows = await reportRows(["--source", "scp", "--ou", org.ouIds["Root/A"] as string]);
    const row = rowOf(rows, accountIn("Root/A"), "scp-require-mfa", "scp");
    expect(row).toMatchObject({ status: "NON_COMPLIANT" });
    expect(row?.reason).toContain("has drifted");
    const csv = await cli([
      "report",
      "--source",
      "scp",
      "--ou",
      org.ouIds["Root/A"] as string,
      "--output",
      "csv",
    ]);
    expect(csv.stdout.split("\r\n")[0]).toBe(
      "account_id,account_name,ou_path,control,source,status,resource_type,resource_id,reason,evaluated_at,region,severity,frameworks",
    );
  });
});

describe("orgwarden controls", () => {
  it("lists the catalogue with severity, Config rule and framework ids", async () => {
    const res = await cli(["controls", "--output", "json"]);
    expect(res.code).toBe(0);
    const controls = JSON.parse(res.stdout) as Array<Record<string, unknown>>;
    expect(controls.find((c) => c.id === "root-mfa")).toMatchObject({
      severity: "CRITICAL",
      configRule: "ROOT_ACCOUNT_MFA_ENABLED",
      frameworks: "CIS-3.0:1.5;CIS-5.0:1.4;SecurityHub:IAM.9",
    });
    expect(controls.length).toBe(28);
  });
});
