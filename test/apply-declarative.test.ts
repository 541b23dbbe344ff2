import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  ListRootsCommand,
  UpdatePolicyCommand,
} from "@aws-sdk/client-organizations";
import { planDocumentSchema } from "@orgwarden/cli";
import { orgClient } from "@orgwarden/emulator";
import type { ReportRow } from "@orgwarden/report";
import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { type PolicySnapshot, snapshotPolicies } from "./support/org-snapshot.js";

/**
 * apply-s3-policy / apply-ec2-policy, their detach commands and `status`, on the emulator (its
 * stand-in holds the two types moto lacks): the same plan → confirm → apply as apply-rcp.
 */
const { moto, org, cli, ou } = useEmulatorOrg({
  ous: { Root: 0, "Root/Workloads": 2, "Root/Workloads/Prod": 1, "Root/Sandbox": 1 },
});

type Type = "S3_POLICY" | "DECLARATIVE_POLICY_EC2";

/** The type's status at the root and every policy of it with its content, tags and targets. */
async function snapshot(type: Type): Promise<{ status: string | undefined; policies: PolicySnapshot[] }> {
  const client = orgClient(moto.endpoint);
  const roots = await client.send(new ListRootsCommand({}));
  client.destroy();
  const status = roots.Roots?.[0]?.PolicyTypes?.find((t) => t.Type === type)?.Status;
  return { status, policies: await snapshotPolicies(moto.endpoint, type) };
}

const EC2_FLAGS = (
  "--imds-http-tokens required --image-block-public-access block-new-sharing --snapshot-block-public-access " +
  "block-all-sharing --serial-console disabled --vpc-block-public-access block-ingress"
).split(" ");

describe("orgwarden apply-s3-policy / detach-s3-policy / s3-policy status", () => {
  it("--dry-run plans the enable step first, says whom the policy reaches, and changes nothing", async () => {
    const before = await snapshot("S3_POLICY");
    expect(before.status).toBeUndefined();
    const res = await cli(
      "apply-s3-policy",
      "--ou",
      ou("Root/Workloads"),
      "--block-public-access",
      "all",
      "--dry-run",
    );
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const lines = res.stdout.split("\n");
    const enable = lines.findIndex((l) => l.includes("+ enable the S3_POLICY type on the root"));
    const create = lines.findIndex((l) => /\+ create orgwarden-s3-bpa-[0-9a-f]{10} /.test(l));
    expect(enable).toBeGreaterThan(-1);
    expect(enable).toBeLessThan(create);
    expect(res.stdout).toContain("Plan: apply S3 policies to OU Root/Workloads");
    expect(res.stdout).toContain("the management account included, whoever calls (service-linked roles too)");
    expect(res.stdout).toContain("enabling the S3_POLICY type attaches nothing");
    expect(res.stdout).toMatch(
      /Quotas used: 5 S3 policies per target \(orgwarden's default: AWS publishes no figure\)/,
    );
    expect(res.stdout).toContain("sets public_access_block_configuration to all: S3 Block Public Access");
    // No lockout guard or IAM validation: they judge IAM policy documents.
    expect(res.stdout).not.toContain("Lockout check");
    expect(res.stdout).toContain("Dry run: nothing was changed.");
    expect(await snapshot("S3_POLICY")).toEqual(before);
  });

  it("applies: enables the type, creates the tagged variant and attaches it; a re-run changes nothing", async () => {
    const res = await cli(
      "apply-s3-policy",
      "--ou",
      ou("Root/Workloads"),
      "--block-public-access",
      "ALL",
      "--yes",
    );
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("Done: apply 3 changes to OU Root/Workloads");
    const after = await snapshot("S3_POLICY");
    expect(after.status).toBe("ENABLED");
    expect(after.policies).toHaveLength(1);
    const [p] = after.policies as [PolicySnapshot];
    expect(p.name).toMatch(/^orgwarden-s3-bpa-[0-9a-f]{10}$/);
    expect(p.content).toBe('{"s3_attributes":{"public_access_block_configuration":{"@@assign":"all"}}}');
    expect(p.tags).toMatchObject({ "managed-by": "orgwarden", "orgwarden:policy": "s3-bpa" });
    expect(p.targets).toEqual([ou("Root/Workloads")]);
    // What `s3-policy show` renders is what was written.
    const shown = await cli("s3-policy", "show", "--block-public-access", "all", "--minified");
    expect(shown.stdout.trim()).toBe(p.content);

    const again = await cli(
      "apply-s3-policy",
      "--ou",
      ou("Root/Workloads"),
      "--block-public-access",
      "all",
      "--yes",
    );
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("enable the S3_POLICY type");
    expect(again.stdout).toContain(`= ${p.name}: nothing to do`);
    expect(again.stdout).toContain("Nothing to do.");
    expect(await snapshot("S3_POLICY")).toEqual(after);
  });

  it("another parameter set attaches its own variant and detaches the old one, in that order", async () => {
    const old = (await snapshot("S3_POLICY")).policies[0] as PolicySnapshot;
    const res = await cli(
      "apply-s3-policy",
      "--ou",
      ou("Root/Workloads"),
      "--block-public-access",
      "none",
      "--yes",
      "--output",
      "json",
    );
    expect(res.code, res.stderr).toBe(0);
    const doc = planDocumentSchema.parse(JSON.parse(res.stdout));
    expect(doc.command).toBe("apply-s3-policy");
    expect(doc.result).toMatchObject({ applied: true, why: "applied" });
    const kinds = doc.steps.map((s) => s.kind);
    expect(kinds).toEqual(["create-policy", "attach-policy", "detach-policy"]);
    expect(doc.steps[2]).toMatchObject({ policy: old.name, policyId: old.id });
    const after = await snapshot("S3_POLICY");
    expect(after.policies.find((p) => p.id === old.id)?.targets).toEqual([]);
    const now = after.policies.find((p) => p.id !== old.id) as PolicySnapshot;
    expect(now.content).toContain('"@@assign":"none"');
    expect(now.targets).toEqual([ou("Root/Workloads")]);
  });

  it("status shows the attachment in sync, and drift once the policy is edited outside orgwarden (exit 4); apply repairs it", async () => {
    const ok = await cli("s3-policy", "status", "--output", "json");
    expect(ok.code, ok.stderr).toBe(0);
    const rows = JSON.parse(ok.stdout) as Array<{
      policyName: string;
      policyId: string;
      state: string;
      parameters: string;
    }>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: "in-sync", parameters: "BlockPublicAccess=none" });
    const client = orgClient(moto.endpoint);
    await client.send(
      new UpdatePolicyCommand({
        PolicyId: rows[0]?.policyId,
        Content: JSON.stringify({
          s3_attributes: { public_access_block_configuration: { "@@assign": "all" } },
        }),
      }),
    );
    client.destroy();
    const drifted = await cli("s3-policy", "status", "--ou", ou("Root/Workloads"), "--output", "csv");
    expect(drifted.code).toBe(4);
    expect(drifted.stdout).toMatch(
      /,drifted,BlockPublicAccess=none,"the attached content is not what these parameters render/,
    );
    const repaired = await cli(
      "apply-s3-policy",
      "--ou",
      ou("Root/Workloads"),
      "--block-public-access",
      "none",
      "--yes",
    );
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toContain(`~ update ${rows[0]?.policyName} (${rows[0]?.policyId})`);
    expect((await cli("s3-policy", "status")).code).toBe(0);
  });

  it("refuses an unknown OU, a value AWS does not allow and an unknown flag with exit 2, writing nothing", async () => {
    const before = await snapshot("S3_POLICY");
    const unknown = await cli(
      "apply-s3-policy",
      "--ou",
      "ou-zzzz-99999999",
      "--block-public-access",
      "all",
      "--yes",
      "--output",
      "json",
    );
    expect(unknown.code).toBe(2);
    const doc = planDocumentSchema.parse(JSON.parse(unknown.stdout));
    expect(doc).toMatchObject({ command: "apply-s3-policy", result: { applied: false, why: "refused" } });
    expect(doc.result.refusal?.message).toContain("ou-zzzz-99999999");
    const bad = await cli(
      "apply-s3-policy",
      "--ou",
      ou("Root/Sandbox"),
      "--block-public-access",
      "some",
      "--yes",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--block-public-access: "some" is not a value AWS allows');
    const none = await cli("apply-s3-policy", "--ou", ou("Root/Sandbox"), "--yes");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--block-public-access is needed");
    expect(await snapshot("S3_POLICY")).toEqual(before);
  });

  it("refuses a target whose S3 policies are at the quota (exit 2, QUOTA_EXCEEDED), writing nothing", async () => {
    const client = orgClient(moto.endpoint);
    for (let i = 1; i <= 5; i++) {
      const out = await client.send(
        new CreatePolicyCommand({
          Name: `team-s3-${i}`,
          Type: "S3_POLICY",
          Description: "someone else's",
          Content: JSON.stringify({ s3_attributes: {} }),
        }),
      );
      await client.send(
        new AttachPolicyCommand({ PolicyId: out.Policy?.PolicySummary?.Id, TargetId: ou("Root/Sandbox") }),
      );
    }
    client.destroy();
    const before = await snapshot("S3_POLICY");
    const res = await cli(
      "apply-s3-policy",
      "--ou",
      ou("Root/Sandbox"),
      "--block-public-access",
      "all",
      "--yes",
      "--output",
      "json",
    );
    expect(res.code).toBe(2);
    const doc = planDocumentSchema.parse(JSON.parse(res.stdout));
    expect(doc.result.refusal?.code).toBe("QUOTA_EXCEEDED");
    expect(doc.result.refusal?.message).toMatch(
      /has 5 S3 policies attached directly .* over the limit of 5 \(orgwarden's default: AWS publishes no figure\)/,
    );
    expect(await snapshot("S3_POLICY")).toEqual(before);
  });

  it("detach-s3-policy detaches and deletes orgwarden's only, and leaves the type enabled", async () => {
    const res = await cli("detach-s3-policy", "--ou", ou("Root/Workloads"), "--delete-unused", "--yes");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/- detach orgwarden-s3-bpa-[0-9a-f]{10}/);
    expect(res.stdout).toContain("its own S3 Block Public Access settings come back");
    const after = await snapshot("S3_POLICY");
    expect(after.status).toBe("ENABLED");
    expect(after.policies.map((p) => p.name)).toEqual([
      "team-s3-1",
      "team-s3-2",
      "team-s3-3",
      "team-s3-4",
      "team-s3-5",
    ]);
  });
});

describe("orgwarden apply-ec2-policy / ec2-policy status", () => {
  it("applies to an OU and to the management account itself; the guardrails report credits the policy", async () => {
    const res = await cli("apply-ec2-policy", "--ou", ou("Root/Workloads"), ...EC2_FLAGS, "--yes");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("+ enable the DECLARATIVE_POLICY_EC2 type on the root");
    expect(res.stdout).toContain(
      "sets vpc_block_public_access.internet_gateway_block.exclusions_allowed to disabled",
    );
    expect(res.stdout).toContain("sets instance_metadata_defaults.http_tokens to required");
    const mgmt = await cli(
      "apply-ec2-policy",
      "--ou",
      org.managementAccountId,
      "--serial-console",
      "disabled",
      "--dry-run",
    );
    expect(mgmt.code, mgmt.stderr).toBe(0);
    expect(mgmt.stdout).toContain(
      `the management account ${org.managementAccountId} is under the target: unlike SCPs and RCPs, EC2 declarative policies apply to it too`,
    );
    const snap = await snapshot("DECLARATIVE_POLICY_EC2");
    expect(snap.policies).toHaveLength(1);
    expect(snap.policies[0]?.targets).toEqual([ou("Root/Workloads")]);

    const report = await cli(
      "report",
      "--source",
      "guardrails",
      "--regions",
      "us-east-1",
      "--output",
      "json",
    );
    expect(report.code, report.stderr).toBe(0);
    const rows = (JSON.parse(report.stdout) as { rows: ReportRow[] }).rows;
    const prod = org.accounts.find((a) => a.ouPath === "Root/Workloads/Prod")?.id;
    const imds = rows.find((r) => r.accountId === prod && r.control === "imdsv2-default");
    expect(imds?.status).toBe("COMPLIANT");
    expect(imds?.reason).toContain("enforced by the EC2 declarative policy");
    const sandbox = org.accounts.find((a) => a.ouPath === "Root/Sandbox")?.id;
    expect(rows.find((r) => r.accountId === sandbox && r.control === "imdsv2-default")?.status).toBe(
      "NON_COMPLIANT",
    );
  });

  it("status is in sync, a re-run plans nothing, and a bad value is refused naming the flag", async () => {
    const status = await cli("ec2-policy", "status", "--output", "json");
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as Array<{ state: string }>).map((r) => r.state)).toEqual(["in-sync"]);
    const before = await snapshot("DECLARATIVE_POLICY_EC2");
    const again = await cli("apply-ec2-policy", "--ou", ou("Root/Workloads"), ...EC2_FLAGS, "--yes");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Nothing to do.");
    const bad = await cli(
      "apply-ec2-policy",
      "--ou",
      ou("Root/Workloads"),
      "--snapshot-block-public-access",
      "private",
      "--yes",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("block-all-sharing, block-new-sharing, unblocked");
    expect(await snapshot("DECLARATIVE_POLICY_EC2")).toEqual(before);
  });
});
