import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  UntagResourceCommand,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import { memberCredentials, orgClient } from "@orgwarden/emulator";
import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { type PolicySnapshot, snapshotScps } from "./support/org-snapshot.js";

// One policy per parameter set: two OUs with different exempt principals get two variants of the
// same library policy, each OU's accounts are judged with its own, and `scp status` shows which OU
// has which variant and whether any drifted or is an impostor.

const { moto, org, cli, ou } = useEmulatorOrg({
  ous: { Root: 1, "Root/Payments": 2, "Root/Analytics": 2, "Root/Spare": 1 },
});

const PAYMENTS_ADMIN = "arn:aws:iam::*:role/payments-break-glass";
const ANALYTICS_ADMIN = "arn:aws:iam::*:role/analytics-break-glass";

/** apply-scp of require-mfa to one OU with these exempt principals, as a user runs it. */
const applyMfa = (path: string, ...exempt: string[]) =>
  cli(
    "apply-scp",
    "--ou",
    ou(path),
    "--policy",
    "require-mfa",
    ...exempt.flatMap((a) => ["--exempt-principal", a]),
    "--yes",
  );

const variantsOf = (snap: PolicySnapshot[], library: string) =>
  snap.filter((p) => p.name === `orgwarden-${library}` || p.name.startsWith(`orgwarden-${library}-`));

describe("one managed SCP per parameter set", () => {
  it("two OUs with different exempt principals end up with two policies, each with its own exemption", async () => {
    for (const [path, admin] of [
      ["Root/Payments", PAYMENTS_ADMIN],
      ["Root/Analytics", ANALYTICS_ADMIN],
    ] as const) {
      const res = await applyMfa(path, admin);
      expect(res.stderr).toBe("");
      expect(res.code).toBe(0);
      // An exemption by role name is only as strong as the role: the plan says what protects it.
      expect(res.stdout).toContain("Attach protect-exempt-roles too (--policy protect-exempt-roles)");
    }
    const snap = await snapshotScps(moto.endpoint);
    const variants = variantsOf(snap, "require-mfa");
    expect(variants).toHaveLength(2);
    for (const v of variants) {
      expect(v.name).toMatch(/^orgwarden-require-mfa-[0-9a-f]{10}$/);
      expect(v.tags).toMatchObject({ "managed-by": "orgwarden", "orgwarden:policy": "require-mfa" });
      expect(v.targets).toHaveLength(1);
    }
    const payments = variants.find((v) => v.targets[0] === ou("Root/Payments"));
    const analytics = variants.find((v) => v.targets[0] === ou("Root/Analytics"));
    expect(payments?.content).toContain(PAYMENTS_ADMIN);
    expect(payments?.content).not.toContain(ANALYTICS_ADMIN);
    expect(analytics?.content).toContain(ANALYTICS_ADMIN);
    expect(analytics?.content).not.toContain(PAYMENTS_ADMIN);
  });

  it("re-running changes nothing", async () => {
    const before = await snapshotScps(moto.endpoint);
    const res = await applyMfa("Root/Payments", PAYMENTS_ADMIN);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("0 changes.");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("scp status shows which OU has which variant, all in sync (exit 0)", async () => {
    const res = await cli("scp", "status", "--output", "json");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const rows = JSON.parse(res.stdout) as Array<Record<string, string>>;
    const forOu = (path: string) => rows.find((r) => r.targetId === ou(path));
    expect(forOu("Root/Payments")).toMatchObject({ library: "require-mfa", state: "in-sync" });
    expect(forOu("Root/Payments")?.parameters).toContain(PAYMENTS_ADMIN);
    expect(forOu("Root/Analytics")?.parameters).toContain(ANALYTICS_ADMIN);
    expect(forOu("Root/Payments")?.variant).not.toBe(forOu("Root/Analytics")?.variant);
    const table = await cli("scp", "status", "--output", "table", "--ou", ou("Root/Payments"));
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Root/Payments");
    expect(table.stdout).not.toContain("Root/Analytics");
    expect(table.stdout).toContain(
      "1 orgwarden attachment; all in sync; 2 other SCP attachments on the path",
    );
  });

  it("changing one OU's parameters attaches a new variant, detaches the old one in one plan, and never changes the other OU's document", async () => {
    const before = await snapshotScps(moto.endpoint);
    const analyticsBefore = variantsOf(before, "require-mfa").find((v) =>
      v.targets.includes(ou("Root/Analytics")),
    );
    const oldPayments = variantsOf(before, "require-mfa").find((v) =>
      v.targets.includes(ou("Root/Payments")),
    );
    const res = await applyMfa("Root/Payments", PAYMENTS_ADMIN, "arn:aws:iam::*:role/payments-auditor");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/\+ create orgwarden-require-mfa-[0-9a-f]{10}/);
    expect(res.stdout).toContain(`- detach ${oldPayments?.name}`);
    expect(res.stdout).toContain(`replaces ${oldPayments?.name}`);
    expect(res.stdout).toMatch(/\n {2}\+ +"arn:aws:iam::\*:role\/payments-auditor",?\n/);
    const after = await snapshotScps(moto.endpoint);
    const analyticsAfter = variantsOf(after, "require-mfa").find((v) =>
      v.targets.includes(ou("Root/Analytics")),
    );
    expect(analyticsAfter).toEqual(analyticsBefore);
    const paymentsNow = variantsOf(after, "require-mfa").filter((v) =>
      v.targets.includes(ou("Root/Payments")),
    );
    expect(paymentsNow).toHaveLength(1);
    expect(paymentsNow[0]?.content).toContain("payments-auditor");
    // The old variant is left attached nowhere, for --delete-unused.
    expect(after.find((p) => p.id === oldPayments?.id)?.targets).toEqual([]);
  });

  it("scp status: an edited variant is drifted and an untagged orgwarden-* policy is an impostor (exit 4)", async () => {
    const client = orgClient(moto.endpoint);
    const snap = await snapshotScps(moto.endpoint);
    const analytics = variantsOf(snap, "require-mfa").find((v) => v.targets.includes(ou("Root/Analytics")));
    const neutered = JSON.parse(analytics?.content ?? "{}") as { Statement: Array<{ Condition?: unknown }> };
    (neutered.Statement[0] as { Condition: unknown }).Condition = {
      StringEquals: { "aws:PrincipalTag/never": "set" },
    };
    await client.send(
      new UpdatePolicyCommand({ PolicyId: analytics?.id as string, Content: JSON.stringify(neutered) }),
    );
    const impostor = await client.send(
      new CreatePolicyCommand({
        Name: "orgwarden-deny-root-user",
        Description: "looks like ours",
        Type: "SERVICE_CONTROL_POLICY",
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "ec2:RunInstances", Resource: "*" }],
        }),
      }),
    );
    await client.send(
      new AttachPolicyCommand({
        PolicyId: impostor.Policy?.PolicySummary?.Id as string,
        TargetId: ou("Root/Spare"),
      }),
    );
    client.destroy();

    const res = await cli("scp", "status", "--output", "csv");
    expect(res.code).toBe(4);
    const lines = res.stdout.trim().split("\r\n");
    expect(lines[0]).toBe(
      "target_id,target_path,target_kind,policy_name,policy_id,library_policy,variant,state,parameters,detail,inherited",
    );
    const analyticsLine = lines.find((l) => l.startsWith(ou("Root/Analytics")));
    expect(analyticsLine).toContain("drifted");
    expect(analyticsLine).toContain("differs from the library");
    const spareLine = lines.find((l) => l.startsWith(ou("Root/Spare")));
    expect(spareLine).toContain("impostor");
    const payments = await cli("scp", "status", "--ou", ou("Root/Payments"), "--output", "json");
    expect(payments.code).toBe(0);
  });

  it("a variant whose parameter tags were removed is drifted in scp status; apply-scp puts them back", async () => {
    const snap = await snapshotScps(moto.endpoint);
    const payments = variantsOf(snap, "require-mfa").find((v) => v.targets.includes(ou("Root/Payments")));
    const client = orgClient(moto.endpoint);
    await client.send(
      new UntagResourceCommand({
        ResourceId: payments?.id as string,
        TagKeys: Object.keys(payments?.tags ?? {}).filter((k) => k.startsWith("orgwarden:parameters")),
      }),
    );
    client.destroy();
    const status = await cli("scp", "status", "--ou", ou("Root/Payments"), "--output", "json");
    expect(status.code).toBe(4);
    expect(status.stdout).toContain("parameters are not recorded in its tags");
    const res = await applyMfa("Root/Payments", PAYMENTS_ADMIN, "arn:aws:iam::*:role/payments-auditor");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`~ tag ${payments?.name}`);
    const again = await cli("scp", "status", "--ou", ou("Root/Payments"), "--output", "json");
    expect(again.code).toBe(0);
  });

  it("detach-scp --delete-unused removes the orphaned variant and never a policy without the managed tag", async () => {
    const before = await snapshotScps(moto.endpoint);
    const orphans = before.filter((p) => p.name.startsWith("orgwarden-") && p.targets.length === 0);
    expect(orphans).toHaveLength(1);
    // An untagged orgwarden-named policy attached nowhere: never deleted.
    const client = orgClient(moto.endpoint);
    await client.send(
      new CreatePolicyCommand({
        Name: "orgwarden-protect-audit",
        Description: "someone else's",
        Type: "SERVICE_CONTROL_POLICY",
        Content: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Deny", Action: "ec2:RunInstances", Resource: "*" }],
        }),
      }),
    );
    client.destroy();
    const dry = await cli("detach-scp", "--delete-unused", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`- delete ${orphans[0]?.name}`);
    expect(dry.stdout).toContain("orgwarden-protect-audit");
    expect(dry.stdout).toContain("not tagged managed-by=orgwarden: not deleted");
    const res = await cli("detach-scp", "--delete-unused", "--yes");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const after = await snapshotScps(moto.endpoint);
    expect(after.find((p) => p.id === orphans[0]?.id)).toBeUndefined();
    expect(after.find((p) => p.name === "orgwarden-protect-audit")).toBeDefined();
    expect(after.filter((p) => p.targets.length > 0)).toEqual(before.filter((p) => p.targets.length > 0));
    const again = await cli("detach-scp", "--delete-unused", "--yes");
    expect(again.stdout).toContain("0 changes.");
  });

  it("detach-scp without --ou or --delete-unused says what to pass (exit 2)", async () => {
    const res = await cli("detach-scp");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("needs --ou, --delete-unused, or both");
  });
});

describe("the report lists every MFA-exempt user", () => {
  it("one mfa-exempt-user row per tagged user (NOT_APPLICABLE, exempt by tag); an untagged or wrongly valued user gets none", async () => {
    const member = org.accounts.find((a) => a.ouPath === "Root/Payments")?.id as string;
    const iam = new IAMClient({
      region: "us-east-1",
      endpoint: moto.endpoint,
      credentials: await memberCredentials(moto.endpoint, member),
    });
    await iam.send(
      new CreateUserCommand({ UserName: "ses-smtp", Tags: [{ Key: "orgwarden:mfa-exempt", Value: "true" }] }),
    );
    await iam.send(
      new CreateUserCommand({ UserName: "maybe", Tags: [{ Key: "orgwarden:mfa-exempt", Value: "yes" }] }),
    );
    await iam.send(new CreateUserCommand({ UserName: "plain" }));
    iam.destroy();
    const res = await cli(
      "report",
      "--regions",
      "us-east-1",
      "--source",
      "check",
      "--ou",
      ou("Root/Payments"),
      "--output",
      "json",
    );
    expect(res.code, res.stderr).toBe(0);
    const rows = (JSON.parse(res.stdout) as { rows: Array<Record<string, string>> }).rows.filter(
      (r) => r.control === "mfa-exempt-user",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      accountId: member,
      status: "NOT_APPLICABLE",
      resourceType: "AWS::IAM::User",
    });
    expect(rows[0]?.resourceId).toMatch(/:user\/ses-smtp$/);
    expect(rows[0]?.reason).toContain("exempt by tag");
  });
});

describe("scp show", () => {
  it("says what the policy denies, to whom, and the AWS page it follows, then the JSON", async () => {
    const res = await cli("scp", "show", "require-mfa");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Denies:");
    expect(res.stdout).toContain("iam:ChangePassword");
    expect(res.stdout).toContain("Applies to: IAM users");
    expect(res.stdout).toContain("https://docs.aws.amazon.com/IAM/latest/UserGuide/");
    expect(res.stdout).toContain("Name in AWS Organizations: orgwarden-require-mfa\n");
    const doc = await cli("scp", "show", "protect-exempt-roles", "--document");
    expect(JSON.parse(doc.stdout).Statement[0].Sid).toBe("ProtectExemptRoles");
  });
});
