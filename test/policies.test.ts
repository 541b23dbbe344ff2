import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListEffectivePolicyValidationErrorsCommand,
  type PolicyType,
} from "@aws-sdk/client-organizations";
import { orgClient, seedInvalidEffectivePolicy } from "@orgwarden/emulator";
import type { PolicyOverview, ReportRow } from "@orgwarden/report";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { runCli } from "./support/run-cli.js";

/**
 * `orgwarden policies` on the emulator: moto holds the SCPs and tag policies, the stand-in the S3
 * organization-level Block Public Access and GuardDuty policies moto lacks. Owners come from AWS's
 * flag, orgwarden's tag, Control Tower's name, Landing Zone Accelerator's tag and the service tag;
 * slots from the live quota, or the catalogue's default (S3_POLICY: 5, assumed, as AWS publishes none).
 */
const { moto, org, cli, ou } = useEmulatorOrg({
  ous: { Root: 0, "Root/Workloads": 2, "Root/Sandbox": 1, "Root/Sandbox/Lab": 1 },
});

const deny = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Deny", Action: "ec2:CreateDefaultVpc", Resource: "*" }],
};
const S3_BPA = { s3_attributes: { public_access_block_configuration: { "@@assign": "all" } } };

async function create(
  name: string,
  type: PolicyType,
  content: unknown,
  tags: Array<{ Key: string; Value: string }> = [],
) {
  const out = await orgClient(moto.endpoint).send(
    new CreatePolicyCommand({
      Name: name,
      Type: type,
      Description: name,
      Content: JSON.stringify(content),
      Tags: tags,
    }),
  );
  return out.Policy?.PolicySummary?.Id ?? "";
}
const attach = (policyId: string, targetId: string) =>
  orgClient(moto.endpoint).send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: targetId }));
const json = async (...args: string[]) => {
  const res = await cli("policies", "--output", "json", ...args);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as PolicyOverview & { scope: string };
};

let sandboxAccount: string;

beforeAll(async () => {
  const client = orgClient(moto.endpoint);
  for (const type of ["SERVICE_CONTROL_POLICY", "TAG_POLICY", "S3_POLICY"] as const)
    await client.send(new EnablePolicyTypeCommand({ RootId: org.rootId, PolicyType: type }));
  const workloads = ou("Root/Workloads");
  await attach(
    await create("orgwarden-require-mfa", "SERVICE_CONTROL_POLICY", deny, [
      { Key: "managed-by", Value: "orgwarden" },
    ]),
    workloads,
  );
  await attach(await create("aws-guardrails-Audit", "SERVICE_CONTROL_POLICY", deny), workloads);
  await attach(
    await create("AcceleratorGuardrails1", "SERVICE_CONTROL_POLICY", deny, [
      { Key: "AWSAcceleratorManaged", Value: "Yes" },
    ]),
    workloads,
  );
  await attach(
    await create("s3-guard", "SERVICE_CONTROL_POLICY", deny, [{ Key: "ManagedBy", Value: "service-access" }]),
    workloads,
  );
  await attach(await create("team-deny", "SERVICE_CONTROL_POLICY", deny), workloads);
  // S3 policies: 4 of 5 on Workloads (one slot left), 5 of 5 on Sandbox (full).
  for (let i = 1; i <= 5; i++) {
    const id = await create(`s3-bpa-${i}`, "S3_POLICY", S3_BPA);
    await attach(id, ou("Root/Sandbox"));
    if (i <= 4) await attach(id, workloads);
  }
  await attach(await create("cost-center", "TAG_POLICY", { tags: {} }), org.rootId);
  sandboxAccount = org.accounts.find((a) => a.ouPath === "Root/Sandbox")?.id ?? "";
  await seedInvalidEffectivePolicy(moto.endpoint, {
    accountId: sandboxAccount,
    policyType: "TAG_POLICY",
    errors: [
      {
        ErrorCode: "ELEMENTS_TOO_MANY",
        ErrorMessage: "too many tag keys",
        PathToError: "tags",
        ContributingPolicies: ["p-x"],
      },
    ],
  });
});

describe("orgwarden policies", () => {
  it("lists every type, enabled or not, and walks only the enabled ones", async () => {
    const overview = await json();
    expect(overview.types).toHaveLength(15);
    const byType = new Map(overview.types.map((t) => [t.type, t]));
    expect(byType.get("SERVICE_CONTROL_POLICY")).toMatchObject({
      status: "ENABLED",
      walked: true,
      policies: 6,
    });
    expect(byType.get("S3_POLICY")).toMatchObject({
      status: "ENABLED",
      walked: true,
      full: 1,
      near: 1,
      quota: { value: 5, source: "assumed" },
    });
    expect(byType.get("GUARDDUTY_POLICY")).toMatchObject({
      status: "NOT_ENABLED",
      walked: false,
      policies: 0,
    });
    expect(overview.targets.filter((t) => t.type === "GUARDDUTY_POLICY")).toEqual([]);
  });

  it("shows each attachment's owner and the slots left on each target", async () => {
    const overview = await json();
    const scps = overview.targets.find(
      (t) => t.targetId === ou("Root/Workloads") && t.type === "SERVICE_CONTROL_POLICY",
    );
    expect(Object.fromEntries(scps?.policies.map((p) => [p.name, p.owner]) ?? [])).toEqual({
      AcceleratorGuardrails1: "landing-zone-accelerator",
      "aws-guardrails-Audit": "control-tower",
      FullAWSAccess: "aws-managed",
      "orgwarden-require-mfa": "orgwarden",
      "s3-guard": "aws-service",
      "team-deny": "other",
    });
    expect(scps?.slots).toEqual({ attached: 6, quota: 10, left: 4, state: "ok" });
    const s3 = (id: string) =>
      overview.targets.find((t) => t.targetId === id && t.type === "S3_POLICY")?.slots;
    expect(s3(ou("Root/Workloads"))).toEqual({ attached: 4, quota: 5, left: 1, state: "near" });
    expect(s3(ou("Root/Sandbox"))).toEqual({ attached: 5, quota: 5, left: 0, state: "full" });
  });

  it("names the accounts whose effective policy is invalid, with the validation errors", async () => {
    const overview = await json();
    expect(overview.invalid).toEqual([
      expect.objectContaining({
        accountId: sandboxAccount,
        type: "TAG_POLICY",
        errors: [
          {
            code: "ELEMENTS_TOO_MANY",
            message: "too many tag keys",
            path: "tags",
            contributingPolicies: ["p-x"],
          },
        ],
      }),
    ]);
  });

  it("--type and --ou narrow it to those types and that OU's subtree", async () => {
    const overview = await json("--type", "s3", "--type", "TAG_POLICY,guardduty", "--ou", "Root/Sandbox");
    expect(overview.scope).toBe(ou("Root/Sandbox"));
    expect(overview.types.map((t) => t.type)).toEqual(["S3_POLICY", "TAG_POLICY", "GUARDDUTY_POLICY"]);
    expect(new Set(overview.targets.map((t) => t.targetId))).toEqual(new Set([ou("Root/Sandbox")]));
    expect(overview.invalid.map((i) => i.accountId)).toEqual([sandboxAccount]);
  });

  it("prints a table with the types, the targets and the invalid accounts", async () => {
    const res = await cli("policies", "--output", "table");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/S3 BPA \(S3_POLICY\)\s+enabled\s+5\s+9\s+5 \(assumed\)\s+1\s+1/);
    expect(res.stdout).toMatch(/GuardDuty \(GUARDDUTY_POLICY\)\s+not enabled\s+-/);
    expect(res.stdout).toMatch(/Root\/Sandbox \(ou-\S+\)\s+S3 BPA\s+5 of 5\s+0 \(full\)/);
    expect(res.stdout).toContain("aws-guardrails-Audit (control-tower)");
    expect(res.stdout).toMatch(/ELEMENTS_TOO_MANY at tags: too many tag keys/);
    // Targets that hold only FullAWSAccess with room are counted, not listed.
    expect(res.stdout).not.toMatch(/Root\/Workloads\/workloads-01 \(/);
    expect(res.stdout).toMatch(/\d+ more targets hold only AWS's full-access policy/);
    expect(res.stdout).toContain(
      "15 policy types: 3 enabled, 12 not enabled; 1 target full, 1 one slot from full; 1 account with an invalid effective policy",
    );
  });

  it("writes CSV: a row per target and type, a type not enabled at the root, the invalid account", async () => {
    const res = await cli("policies", "--output", "csv", "--type", "s3,tag,guardduty");
    expect(res.code, res.stderr).toBe(0);
    const rows = parse(res.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "target_id",
      "target_kind",
      "target_path",
      "policy_type",
      "type_status",
      "attached",
      "quota",
      "quota_source",
      "slots_left",
      "state",
      "policies",
      "invalid_effective_policy",
      "error",
    ]);
    expect(rows).toContainEqual(
      expect.objectContaining({
        target_id: org.rootId,
        policy_type: "GUARDDUTY_POLICY",
        type_status: "NOT_ENABLED",
        state: "not-enabled",
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        target_path: "Root/Sandbox",
        policy_type: "S3_POLICY",
        attached: "5",
        slots_left: "0",
        state: "full",
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        target_id: sandboxAccount,
        policy_type: "TAG_POLICY",
        invalid_effective_policy: expect.stringContaining("ELEMENTS_TOO_MANY"),
      }),
    );
  });

  it("an unknown OU or type exits 2 and says what exists; nothing is printed", async () => {
    const ouRes = await cli("policies", "--ou", "ou-zzzz-zzzzzzzz");
    expect(ouRes.code).toBe(2);
    expect(ouRes.stdout).toBe("");
    expect(ouRes.stderr).toContain("ou-zzzz-zzzzzzzz");
    expect(ouRes.stderr).toContain("hint:");
    const typeRes = await cli("policies", "--type", "firewall");
    expect(typeRes.code).toBe(2);
    expect(typeRes.stderr).toContain('"firewall" is not an AWS Organizations policy type');
  });

  it("an Organizations endpoint that cannot be reached exits 1 and names it", async () => {
    const res = await runCli(["policies", "--endpoint-url", "http://127.0.0.1:9", "--max-attempts", "1"]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cannot reach \w+ at http:\/\/127\.0\.0\.1:9/);
  });

  it("report --source policies: policy-slots at or near a quota, effective-policy-valid per account", async () => {
    const res = await cli("report", "--source", "policies", "--output", "json");
    expect(res.code, res.stderr).toBe(0);
    const rows = (JSON.parse(res.stdout) as { rows: ReportRow[] }).rows;
    expect(rows.every((r) => r.source === "policies")).toBe(true);
    const slots = rows.filter((r) => r.control === "policy-slots");
    expect(slots.map((r) => [r.accountId, r.resourceId, r.status])).toEqual(
      expect.arrayContaining([
        [org.managementAccountId, ou("Root/Sandbox"), "NON_COMPLIANT"],
        [org.managementAccountId, ou("Root/Workloads"), "COMPLIANT"],
      ]),
    );
    expect(slots).toHaveLength(2);
    const effective = rows.filter((r) => r.control === "effective-policy-valid");
    expect(effective).toHaveLength(org.accounts.length + 1);
    expect(effective.find((r) => r.accountId === sandboxAccount)).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("TAG_POLICY: ELEMENTS_TOO_MANY at tags"),
    });
    expect(effective.filter((r) => r.status === "COMPLIANT")).toHaveLength(org.accounts.length);
  });
});

describe("the emulator's stand-in for the policy types moto lacks", () => {
  it("answers with AWS's errors: type not enabled, attachment limit, no effective policy", async () => {
    const client = orgClient(moto.endpoint);
    const guardduty = await create("gd", "GUARDDUTY_POLICY", { guardduty: {} });
    await expect(attach(guardduty, org.rootId)).rejects.toMatchObject({
      name: "PolicyTypeNotEnabledException",
    });
    const sixth = await create("s3-bpa-6", "S3_POLICY", S3_BPA);
    await expect(attach(sixth, ou("Root/Sandbox"))).rejects.toMatchObject({
      name: "ConstraintViolationException",
      Reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
    });
    await expect(
      client.send(
        new ListEffectivePolicyValidationErrorsCommand({
          AccountId: sandboxAccount,
          PolicyType: "GUARDDUTY_POLICY",
        }),
      ),
    ).rejects.toMatchObject({ name: "EffectivePolicyNotFoundException" });
  });
});
