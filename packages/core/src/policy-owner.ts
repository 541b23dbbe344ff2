import { hasManagedTag, hasServiceManagedTag } from "./managed-names.js";

/**
 * Who owns an Organizations policy, decided once from what AWS says of it: its AwsManaged flag, its
 * name and its tags. orgwarden changes only its own; every other owner's policies are counted
 * against quotas and shown, never touched.
 *
 * - `aws-managed`: AWS's own full-access policies (FullAWSAccess, RCPFullAWSAccess), AwsManaged=true.
 * - `orgwarden`: tagged managed-by=orgwarden (managed-names.ts).
 * - `control-tower`: AWS Control Tower names the policies of its controls `aws-guardrails-…` (LZA's
 *   own environment check counts a guardrail by that prefix, validate-environment/index.ts).
 * - `landing-zone-accelerator`: LZA tags every policy it creates `<prefix>Managed=Yes` (the prefix
 *   is AWSAccelerator unless the installation set ACCELERATOR_PREFIX), and tells its own from
 *   others' by that tag; the names come from its configuration, so they prove nothing. A prefix of
 *   an installation's own is recognised when it keeps "Accelerator"; any other shows as `other`.
 *   awslabs/landing-zone-accelerator-on-aws, constructs/lib/aws-organizations/create-policy/index.ts
 * - `aws-service`: created and attached by an AWS service, tagged ManagedBy=service-access.
 * - `other`: anyone else (the console, Terraform, another tool).
 */
export type PolicyOwner =
  | "orgwarden"
  | "control-tower"
  | "landing-zone-accelerator"
  | "aws-service"
  | "aws-managed"
  | "other";

export const POLICY_OWNERS: readonly PolicyOwner[] = [
  "orgwarden",
  "control-tower",
  "landing-zone-accelerator",
  "aws-service",
  "aws-managed",
  "other",
];

/** Control Tower's prefix for the policies of its controls. */
export const CONTROL_TOWER_PREFIX = "aws-guardrails-";

/** The tag Landing Zone Accelerator puts on each policy it creates, with its default prefix. */
export const LZA_TAG = { Key: "AWSAcceleratorManaged", Value: "Yes" } as const;

export interface OwnedPolicy {
  name: string;
  awsManaged: boolean;
  tags: readonly { Key?: string; Value?: string }[];
}

export function policyOwner(policy: OwnedPolicy): PolicyOwner {
  if (policy.awsManaged) return "aws-managed";
  if (hasManagedTag(policy.tags)) return "orgwarden";
  // Control Tower's policies may carry the service tag too: the name says which service.
  if (policy.name.startsWith(CONTROL_TOWER_PREFIX)) return "control-tower";
  if (hasLzaTag(policy.tags)) return "landing-zone-accelerator";
  if (hasServiceManagedTag(policy.tags)) return "aws-service";
  return "other";
}

/**
 * LZA's `<prefix>Managed=Yes`: its default key, or an accelerator prefix of an installation's own
 * (`MyOrgAcceleratorManaged`). Any `…Managed=Yes` is not enough: `TerraformManaged=Yes` is not LZA's.
 */
function hasLzaTag(tags: OwnedPolicy["tags"]): boolean {
  return tags.some(
    (t) => t.Value === LZA_TAG.Value && /^[A-Za-z0-9-]*Accelerator[A-Za-z0-9-]*Managed$/.test(t.Key ?? ""),
  );
}
