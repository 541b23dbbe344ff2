/**
 * The names and the tag by which orgwarden knows what it made: every SCP and Config rule it creates
 * is named `orgwarden-…` and tagged `managed-by=orgwarden`, and it only changes or deletes what
 * carries both. The IAM policies of the scheduled template condition orgwarden's SCP writes on the
 * same tag, so the tag it writes and the tag it is allowed to touch are one constant.
 */
export const MANAGED_PREFIX = "orgwarden-";

/** The tag on every SCP and Config rule orgwarden makes. */
export const MANAGED_TAG = { Key: "managed-by", Value: "orgwarden" } as const;

/** True when a resource's tags (any SDK's `{ Key, Value }` shape) carry orgwarden's tag. */
export function hasManagedTag(tags: readonly { Key?: string; Value?: string }[] | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === MANAGED_TAG.Key && t.Value === MANAGED_TAG.Value);
}

/**
 * The IAM policy that requires MFA, which `iam-policy-in-use` checks is attached and
 * `deploy-rules --ensure-iam-policy` creates: the name AWS's tutorial gives it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_users-self-manage-mfa-and-creds.html
 */
export const DEFAULT_MFA_POLICY_NAME = "BlockAllAccessUnlessSignedInWithMFA";

/** An IAM policy name: 1–128 of letters, digits and `+=,.@_-` (IAM API reference, CreatePolicy). */
export const IAM_POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export function isIamPolicyName(name: string): boolean {
  return IAM_POLICY_NAME.test(name);
}

/**
 * The tag AWS services put on the SCPs they create and attach themselves (Control Tower, Landing Zone
 * Accelerator and other services through `AWSManagedServiceAccessManagementAccess`): such a policy
 * counts against the per-target quota and is evaluated like any other, but orgwarden never detaches,
 * updates or deletes it, whatever its name or other tags say.
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSManagedServiceAccessManagementAccess.html
 */
export const SERVICE_MANAGED_TAG = { Key: "ManagedBy", Value: "service-access" } as const;

/** True when a resource's tags carry the tag of an SCP an AWS service manages. */
export function hasServiceManagedTag(tags: readonly { Key?: string; Value?: string }[] | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === SERVICE_MANAGED_TAG.Key && t.Value === SERVICE_MANAGED_TAG.Value);
}
