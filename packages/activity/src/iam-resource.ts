import { type Fields, fieldsOf, textOf } from "./record-fields.js";

/**
 * IAM writes no resources[] into its events: the resource an IAM action authorizes is named in the
 * request, by name. The fields that name it, in the order that picks the action's resource when a
 * request names two (AddRoleToInstanceProfile authorizes the instance profile, AddUserToGroup the
 * group, AttachRolePolicy the role, not the policy it attaches), and the ARN's resource part
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html#awsidentityandaccessmanagementiam-resources-for-iam-policies).
 * Nothing else of requestParameters is read.
 */
const NAMED_BY: ReadonlyArray<readonly [field: string, type: string]> = [
  ["instanceProfileName", "instance-profile"],
  ["groupName", "group"],
  ["roleName", "role"],
  ["userName", "user"],
];

/**
 * The ARN of the IAM resource an IAM event's request names, in the caller's account; undefined when
 * it names none (ListUsers, CreatePolicy). The path of a role, user or group is not in the request:
 * the ARN is built without one, as `role/NAME` (a policy's ARN, given whole, keeps its own).
 */
export function iamResourceArn(
  requestParameters: unknown,
  account: string,
  partition: string,
): string | undefined {
  const params: Fields | undefined = fieldsOf(requestParameters);
  if (!params) return undefined;
  for (const [field, type] of NAMED_BY) {
    const name = textOf(params[field]);
    if (name) return `arn:${partition}:iam::${account}:${type}/${name}`;
  }
  const policy = textOf(params.policyArn);
  return policy?.startsWith("arn:") ? policy : undefined;
}
