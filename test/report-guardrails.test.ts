import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribeEffectivePolicyCommand,
  DetachPolicyCommand,
  EnablePolicyTypeCommand,
} from "@aws-sdk/client-organizations";
import { memberCredentials, orgClient, type SeededAccount, setAccountGuardrails } from "@orgwarden/emulator";
import type { ReportRow } from "@orgwarden/report";
import { type RenderedDeclarativePolicy, renderEc2DeclarativePolicy, renderS3Policy } from "@orgwarden/scp";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";

/**
 * `report --source guardrails` on the emulator: an S3 organization policy and an EC2 declarative
 * policy (rendered by orgwarden's renderers, created and attached through the SDK) on Root/Guarded;
 * Root/Open's accounts hold some settings themselves. Each row names the mechanism that holds the
 * setting, from EC2's ManagedBy and the account's effective S3 policy.
 */
const { moto, org, cli, ou } = useEmulatorOrg({
  ous: { Root: 0, "Root/Guarded": 1, "Root/Open": 2 },
  suspend: ["open-02"],
});
const REGIONS = "us-east-1,eu-west-1";
let guarded: SeededAccount;
let open: SeededAccount;
let s3Policy: string;

async function createAndAttach(p: RenderedDeclarativePolicy, targetId: string): Promise<string> {
  const client = orgClient(moto.endpoint);
  const out = await client.send(
    new CreatePolicyCommand({
      Name: p.managedName,
      Type: p.type,
      Description: p.description,
      Content: p.content,
      Tags: p.tags,
    }),
  );
  const id = out.Policy?.PolicySummary?.Id ?? "";
  await client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: targetId }));
  return id;
}

const guardrailRows = async (...extra: string[]) => {
  const res = await cli(
    "report",
    "--source",
    "guardrails",
    "--regions",
    REGIONS,
    "--output",
    "json",
    ...extra,
  );
  expect(res.code, res.stderr).toBe(0);
  return (JSON.parse(res.stdout) as { rows: ReportRow[] }).rows;
};
const rowOf = (rows: ReportRow[], account: string, control: string) =>
  rows.find((r) => r.accountId === account && r.control === control) as ReportRow;

beforeAll(async () => {
  guarded = org.accounts.find((a) => a.name === "guarded-01") as SeededAccount;
  open = org.accounts.find((a) => a.name === "open-01") as SeededAccount;
  const client = orgClient(moto.endpoint);
  for (const type of ["S3_POLICY", "DECLARATIVE_POLICY_EC2"] as const)
    await client.send(new EnablePolicyTypeCommand({ RootId: org.rootId, PolicyType: type }));
  s3Policy = await createAndAttach(renderS3Policy({ BlockPublicAccess: "all" }), ou("Root/Guarded"));
  await createAndAttach(
    renderEc2DeclarativePolicy({
      ImdsHttpTokens: "required",
      ImageBlockPublicAccess: "block-new-sharing",
      SnapshotBlockPublicAccess: "block-all-sharing",
      SerialConsole: "disabled",
      VpcBlockPublicAccess: "block-ingress",
    }),
    ou("Root/Guarded"),
  );
  // Root/Open holds some settings itself: S3 BPA on, IMDSv2 in one region only, snapshots half-blocked.
  await setAccountGuardrails(moto.endpoint, open.id, {
    s3BlockPublicAccess: true,
    imdsHttpTokens: "required",
    snapshotBlockPublicAccess: "block-new-sharing",
    serialConsole: "enabled",
  });
  // Under the declarative policy, the account's own setting stays underneath.
  await setAccountGuardrails(moto.endpoint, guarded.id, { snapshotBlockPublicAccess: "unblocked" });
});

describe("report --source guardrails", () => {
  it("credits the S3 organization policy and the EC2 declarative policy in the accounts they hold", async () => {
    const rows = await guardrailRows();
    expect(rows.every((r) => r.source === "guardrails")).toBe(true);
    expect(rowOf(rows, guarded.id, "s3-account-public-access-block")).toMatchObject({
      status: "COMPLIANT",
      reason: expect.stringContaining("enforced by the S3 organization policy (all)"),
      frameworks: expect.stringContaining("SecurityHub:S3.1"),
    });
    expect(rowOf(rows, guarded.id, "imdsv2-default")).toMatchObject({
      status: "COMPLIANT",
      region: "us-east-1 eu-west-1",
      reason: expect.stringMatching(
        /^HttpTokens required, enforced by the EC2 declarative policy in all 2 regions; .*mitigated by the EC2 declarative policy, not prevented$/,
      ),
    });
    for (const control of [
      "ebs-snapshot-block-public-access",
      "ami-block-public-access",
      "serial-console-disabled",
      "vpc-block-public-access",
    ])
      expect(rowOf(rows, guarded.id, control), control).toMatchObject({
        status: "COMPLIANT",
        reason: expect.stringContaining("enforced by the EC2 declarative policy in all 2 regions"),
      });
    expect(rowOf(rows, guarded.id, "vpc-block-public-access").reason).toMatch(
      /^InternetGatewayBlockMode block-ingress, enforced/,
    );
  });

  it("tells an account's own settings apart, and names the failing regions", async () => {
    const rows = await guardrailRows();
    expect(rowOf(rows, open.id, "s3-account-public-access-block")).toMatchObject({
      status: "COMPLIANT",
      reason: expect.stringContaining("the account's own setting: no S3 organization policy applies"),
    });
    expect(rowOf(rows, open.id, "imdsv2-default")).toMatchObject({
      status: "NON_COMPLIANT",
      region: "eu-west-1",
      reason:
        "not compliant in 1 of 2 regions: no HttpTokens default, the account's own setting (eu-west-1); compliant: HttpTokens required, the account's own setting (us-east-1)",
    });
    // block-new-sharing leaves public snapshots public: only block-all-sharing passes the Config rule.
    expect(rowOf(rows, open.id, "ebs-snapshot-block-public-access")).toMatchObject({
      status: "NON_COMPLIANT",
      region: "us-east-1 eu-west-1",
      reason:
        "not compliant in 2 of 2 regions: block-new-sharing, the account's own setting (us-east-1); unblocked, the account's own setting (eu-west-1)",
    });
    expect(rowOf(rows, open.id, "serial-console-disabled")).toMatchObject({ status: "NON_COMPLIANT" });
    // The management account: no policy on the root, nothing set.
    expect(rowOf(rows, org.managementAccountId, "s3-account-public-access-block")).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringMatching(/^no account-level Block Public Access configuration/),
    });
  });

  it("has every guardrail row for every account, SKIPPED for a suspended one", async () => {
    const rows = await guardrailRows();
    expect(rows).toHaveLength(6 * (org.accounts.length + 1));
    const suspended = org.accounts.find((a) => a.name === "open-02") as SeededAccount;
    const skipped = rows.filter((r) => r.accountId === suspended.id);
    expect(skipped.map((r) => r.status)).toEqual(Array(6).fill("SKIPPED"));
  });

  it("is not read by the default report", async () => {
    const res = await cli("report", "--regions", "us-east-1", "--output", "json", "--ou", ou("Root/Guarded"));
    expect(res.code, res.stderr).toBe(0);
    const rows = (JSON.parse(res.stdout) as { rows: ReportRow[] }).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.source === "guardrails")).toEqual([]);
  });
});

describe("the emulator's S3 organization policy", () => {
  it("keeps account administrators from changing the setting, and gives it back when detached", async () => {
    await expect(
      setAccountGuardrails(moto.endpoint, guarded.id, { s3BlockPublicAccess: false }),
    ).rejects.toMatchObject({ name: "AccessDenied" });
    const member = orgClient(moto.endpoint, await memberCredentials(moto.endpoint, guarded.id));
    const effective = await member.send(new DescribeEffectivePolicyCommand({ PolicyType: "S3_POLICY" }));
    expect(JSON.parse(effective.EffectivePolicy?.PolicyContent ?? "")).toEqual({
      s3_attributes: { public_access_block_configuration: "all" },
    });
    await expect(
      member.send(new DescribeEffectivePolicyCommand({ PolicyType: "S3_POLICY", TargetId: open.id })),
    ).rejects.toMatchObject({ name: "AccessDeniedException" });

    await orgClient(moto.endpoint).send(
      new DetachPolicyCommand({ PolicyId: s3Policy, TargetId: ou("Root/Guarded") }),
    );
    await expect(
      member.send(new DescribeEffectivePolicyCommand({ PolicyType: "S3_POLICY" })),
    ).rejects.toMatchObject({
      name: "EffectivePolicyNotFoundException",
    });
    const rows = await guardrailRows("--ou", ou("Root/Guarded"));
    expect(rowOf(rows, guarded.id, "s3-account-public-access-block")).toMatchObject({
      status: "NON_COMPLIANT",
      reason:
        "no account-level Block Public Access configuration, the account's own setting: no S3 organization policy applies",
    });
    // The EC2 declarative policy still holds the snapshot setting over the account's own (unblocked).
    expect(rowOf(rows, guarded.id, "ebs-snapshot-block-public-access").status).toBe("COMPLIANT");
  });

  it("credits the identity-perimeter RCP when S3 Block Public Access is off: the public is denied all the same", async () => {
    const applied = await cli(
      "apply-rcp",
      "--ou",
      ou("Root/Guarded"),
      "--policy",
      "identity-perimeter",
      "--yes",
    );
    expect(applied.code, applied.stderr).toBe(0);
    const rows = await guardrailRows("--ou", ou("Root/Guarded"));
    expect(rowOf(rows, guarded.id, "s3-account-public-access-block")).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining(
        "public access is blocked all the same by the identity-perimeter RCP (orgwarden-identity-perimeter",
      ),
    });
    // An account the RCP does not reach gets no such credit.
    const outside = await guardrailRows();
    expect(rowOf(outside, org.managementAccountId, "s3-account-public-access-block").reason).not.toContain(
      "identity-perimeter",
    );
  });
});
