import { DetachPolicyCommand } from "@aws-sdk/client-organizations";
import { orgClient } from "@orgwarden/emulator";
import { describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { attachScp, createScp as createScpIn } from "./support/foreign-scps.js";
import { byName, snapshotScps } from "./support/org-snapshot.js";

/**
 * SCPs that AWS services create and attach themselves, tagged ManagedBy=service-access (Control
 * Tower's aws-guardrails-*, Landing Zone Accelerator): counted against the per-target quota,
 * evaluated by the lockout guard, never updated, detached or deleted by orgwarden.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSManagedServiceAccessManagementAccess.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html (10 per target)
 */

const { moto, org, cli, ou } = useEmulatorOrg({
  ous: {
    Root: 0,
    "Root/Full": 1,
    "Root/Guarded": 1,
    "Root/Owned": 1,
    "Root/Listed": 0,
    "Root/Listed/Team": 1,
  },
});

const SERVICE_TAG = { Key: "ManagedBy", Value: "service-access" };

const createScp = (
  name: string,
  statement: Record<string, unknown>,
  tags: Array<{ Key: string; Value: string }> = [],
) => createScpIn(moto.endpoint, name, statement, tags);
const attach = (policyId: string, targetId: string) => attachScp(moto.endpoint, policyId, targetId);

const denyRunInstances = { Effect: "Deny", Action: "ec2:RunInstances", Resource: "*" };

describe("SCPs an AWS service manages (ManagedBy=service-access)", () => {
  it("count against the per-target quota, whose default is 10 since May 2026", async () => {
    const target = ou("Root/Full");
    // FullAWSAccess + 6 of the customer's + 1 of a service = 8; orgwarden's two default policies make 10.
    for (let i = 1; i <= 6; i++) await attach(await createScp(`customer-${i}`, denyRunInstances), target);
    await attach(await createScp("aws-guardrails-quota", denyRunInstances, [SERVICE_TAG]), target);
    const fits = await cli("apply-scp", "--ou", target, "--dry-run");
    expect(fits.code, fits.stderr).toBe(0);
    expect(fits.stdout).toContain("SCPs attached directly to the target: 8 now → 10 after (limit 10)");
    expect(fits.stdout).toContain("10 SCPs per target (AWS's documented default)");

    await attach(await createScp("aws-guardrails-quota-2", denyRunInstances, [SERVICE_TAG]), target);
    const before = await snapshotScps(moto.endpoint);
    const over = await cli("apply-scp", "--ou", target, "--yes");
    expect(over.code).toBe(2);
    expect(over.stderr).toContain("has 9 SCPs attached directly");
    expect(over.stderr).toContain("aws-guardrails-quota-2");
    expect(over.stderr).toContain("over the limit of 10 (AWS's documented default)");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("are evaluated by the lockout guard: one that denies orgwarden's own calls refuses the plan", async () => {
    const target = ou("Root/Guarded");
    await attach(
      await createScp(
        "aws-guardrails-config",
        { Sid: "GuardConfigRules", Effect: "Deny", Action: "config:PutConfigRule", Resource: "*" },
        [SERVICE_TAG],
      ),
      target,
    );
    const before = await snapshotScps(moto.endpoint);
    const res = await cli("apply-scp", "--ou", target, "--yes");
    expect(res.code).toBe(2);
    expect(res.stdout + res.stderr).toContain("aws-guardrails-config");
    expect(await snapshotScps(moto.endpoint)).toEqual(before);
  });

  it("are never detached, updated or deleted, even when named and tagged like orgwarden's", async () => {
    const target = ou("Root/Owned");
    const lookalike = await createScp("orgwarden-require-mfa-0123456789", denyRunInstances, [
      { Key: "managed-by", Value: "orgwarden" },
      SERVICE_TAG,
    ]);
    await attach(lookalike, target);
    const before = await snapshotScps(moto.endpoint);

    const named = await cli(
      "detach-scp",
      "--ou",
      target,
      "--policy",
      "orgwarden-require-mfa-0123456789",
      "--yes",
    );
    expect(named.code).toBe(2);
    expect(named.stderr).toContain("ManagedBy=service-access");
    expect(named.stderr).toContain("never updates, detaches or deletes it");

    const every = await cli("detach-scp", "--ou", target, "--yes");
    expect(every.code).not.toBe(1);
    expect(every.stdout + every.stderr).toContain("orgwarden-require-mfa-0123456789 (p-");
    expect(every.stdout + every.stderr).toContain(
      "is tagged ManagedBy=service-access (an AWS service's): left attached",
    );
    expect(await snapshotScps(moto.endpoint)).toEqual(before);

    // Attached nowhere, it is still not orgwarden's to delete.
    const client = orgClient(moto.endpoint);
    await client.send(new DetachPolicyCommand({ PolicyId: lookalike, TargetId: target }));
    client.destroy();
    const cleanup = await cli("detach-scp", "--delete-unused", "--yes");
    expect(cleanup.code).not.toBe(1);
    expect(byName(await snapshotScps(moto.endpoint), "orgwarden-require-mfa-0123456789")).toBeDefined();
  });

  it("scp status --ou lists every SCP on the OU's path, inherited ones marked, a service's as service-managed", async () => {
    const target = ou("Root/Listed/Team");
    await attach(await createScp("aws-guardrails-listed", denyRunInstances, [SERVICE_TAG]), target);
    const applied = await cli(
      "apply-scp",
      "--ou",
      "Root/Listed",
      "--policy",
      "deny-leave-organization",
      "--yes",
    );
    expect(applied.code, applied.stderr).toBe(0);
    const res = await cli("scp", "status", "--ou", "Root/Listed/Team", "--output", "json");
    expect(res.code, res.stderr).toBe(0);
    const rows = JSON.parse(res.stdout) as Array<{
      targetId: string;
      policyName: string;
      state: string;
      inherited: boolean;
    }>;
    const at = (name: string, targetId: string) =>
      rows.find((r) => r.policyName === name && r.targetId === targetId);
    expect(at("FullAWSAccess", org.rootId)).toMatchObject({ state: "other", inherited: true });
    expect(at("orgwarden-deny-leave-organization", ou("Root/Listed"))).toMatchObject({
      state: "in-sync",
      inherited: true,
    });
    expect(at("aws-guardrails-listed", target)).toMatchObject({ state: "service-managed", inherited: false });
    expect(at("FullAWSAccess", target)).toMatchObject({ state: "other", inherited: false });
    // Other OUs' policies are not on this path.
    expect(rows.some((r) => r.policyName.startsWith("customer-"))).toBe(false);

    const table = await cli("scp", "status", "--ou", "Root/Listed/Team", "--output", "table");
    expect(table.stdout).toMatch(
      /Root\/Listed \(ou-[a-z0-9-]+\) \[inherited\]\s+orgwarden-deny-leave-organization/,
    );
  });
});
