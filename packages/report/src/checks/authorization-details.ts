import {
  type GroupDetail,
  type IAMClient,
  paginateGetAccountAuthorizationDetails,
  type UserDetail,
} from "@aws-sdk/client-iam";
import { collectPages } from "@orgwarden/core";

/** The account's IAM users (with tags, groups and attached policies) and groups, read once per account. */
export interface AuthorizationDetails {
  users: UserDetail[];
  groups: GroupDetail[];
}

/**
 * One paginated iam:GetAccountAuthorizationDetails read, Filter User and Group, shared by the
 * checks that need users or groups: mfa-exempt-user reads the users' tags; mfa-policy-in-use
 * reads which users and groups have the MFA policy attached and which groups have a member (a
 * user's GroupList), where it used to ask GetPolicy, ListEntitiesForPolicy and GetGroup.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
export async function readAuthorizationDetails(iam: IAMClient): Promise<AuthorizationDetails> {
  const pages = await collectPages(
    paginateGetAccountAuthorizationDetails({ client: iam }, { Filter: ["User", "Group"] }),
    (p) => [{ users: p.UserDetailList ?? [], groups: p.GroupDetailList ?? [] }],
  );
  return { users: pages.flatMap((p) => p.users), groups: pages.flatMap((p) => p.groups) };
}
