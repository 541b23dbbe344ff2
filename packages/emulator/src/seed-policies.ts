import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  type PolicyType,
} from "@aws-sdk/client-organizations";
import { LZA_TAG, SERVICE_MANAGED_TAG } from "@orgwarden/core";
import { EFFECTIVE_POLICY_ERRORS_PATH, type EffectivePolicyErrorSeed } from "./effective-policies-standin.js";
import { orgClient, type SeededOrg } from "./seed-organization.js";

/** One policy to create and attach, through the SDK as the management account. */
export interface PolicySeed {
  name: string;
  type: PolicyType;
  content: unknown;
  tags?: Array<{ Key: string; Value: string }>;
  /** OU paths ("Root", "Root/Workloads") or account ids. */
  attachTo: string[];
}

/** Enables the policy types (moto's or the stand-in's), then creates and attaches each policy. */
export async function seedPolicies(
  endpoint: string,
  org: SeededOrg,
  types: readonly PolicyType[],
  policies: readonly PolicySeed[],
): Promise<Record<string, string>> {
  const client = orgClient(endpoint);
  for (const type of types)
    await client.send(new EnablePolicyTypeCommand({ RootId: org.rootId, PolicyType: type }));
  const ids: Record<string, string> = {};
  for (const p of policies) {
    const created = await client.send(
      new CreatePolicyCommand({
        Name: p.name,
        Type: p.type,
        Description: `${p.name} (seeded)`,
        Content: JSON.stringify(p.content),
        ...(p.tags ? { Tags: p.tags } : {}),
      }),
    );
    const id = created.Policy?.PolicySummary?.Id ?? "";
    ids[p.name] = id;
    for (const target of p.attachTo)
      await client.send(new AttachPolicyCommand({ PolicyId: id, TargetId: org.ouIds[target] ?? target }));
  }
  return ids;
}

/** Makes an account's effective policy of a type invalid, with these validation errors. */
export async function seedInvalidEffectivePolicy(
  endpoint: string,
  seed: EffectivePolicyErrorSeed,
): Promise<void> {
  const res = await fetch(`${endpoint}${EFFECTIVE_POLICY_ERRORS_PATH}`, {
    method: "PUT",
    body: JSON.stringify(seed),
  });
  if (!res.ok) throw new Error(`seeding an invalid effective policy failed: ${res.status}`);
}

const deny = (sid: string, action: string, resource = "*") => ({
  Version: "2012-10-17",
  Statement: [{ Sid: sid, Effect: "Deny", Action: action, Resource: resource }],
});

/**
 * The demo's policies beside orgwarden's own, so `orgwarden policies` has every owner to show: a
 * Control Tower guardrail, a Landing Zone Accelerator SCP, one an AWS service attached, a tag
 * policy, a backup policy, organization-level S3 Block Public Access, a declarative EC2 policy, and
 * one account whose effective tag policy is invalid. The SCPs sit on Security and Sandbox, away from
 * Workloads where the demo's job enforces its own, and deny only what no orgwarden probe asks.
 */
export async function seedDemoPolicies(endpoint: string, org: SeededOrg): Promise<void> {
  const ids = await seedPolicies(
    endpoint,
    org,
    ["TAG_POLICY", "BACKUP_POLICY", "S3_POLICY", "DECLARATIVE_POLICY_EC2"],
    [
      {
        name: "aws-guardrails-DemoAuditBucket",
        type: "SERVICE_CONTROL_POLICY",
        content: deny("GRAUDITBUCKETDELETIONPROHIBITED", "s3:DeleteBucket", "arn:aws:s3:::aws-controltower*"),
        attachTo: ["Root/Security"],
      },
      {
        name: "AcceleratorGuardrails1",
        type: "SERVICE_CONTROL_POLICY",
        content: deny("DenyDefaultVpc", "ec2:CreateDefaultVpc"),
        tags: [{ ...LZA_TAG }],
        attachTo: ["Root/Sandbox"],
      },
      {
        name: "s3-account-public-access-guard",
        type: "SERVICE_CONTROL_POLICY",
        content: deny("KeepAccountBlockPublicAccess", "s3:PutAccountPublicAccessBlock"),
        tags: [{ ...SERVICE_MANAGED_TAG }],
        attachTo: ["Root/Sandbox"],
      },
      {
        name: "cost-center-tags",
        type: "TAG_POLICY",
        content: { tags: { CostCenter: { tag_key: { "@@assign": "CostCenter" } } } },
        attachTo: ["Root"],
      },
      {
        name: "daily-backups",
        type: "BACKUP_POLICY",
        content: {
          plans: {
            daily: {
              regions: { "@@assign": ["us-east-1"] },
              rules: { daily: { schedule_expression: { "@@assign": "cron(0 5 ? * * *)" } } },
            },
          },
        },
        attachTo: ["Root/Workloads/Prod"],
      },
      {
        name: "s3-block-public-access",
        type: "S3_POLICY",
        content: { s3_attributes: { public_access_block_configuration: { "@@assign": "all" } } },
        attachTo: ["Root"],
      },
      {
        name: "ec2-image-block-public-access",
        type: "DECLARATIVE_POLICY_EC2",
        content: {
          ec2_attributes: { image_block_public_access: { state: { "@@assign": "block_new_sharing" } } },
        },
        attachTo: ["Root/Workloads"],
      },
    ],
  );
  const sandbox = org.accounts.find((a) => a.name === "sandbox-01");
  if (sandbox)
    await seedInvalidEffectivePolicy(endpoint, {
      accountId: sandbox.id,
      policyType: "TAG_POLICY",
      errors: [
        {
          ErrorCode: "ELEMENTS_TOO_MANY",
          ErrorMessage: "The effective policy has more tag keys than the tag policy type allows",
          PathToError: "tags",
          ContributingPolicies: [ids["cost-center-tags"] ?? ""],
        },
      ],
    });
}
