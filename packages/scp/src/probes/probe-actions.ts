import type { ProbeAction } from "./probe-requests.js";

/** The organization trail every audit probe touches. */
const TRAIL = "arn:${Partition}:cloudtrail:${Region}:${Account}:trail/organization-trail";

/** What an administrator does: the worst case for an exempt principal. */
export const ADMIN_ACTIONS: readonly ProbeAction[] = [
  ["iam:CreateUser", "arn:${Partition}:iam::${Account}:user/new-user"],
  ["s3:ListAllMyBuckets", "*"],
  ["ec2:DescribeInstances", "*"],
  ["cloudtrail:StopLogging", TRAIL],
];

/** What a workload does with its data. */
export const WORKLOAD_ACTIONS: readonly ProbeAction[] = [
  ["s3:GetObject", "arn:${Partition}:s3:::app-data/object.json"],
  ["dynamodb:GetItem", "arn:${Partition}:dynamodb:${Region}:${Account}:table/app"],
  ["sqs:SendMessage", "arn:${Partition}:sqs:${Region}:${Account}:app-queue"],
];

/** What a user without MFA needs to enrol a device (AWS's self-manage-MFA example). */
export const MFA_ENROLMENT_ACTIONS: readonly ProbeAction[] = [
  ["iam:CreateVirtualMFADevice", "arn:${Partition}:iam::${Account}:mfa/alice"],
  ["iam:EnableMFADevice", "arn:${Partition}:iam::${Account}:user/alice"],
  ["iam:ListMFADevices", "arn:${Partition}:iam::${Account}:user/alice"],
  ["iam:GetUser", "arn:${Partition}:iam::${Account}:user/alice"],
  ["sts:GetSessionToken", "*"],
];

/** AWS's note on its self-manage-MFA example: a user with an expired password needs both. */
export const PASSWORD_CHANGE_ACTIONS: readonly ProbeAction[] = [
  ["iam:ChangePassword", "arn:${Partition}:iam::${Account}:user/alice"],
  ["iam:GetAccountPasswordPolicy", "*"],
];

/** What sets up the audit services in a member account: the trail, Config rules, GuardDuty. */
export const AUDIT_SETUP_ACTIONS: readonly ProbeAction[] = [
  ["cloudtrail:UpdateTrail", TRAIL],
  ["config:PutConfigRule", "arn:${Partition}:config:${Region}:${Account}:config-rule/config-rule-stackset"],
  [
    "guardduty:UpdateDetector",
    "arn:${Partition}:guardduty:${Region}:${Account}:detector/12abc34d567e8fa901bc2d34e56789f0",
  ],
];

/** What turns the audit services off. */
export const AUDIT_STOP_ACTIONS: readonly ProbeAction[] = [
  ["cloudtrail:UpdateTrail", TRAIL],
  ["cloudtrail:StopLogging", TRAIL],
  // The Service Authorization Reference gives CreateFilter no resource type: "*".
  ["guardduty:CreateFilter", "*"],
];

/**
 * What makes a role someone's: creating it, rewriting whom it trusts, or passing it to a service
 * (Lambda, CodeBuild, EC2 through an instance profile) that then acts as the role. Each names the
 * role's ARN as the resource.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
 */
export const CLAIM_ROLE_ACTIONS = ["iam:CreateRole", "iam:PassRole", "iam:UpdateAssumeRolePolicy"] as const;

/**
 * What makes a user someone's: creating or renaming it, or giving it any credential a request can
 * be signed or authenticated with — a password, access keys, service-specific credentials (Bedrock
 * API keys, CodeCommit, Keyspaces), SSH keys, signing certificates. Each names the user's ARN.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceSpecificCredential.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadSSHPublicKey.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadSigningCertificate.html
 */
export const CLAIM_USER_ACTIONS = [
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:CreateServiceSpecificCredential",
  "iam:CreateUser",
  "iam:ResetServiceSpecificCredential",
  "iam:UpdateLoginProfile",
  "iam:UpdateUser",
  "iam:UploadSSHPublicKey",
  "iam:UploadSigningCertificate",
] as const;
