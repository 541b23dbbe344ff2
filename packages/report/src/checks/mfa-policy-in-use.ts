import { GetGroupCommand, GetPolicyCommand, paginateListEntitiesForPolicy } from "@aws-sdk/client-iam";
import { collectPages, isAwsError } from "@orgwarden/core";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";

/**
 * mfa-policy-in-use: the MFA policy exists in the account and is attached to a user, a role, or a
 * group with at least one user.
 */
export async function checkMfaPolicyInUse(ctx: CheckContext): Promise<ControlOutcome[]> {
  const iam = ctx.clients.iam;
  const s = ctx.settings;
  const arn = `arn:${s.partition}:iam::${s.accountId}:policy/${s.mfaPolicyName}`;
  const base = { control: "mfa-policy-in-use" as const, resourceType: "AWS::IAM::Policy", resourceId: arn };
  // GetPolicy first: its AttachmentCount settles "absent" and "attached to nothing" in one call,
  // the common findings; only an attached policy needs the list of entities.
  let attachments: number;
  try {
    attachments = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount ?? 0;
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) {
      return [
        {
          ...base,
          status: "NON_COMPLIANT",
          reason: `policy ${s.mfaPolicyName} does not exist in this account`,
        },
      ];
    }
    throw err;
  }
  if (attachments === 0) {
    return [{ ...base, status: "NON_COMPLIANT", reason: `policy ${s.mfaPolicyName} is attached to nothing` }];
  }
  const pages = await collectPages(
    paginateListEntitiesForPolicy({ client: iam, pageSize: 1000 }, { PolicyArn: arn }),
    (p) => [
      {
        users: (p.PolicyUsers ?? []).map((u) => u.UserName ?? ""),
        groups: (p.PolicyGroups ?? []).map((g) => g.GroupName ?? ""),
        roles: (p.PolicyRoles ?? []).map((r) => r.RoleName ?? ""),
      },
    ],
  );
  const users = pages.flatMap((p) => p.users);
  const groups = pages.flatMap((p) => p.groups);
  const roles = pages.flatMap((p) => p.roles);
  if (users.length > 0 || roles.length > 0) {
    const names = [...users.map((u) => `user ${u}`), ...roles.map((r) => `role ${r}`)];
    return [{ ...base, status: "COMPLIANT", reason: `attached to ${names.join(", ")}` }];
  }
  // Like IAM_POLICY_IN_USE: a group counts only when it has at least one user.
  for (const group of groups) {
    const g = await iam.send(new GetGroupCommand({ GroupName: group, MaxItems: 1 }));
    if ((g.Users ?? []).length > 0)
      return [{ ...base, status: "COMPLIANT", reason: `attached to group ${group}` }];
  }
  return [
    {
      ...base,
      status: "NON_COMPLIANT",
      reason:
        groups.length > 0 ? `attached only to empty group(s): ${groups.join(" ")}` : "attached to nothing",
    },
  ];
}
