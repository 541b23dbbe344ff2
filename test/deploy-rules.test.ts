import { DescribeConfigRulesCommand, ListTagsForResourceCommand } from "@aws-sdk/client-config-service";
import { GetPolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  memberConfig,
  memberCredentials,
  putForeignRule,
  type SeededAccount,
  startAwsProxy,
  startRecorder,
} from "@orgwarden/emulator";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";

let prod: SeededAccount[];
let noRecorder: SeededAccount;
let suspended: SeededAccount;
let outside: SeededAccount;

const { moto, org, cli } = useEmulatorOrg({
  ous: {
    Root: 0,
    "Root/Workloads": 1,
    "Root/Workloads/Prod": 3,
    "Root/Workloads/Prod/Deep": 2,
    "Root/Sandbox": 1,
  },
  suspend: ["workloads-prod-deep-02"],
});
beforeAll(async () => {
  const under = org.accounts.filter((a) => a.ouPath.startsWith("Root/Workloads"));
  noRecorder = under.find((a) => a.name === "workloads-prod-03") as SeededAccount;
  suspended = under.find((a) => a.state === "SUSPENDED") as SeededAccount;
  outside = org.accounts.find((a) => a.ouPath === "Root/Sandbox") as SeededAccount;
  prod = under.filter((a) => a.state === "ACTIVE" && a.id !== noRecorder.id);
  for (const a of [...prod, outside]) await startRecorder(moto.endpoint, a.id);
  await putForeignRule(moto.endpoint, prod[0]?.id as string, "team-root-keys");
});

async function rulesIn(accountId: string) {
  const config = await memberConfig(moto.endpoint, accountId);
  const out = await config.send(new DescribeConfigRulesCommand({}));
  const rules = await Promise.all(
    (out.ConfigRules ?? []).map(async (r) => ({
      name: r.ConfigRuleName as string,
      identifier: r.Source?.SourceIdentifier,
      params: r.InputParameters ? (JSON.parse(r.InputParameters) as Record<string, string>) : {},
      tags: (await config.send(new ListTagsForResourceCommand({ ResourceArn: r.ConfigRuleArn }))).Tags ?? [],
    })),
  );
  config.destroy();
  return rules.sort((a, b) => a.name.localeCompare(b.name));
}

describe("orgwarden deploy-rules (accounts mode)", () => {
  it("refuses without --yes off a terminal, and --dry-run changes nothing", async () => {
    const ou = org.ouIds["Root/Workloads"] as string;
    const refused = await cli("deploy-rules", "--ou", ou);
    expect(refused.code).toBe(2);
    const dry = await cli("deploy-rules", "--ou", ou, "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Dry run: nothing was changed.");
    for (const a of prod)
      expect((await rulesIn(a.id)).filter((r) => r.name.startsWith("orgwarden-"))).toEqual([]);
  });

  it("creates the default rules in exactly the active accounts under the OU, each with its own policy ARN", async () => {
    const res = await cli("deploy-rules", "--ou", org.ouIds["Root/Workloads"] as string, "--yes");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    for (const a of prod) {
      const managed = (await rulesIn(a.id)).filter((r) => r.name.startsWith("orgwarden-"));
      expect(managed.map((r) => r.name)).toEqual([
        "orgwarden-iam-policy-in-use",
        "orgwarden-root-account-mfa-enabled",
      ]);
      const policyRule = managed[0];
      expect(policyRule?.identifier).toBe("IAM_POLICY_IN_USE");
      expect(policyRule?.params).toEqual({
        policyARN: `arn:aws:iam::${a.id}:policy/BlockAllAccessUnlessSignedInWithMFA`,
        policyUsageType: "ANY",
      });
      expect(policyRule?.tags).toEqual([{ Key: "managed-by", Value: "orgwarden" }]);
    }
    expect(await rulesIn(outside.id)).toEqual([]);
    expect(await rulesIn(noRecorder.id)).toEqual([]);
    expect(res.stdout).toMatch(
      new RegExp(`${noRecorder.id}.*skipped\\s+no AWS Config configuration recorder`),
    );
    expect(res.stdout).toMatch(new RegExp(`${suspended.id}.*skipped\\s+account is SUSPENDED`));
  });

  it("a second run changes nothing", async () => {
    const res = await cli("deploy-rules", "--ou", org.ouIds["Root/Workloads"] as string, "--yes");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`0 create, 0 update, ${prod.length * 2} unchanged`);
    expect(res.stdout).toContain("Nothing to do.");
  });

  it("updates a rule whose parameters changed, and leaves a foreign rule untouched", async () => {
    const res = await cli(
      "deploy-rules",
      "--ou",
      org.ouIds["Root/Workloads"] as string,
      "--rule",
      "iam-policy-in-use",
      "--mfa-policy-name",
      "RequireMFA",
      "--yes",
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/orgwarden-iam-policy-in-use\s+update\s+input parameters changed/);
    const rules = await rulesIn(prod[0]?.id as string);
    expect(rules.find((r) => r.name === "orgwarden-iam-policy-in-use")?.params.policyARN).toBe(
      `arn:aws:iam::${prod[0]?.id}:policy/RequireMFA`,
    );
    expect(rules.find((r) => r.name === "team-root-keys")).toMatchObject({
      identifier: "IAM_ROOT_ACCESS_KEY_CHECK",
      tags: [],
    });
  });

  it("--ensure-iam-policy creates the MFA policy where it is missing", async () => {
    const account = prod[1] as SeededAccount;
    const res = await cli("deploy-rules", "--ou", account.id, "--ensure-iam-policy", "--yes");
    expect(res.code).toBe(0);
    const iam = new IAMClient({
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: await memberCredentials(moto.endpoint, account.id),
    });
    const policy = await iam.send(
      new GetPolicyCommand({
        PolicyArn: `arn:aws:iam::${account.id}:policy/BlockAllAccessUnlessSignedInWithMFA`,
      }),
    );
    expect(policy.Policy?.PolicyName).toBe("BlockAllAccessUnlessSignedInWithMFA");
    iam.destroy();
    const again = await cli("deploy-rules", "--ou", account.id, "--ensure-iam-policy", "--yes");
    expect(again.stdout).toContain("Nothing to do.");
  });

  it("an account whose role cannot be assumed is an ERROR row and exit 3; the others are deployed", async () => {
    const denied = prod[2] as SeededAccount;
    const proxy = await startAwsProxy({ target: moto.endpoint, denyAssumeRoleInto: [denied.id] });
    try {
      const res = await runCli([
        "deploy-rules",
        "--ou",
        org.ouIds["Root/Workloads"] as string,
        "--rule",
        "iam-root-access-key-check",
        "--yes",
        "--endpoint-url",
        proxy.endpoint,
      ]);
      expect(res.code).toBe(3);
      expect(res.stdout).toMatch(
        new RegExp(
          `${denied.id}.*ERROR\\s+cannot assume arn:aws:iam::${denied.id}:role/OrganizationAccountAccessRole`,
        ),
      );
      expect(res.stderr).toContain("1 account(s) could not be reached");
      expect((await rulesIn(prod[0]?.id as string)).map((r) => r.name)).toContain(
        "orgwarden-iam-root-access-key-check",
      );
      expect((await rulesIn(denied.id)).map((r) => r.name)).not.toContain(
        "orgwarden-iam-root-access-key-check",
      );
    } finally {
      await proxy.stop();
    }
  });

  it("--remove deletes only orgwarden's rules", async () => {
    const res = await cli("deploy-rules", "--ou", org.ouIds["Root/Workloads"] as string, "--remove", "--yes");
    expect(res.code).toBe(0);
    for (const a of prod) {
      expect((await rulesIn(a.id)).filter((r) => r.name.startsWith("orgwarden-"))).toEqual([]);
    }
    expect((await rulesIn(prod[0]?.id as string)).map((r) => r.name)).toEqual(["team-root-keys"]);
  });

  it("rules list shows the catalog with rendered parameters; a bad region exits 2", async () => {
    const asJson = await cli("rules", "list", "--output", "json");
    expect(asJson.code, asJson.stderr).toBe(0);
    expect(
      (JSON.parse(asJson.stdout) as Array<Record<string, unknown>>).find(
        (r) => r.name === "iam-password-policy",
      ),
    ).toMatchObject({
      identifier: "IAM_PASSWORD_POLICY",
      where: "home region",
      parameters: expect.objectContaining({ MinimumPasswordLength: "14" }),
    });
    const list = await cli("rules", "list", "--output", "table");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /iam-policy-in-use\s+IAM_POLICY_IN_USE\s+mfa-policy-in-use\s+home region\s+yes/,
    );
    // IAM_PASSWORD_POLICY's own defaults, the same values the direct check uses.
    expect(list.stdout).toContain("MinimumPasswordLength=14");
    expect(list.stdout).toContain("PasswordReusePrevention=24");
    expect(list.stdout).toContain("MaxPasswordAge=90");
    const bad = await cli("deploy-rules", "--regions", "mars-1", "--dry-run");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"mars-1" is not a region name');
  });
});
