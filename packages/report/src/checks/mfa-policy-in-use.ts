import { GetPolicyCommand, paginateListEntitiesForPolicy } from "@aws-sdk/client-iam";
import { collectPages, isAwsError } from "@orgwarden/core";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";
import type { AuthorizationDetails } from "./authorization-details.js";

/** Where a policy is attached, as the account's users and groups show it. */
export interface PolicyUse {
  users: string[];
  /** Groups with the policy attached and at least one user. */
  groupsWithMembers: string[];
  /** Groups with the policy attached and no user. */
  emptyGroups: string[];
}

/** What GetPolicy (and, when attached, the roles of ListEntitiesForPolicy) said, when users and groups did not settle it. */
export type PolicyRecord = { exists: false } | { exists: true; attachments: number; roles: string[] };

/**
 * The users and groups the policy `arn` is attached to, from GetAccountAuthorizationDetails: a
 * group counts as used when some user's GroupList names it.
 */
export function policyUse(arn: string, details: AuthorizationDetails): PolicyUse {
  const attached = (list: ReadonlyArray<{ PolicyArn?: string | undefined }> | undefined) =>
    (list ?? []).some((p) => p.PolicyArn === arn);
  const members = new Set(details.users.flatMap((u) => u.GroupList ?? []));
  const groups = details.groups
    .filter((g) => attached(g.AttachedManagedPolicies))
    .map((g) => g.GroupName ?? "");
  return {
    users: details.users.filter((u) => attached(u.AttachedManagedPolicies)).map((u) => u.UserName ?? ""),
    groupsWithMembers: groups.filter((g) => members.has(g)),
    emptyGroups: groups.filter((g) => !members.has(g)),
  };
}

/**
 * What the users and groups alone settle: COMPLIANT when a user, or a group with a user, has the
 * policy; undefined when only GetPolicy can tell (absent, attached to nothing, to a role, or only to
 * empty groups).
 */
export function settledByUse(use: PolicyUse): Pick<ControlOutcome, "status" | "reason"> | undefined {
  if (use.users.length > 0) {
    return { status: "COMPLIANT", reason: `attached to ${use.users.map((u) => `user ${u}`).join(", ")}` };
  }
  const group = use.groupsWithMembers[0];
  return group ? { status: "COMPLIANT", reason: `attached to group ${group}` } : undefined;
}

/**
 * mfa-policy-in-use as AWS Config's IAM_POLICY_IN_USE reads it: the policy is attached to a user,
 * a role, or a group with at least one user. `use` (users and groups) settles most accounts with
 * no call of its own; `record` is GetPolicy's answer, for the others.
 * https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-in-use.html
 */
export function judgeMfaPolicyInUse(
  policyName: string,
  use: PolicyUse,
  record: PolicyRecord,
): Pick<ControlOutcome, "status" | "reason"> {
  const settled = settledByUse(use);
  if (settled) return settled;
  if (!record.exists) {
    return { status: "NON_COMPLIANT", reason: `policy ${policyName} does not exist in this account` };
  }
  if (record.attachments === 0) {
    return { status: "NON_COMPLIANT", reason: `policy ${policyName} is attached to nothing` };
  }
  if (record.roles.length > 0) {
    return { status: "COMPLIANT", reason: `attached to ${record.roles.map((r) => `role ${r}`).join(", ")}` };
  }
  return {
    status: "NON_COMPLIANT",
    reason:
      use.emptyGroups.length > 0
        ? `attached only to empty group(s): ${use.emptyGroups.join(" ")}`
        : "attached to nothing",
  };
}

/**
 * mfa-policy-in-use: the MFA policy exists in the account and is attached to a user, a role, or a
 * group with at least one user. The account's users and groups (read once for the account) answer
 * when a user or a group with members has it; otherwise GetPolicy's AttachmentCount tells "absent"
 * from "attached to nothing", and only an attached policy has its roles listed.
 */
export async function checkMfaPolicyInUse(ctx: CheckContext): Promise<ControlOutcome[]> {
  const s = ctx.settings;
  const arn = `arn:${s.partition}:iam::${s.accountId}:policy/${s.mfaPolicyName}`;
  const base = { control: "mfa-policy-in-use" as const, resourceType: "AWS::IAM::Policy", resourceId: arn };
  const use = policyUse(arn, await ctx.authorizationDetails());
  const outcome =
    settledByUse(use) ?? judgeMfaPolicyInUse(s.mfaPolicyName, use, await readPolicyRecord(ctx, arn));
  return [{ ...base, ...outcome }];
}

async function readPolicyRecord(ctx: CheckContext, arn: string): Promise<PolicyRecord> {
  const iam = ctx.clients.iam;
  let attachments: number;
  try {
    attachments = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount ?? 0;
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) return { exists: false };
    throw err;
  }
  if (attachments === 0) return { exists: true, attachments, roles: [] };
  const roles = await collectPages(
    paginateListEntitiesForPolicy({ client: iam, pageSize: 1000 }, { PolicyArn: arn, EntityFilter: "Role" }),
    (p) => (p.PolicyRoles ?? []).map((r) => r.RoleName ?? ""),
  );
  return { exists: true, attachments, roles };
}
