import { iamRegion } from "./partition.js";
/**
 * Every AWS action orgwarden calls, in one place. `docs/permissions/*.json` and the scheduled
 * template's policies are generated from it, the lockout guard probes exactly these actions in
 * member accounts, and a test fails when the code calls an action that is not listed here.
 */
export type PermissionFile =
  | "management-read-only"
  | "management-write"
  | "member-role-read-only"
  | "member-role-write";

export interface PermissionStatement {
  sid: string;
  file: PermissionFile;
  resource: string | string[];
  condition?: Record<string, Record<string, string | string[]>>;
}

import { DEFAULT_MFA_POLICY_NAME, MANAGED_TAG } from "./managed-names.js";

const ROOT_TASK = "arn:aws:iam::aws:policy/root-task";
const MANAGED_TAG_KEY = MANAGED_TAG.Key;
const MANAGED_TAG_VALUE = MANAGED_TAG.Value;
const ORG_POLICY = "arn:aws:organizations::*:policy/o-*/*/p-*";
const ORG_ROOT = "arn:aws:organizations::*:root/o-*/r-*";
const LAKE_EVENT_DATA_STORE = "arn:aws:cloudtrail:*:*:eventdatastore/*";
const ORG_TARGETS = [
  ORG_ROOT,
  "arn:aws:organizations::*:ou/o-*/ou-*",
  "arn:aws:organizations::*:account/o-*/*",
];

/** The statements of docs/permissions, in file order. */
export const PERMISSION_STATEMENTS = [
  { sid: "ReadTheOrganization", file: "management-read-only", resource: "*" },
  {
    sid: "AssumeTheMemberRole",
    file: "management-read-only",
    resource: "arn:aws:iam::*:role/OrganizationAccountAccessRole",
  },
  { sid: "MfaSessionForTheOperator", file: "management-read-only", resource: "*" },
  { sid: "ReadConfigResultsThroughAnAggregator", file: "management-read-only", resource: "*" },
  { sid: "CheckTheManagementAccountItself", file: "management-read-only", resource: "*" },
  { sid: "PlanScpsSafely", file: "management-read-only", resource: "*" },
  { sid: "ReadCentralizedRootAccess", file: "management-read-only", resource: "*" },
  // Recorded activity (impact, rollout): the management account's own event history, the
  // organization trail's log files in whichever bucket holds them (usually the log archive
  // account's: its bucket policy must allow this too), and CloudTrail Lake's query results.
  { sid: "ReadRecordedActivity", file: "management-read-only", resource: "*" },
  {
    sid: "ReadTheOrganizationTrailFiles",
    file: "management-read-only",
    resource: ["arn:aws:s3:::*", "arn:aws:s3:::*/*AWSLogs/*"],
  },
  { sid: "ReadCloudTrailLakeResults", file: "management-read-only", resource: LAKE_EVENT_DATA_STORE },
  // sts:AssumeRoot (resource type root-user, condition key sts:TaskPolicyArn) is a Write action;
  // limited to the audit task policy it can only read.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html
  {
    sid: "AuditMemberRootUsers",
    file: "management-read-only",
    resource: "arn:aws:iam::*:root",
    condition: { StringEquals: { "sts:TaskPolicyArn": `${ROOT_TASK}/IAMAuditRootUserCredentials` } },
  },
  // SCP writes only on orgwarden's own policies, so that no bug can touch FullAWSAccess (an AWS
  // managed policy, arn:aws:organizations::aws:policy/...) or a policy someone else made: the policy
  // resource takes aws:ResourceTag, and CreatePolicy aws:RequestTag (Service Authorization Reference,
  // AWS Organizations: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html).
  {
    sid: "CreateOnlyTaggedScps",
    file: "management-write",
    resource: ORG_POLICY,
    condition: { StringEquals: { [`aws:RequestTag/${MANAGED_TAG_KEY}`]: MANAGED_TAG_VALUE } },
  },
  {
    sid: "ChangeOnlyOrgwardenScps",
    file: "management-write",
    resource: ORG_POLICY,
    condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_TAG_KEY}`]: MANAGED_TAG_VALUE } },
  },
  // The other resources of AttachPolicy and DetachPolicy: the targets (no tag asked of them).
  { sid: "AttachToTargets", file: "management-write", resource: ORG_TARGETS },
  { sid: "EnableScpsAtTheRoot", file: "management-write", resource: ORG_ROOT },
  // IAM classes StartQuery as Write: a Lake query is billed by the data it scans.
  { sid: "StartCloudTrailLakeQueries", file: "management-write", resource: LAKE_EVENT_DATA_STORE },
  { sid: "ManageOrganizationConfigRules", file: "management-write", resource: "*" },
  { sid: "ConfigRulesInTheManagementAccountItself", file: "management-write", resource: "*" },
  { sid: "EnableCentralizedRootAccess", file: "management-write", resource: "*" },
  {
    sid: "RemoveMemberRootCredentials",
    file: "management-write",
    resource: "arn:aws:iam::*:root",
    condition: { StringEquals: { "sts:TaskPolicyArn": `${ROOT_TASK}/IAMDeleteRootUserCredentials` } },
  },
  {
    sid: "SecurityHubFindingsOfTheManagementAccountItself",
    file: "management-write",
    resource: "*",
  },
  // run's notify: the summary of what changed, to the configured topic.
  { sid: "NotifyWhatChanged", file: "management-write", resource: "arn:aws:sns:*:*:*" },
  { sid: "OrgwardenChecks", file: "member-role-read-only", resource: "*" },
  { sid: "OrgwardenRecordedActivity", file: "member-role-read-only", resource: "*" },
  { sid: "OrgwardenConfigRules", file: "member-role-write", resource: "arn:aws:config:*:*:config-rule/*" },
  {
    sid: "OrgwardenMfaPolicy",
    file: "member-role-write",
    resource: `arn:aws:iam::*:policy/${DEFAULT_MFA_POLICY_NAME}`,
  },
  // report --security-hub: each account imports its own findings (BatchImportFindings must come from
  // the finding's account) and resolves the passed ones.
  { sid: "SecurityHubFindings", file: "member-role-write", resource: "*" },
] as const satisfies readonly PermissionStatement[];

export type PermissionSid = (typeof PERMISSION_STATEMENTS)[number]["sid"];

export interface AwsActionUse {
  /** `service:Action`, as IAM names it. */
  action: string;
  /** Reads change nothing; docs/permissions keeps reads and writes apart. */
  access: "read" | "write";
  /** The statements of docs/permissions that carry it. */
  statements: readonly PermissionSid[];
  /**
   * For an action orgwarden calls in member accounts: the resource its requests name, as a template
   * with ${Partition}, ${Region} and ${Account}. "*" when the action takes none.
   */
  memberResource?: string;
  /** Not called by orgwarden itself, but authorized on its behalf by a call it makes (why). */
  impliedBy?: string;
  /**
   * Called in a session whose permissions AWS fixes (an AssumeRoot session under a root-task
   * policy), not with orgwarden's own: no statement of docs/permissions grants it.
   */
  grantedBy?: string;
  /** An action IAM never denies (why): no statement needs to grant it. */
  needsNoPermission?: string;
}

const MFA_POLICY = `arn:\${Partition}:iam::\${Account}:policy/${DEFAULT_MFA_POLICY_NAME}`;
const SECURITY_HUB_PRODUCT = "arn:${Partition}:securityhub:${Region}:${Account}:product/${Account}/default";
const SECURITY_HUB_HUB = "arn:${Partition}:securityhub:${Region}:${Account}:hub/default";
const CONFIG_RULE = "arn:${Partition}:config:${Region}:${Account}:config-rule/config-rule-0rgwdn";
const TRAIL = "arn:${Partition}:cloudtrail:${Region}:${Account}:trail/organization-trail";
const DETECTOR = "arn:${Partition}:guardduty:${Region}:${Account}:detector/12abc34d567e8fa901bc2d34e56789f0";

const MGMT_AND_MEMBER_READ = ["CheckTheManagementAccountItself", "OrgwardenChecks"] as const;

/** Several actions that share everything but their name. */
function uses(actions: readonly string[], shared: Omit<AwsActionUse, "action">): AwsActionUse[] {
  return actions.map((action) => ({ action, ...shared }));
}

export const AWS_ACTIONS: readonly AwsActionUse[] = [
  // The organization, from the management account.
  ...uses(
    [
      "organizations:DescribeOrganization",
      "organizations:DescribePolicy",
      "organizations:ListRoots",
      "organizations:ListOrganizationalUnitsForParent",
      "organizations:ListAccountsForParent",
      "organizations:ListPolicies",
      "organizations:ListTargetsForPolicy",
      "organizations:ListTagsForResource",
      // orgwarden policies and the report's policies source: invalid effective policies per type.
      "organizations:ListAccountsWithInvalidEffectivePolicy",
      "organizations:ListEffectivePolicyValidationErrors",
    ],
    { access: "read", statements: ["ReadTheOrganization"] },
  ),
  { action: "sts:AssumeRole", access: "read", statements: ["AssumeTheMemberRole"] },
  // guardduty-enabled-centralized's central account: GuardDuty's delegated administrator per region.
  { action: "guardduty:ListOrganizationAdminAccounts", access: "read", statements: ["ReadTheOrganization"] },
  // The operator's own account: the management account, or a delegated administrator's.
  {
    action: "sts:GetCallerIdentity",
    access: "read",
    statements: [],
    needsNoPermission:
      "No permissions are required to perform this operation (STS API reference, GetCallerIdentity)",
  },
  { action: "sts:GetSessionToken", access: "read", statements: ["MfaSessionForTheOperator"] },
  ...[
    "GetAggregateComplianceDetailsByConfigRule",
    "GetOrganizationConfigRuleDetailedStatus",
    "DescribeOrganizationConfigRules",
    "DescribeOrganizationConfigRuleStatuses",
  ].map(
    (a): AwsActionUse => ({
      action: `config:${a}`,
      access: "read",
      statements: a.startsWith("DescribeOrganization")
        ? ["ReadConfigResultsThroughAnAggregator", "ManageOrganizationConfigRules"]
        : ["ReadConfigResultsThroughAnAggregator"],
    }),
  ),
  // The checks, in every account (the management account with the operator's credentials).
  ...(
    [
      ["ec2:DescribeRegions", "*"],
      ["iam:GetAccountSummary", "*"],
      ["iam:ListVirtualMFADevices", "*"],
      ["iam:GetAccountPasswordPolicy", "*"],
      ["iam:GenerateCredentialReport", "*"],
      ["iam:GetCredentialReport", "*"],
      ["iam:GetAccountAuthorizationDetails", "*"],
      ["iam:ListEntitiesForPolicy", MFA_POLICY],
      ["iam:GetPolicy", MFA_POLICY],
      ["cloudtrail:DescribeTrails", "*"],
      ["cloudtrail:GetTrailStatus", TRAIL],
      ["cloudtrail:GetEventSelectors", TRAIL],
      ["guardduty:ListDetectors", "*"],
      ["guardduty:GetDetector", DETECTOR],
      ["config:DescribeConfigurationRecorderStatus", "*"],
      ["config:DescribeConfigurationRecorders", "*"],
      ["config:DescribeDeliveryChannels", "*"],
      ["config:DescribeConfigRules", "*"],
      ["config:GetComplianceDetailsByConfigRule", CONFIG_RULE],
      // The guardrails source (report --source guardrails): the account's S3 Block Public Access
      // (s3control GetPublicAccessBlock is authorized as s3:GetAccountPublicAccessBlock), its
      // effective S3 organization policy, and EC2's account attributes in each region.
      ["s3:GetAccountPublicAccessBlock", "*"],
      ["organizations:DescribeEffectivePolicy", "*"],
      ["ec2:GetInstanceMetadataDefaults", "*"],
      ["ec2:GetSnapshotBlockPublicAccessState", "*"],
      ["ec2:GetImageBlockPublicAccessState", "*"],
      ["ec2:GetSerialConsoleAccessStatus", "*"],
      ["ec2:DescribeVpcBlockPublicAccessOptions", "*"],
    ] as const
  ).map(
    ([action, memberResource]): AwsActionUse => ({
      action,
      access: "read",
      statements: MGMT_AND_MEMBER_READ,
      memberResource,
    }),
  ),
  // The resources a tag exempts from an orgwarden RCP, read as the member account only where such an
  // RCP applies (RCPs never affect the management account's resources).
  { action: "tag:GetResources", access: "read", statements: ["OrgwardenChecks"], memberResource: "*" },
  {
    action: "config:ListTagsForResource",
    access: "read",
    statements: ["OrgwardenChecks", "ConfigRulesInTheManagementAccountItself"],
    memberResource: CONFIG_RULE,
  },
  // Planning SCPs: applied quotas, AWS's own policy checks, whether exempt principals exist, and
  // AWS's policy simulator on the lockout guard's requests (--verify-with-aws, `scp simulate`).
  { action: "servicequotas:ListServiceQuotas", access: "read", statements: ["PlanScpsSafely"] },
  { action: "access-analyzer:ValidatePolicy", access: "read", statements: ["PlanScpsSafely"] },
  // apply-rcp: the external-access findings of the organization's (or the account's) analyzer that
  // the new RCPs would stop (Access Analyzer's findings do not take RCPs into account); the
  // organization's analyzer may live in Access Analyzer's delegated administrator, read through
  // orgwarden's role there.
  ...uses(["access-analyzer:ListAnalyzers", "access-analyzer:ListFindings"], {
    access: "read",
    statements: ["PlanScpsSafely", "OrgwardenChecks"],
    memberResource: "*",
  }),
  { action: "iam:SimulateCustomPolicy", access: "read", statements: ["PlanScpsSafely"] },
  // apply-rcp: the OIDC providers the runner's own role trusts (its trust policy), read in its own
  // account, so the guard probes the runner's web identity when no token file says which it is.
  { action: "iam:GetRole", access: "read", statements: ["PlanScpsSafely"] },
  {
    action: "iam:ListRoles",
    access: "read",
    statements: ["PlanScpsSafely", "OrgwardenChecks"],
    memberResource: "*",
  },
  {
    action: "iam:ListUsers",
    access: "read",
    statements: ["PlanScpsSafely", "OrgwardenChecks"],
    memberResource: "*",
  },
  // Recorded activity. LookupEvents in each member account (and the management account's own);
  // the trail's files (ListObjectsV2 is authorized as s3:ListBucket); CloudTrail Lake.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/security_iam_id-based-policy-examples.html
  {
    action: "cloudtrail:LookupEvents",
    access: "read",
    statements: ["ReadRecordedActivity", "OrgwardenRecordedActivity"],
    memberResource: "*",
  },
  // The impact of a change: the tags of the users and roles a verdict hangs on (aws:PrincipalTag).
  ...uses(["iam:ListUserTags", "iam:ListRoleTags"], {
    access: "read",
    statements: ["ReadRecordedActivity", "OrgwardenRecordedActivity"],
    memberResource: "*",
  }),
  ...uses(["s3:ListBucket", "s3:GetObject"], {
    access: "read",
    statements: ["ReadTheOrganizationTrailFiles"],
  }),
  ...uses(["cloudtrail:DescribeQuery", "cloudtrail:GetQueryResults"], {
    access: "read",
    statements: ["ReadCloudTrailLakeResults"],
  }),
  { action: "cloudtrail:StartQuery", access: "write", statements: ["StartCloudTrailLakeQueries"] },
  // Writes: SCPs, organization rules, Config rules and the MFA policy.
  { action: "organizations:CreatePolicy", access: "write", statements: ["CreateOnlyTaggedScps"] },
  ...uses(
    [
      "organizations:UpdatePolicy",
      "organizations:DeletePolicy",
      "organizations:TagResource",
      "organizations:UntagResource",
    ],
    {
      access: "write",
      statements: ["ChangeOnlyOrgwardenScps"],
    },
  ),
  ...uses(["organizations:AttachPolicy", "organizations:DetachPolicy"], {
    access: "write",
    statements: ["ChangeOnlyOrgwardenScps", "AttachToTargets"],
  }),
  { action: "organizations:EnablePolicyType", access: "write", statements: ["EnableScpsAtTheRoot"] },
  ...uses(["config:PutOrganizationConfigRule", "config:DeleteOrganizationConfigRule"], {
    access: "write",
    statements: ["ManageOrganizationConfigRules"],
  }),
  // AWS Config's organization rules need these in the management account (AWS Config developer guide,
  // "Permissions for organization rules").
  ...(
    [
      ["organizations:EnableAWSServiceAccess", "write"],
      ["iam:CreateServiceLinkedRole", "write"],
      ["organizations:ListAWSServiceAccessForOrganization", "read"],
      ["organizations:ListDelegatedAdministrators", "read"],
    ] as const
  ).map(
    ([action, access]): AwsActionUse => ({
      action,
      access,
      // Centralized root access calls the first and third itself (root enable, root status).
      statements:
        action === "organizations:EnableAWSServiceAccess"
          ? ["ManageOrganizationConfigRules", "EnableCentralizedRootAccess"]
          : action === "organizations:ListAWSServiceAccessForOrganization"
            ? ["ManageOrganizationConfigRules", "ReadCentralizedRootAccess"]
            : action === "organizations:ListDelegatedAdministrators"
              ? // apply-rcp looks for Access Analyzer's delegated administrator too.
                ["ManageOrganizationConfigRules", "PlanScpsSafely"]
              : ["ManageOrganizationConfigRules"],
      impliedBy: "PutOrganizationConfigRule",
    }),
  ),
  // Centralized root access, from the management account.
  { action: "iam:ListOrganizationsFeatures", access: "read", statements: ["ReadCentralizedRootAccess"] },
  ...uses(["iam:EnableOrganizationsRootCredentialsManagement", "iam:EnableOrganizationsRootSessions"], {
    access: "write",
    statements: ["EnableCentralizedRootAccess"],
  }),
  {
    action: "sts:AssumeRoot",
    access: "write",
    statements: ["AuditMemberRootUsers", "RemoveMemberRootCredentials"],
  },
  // Made as the member's root user, in AssumeRoot sessions: the task policies allow exactly these.
  ...uses(
    ["iam:GetLoginProfile", "iam:ListAccessKeys", "iam:ListSigningCertificates", "iam:ListMFADevices"],
    {
      access: "read",
      statements: [],
      grantedBy: "IAMAuditRootUserCredentials and IAMDeleteRootUserCredentials (AssumeRoot task policies)",
    },
  ),
  ...uses(
    [
      "iam:DeleteAccessKey",
      "iam:DeleteSigningCertificate",
      "iam:DeleteLoginProfile",
      "iam:DeactivateMFADevice",
    ],
    {
      access: "write",
      statements: [],
      grantedBy: "IAMDeleteRootUserCredentials (AssumeRoot task policy)",
    },
  ),
  ...uses(["config:PutConfigRule", "config:DeleteConfigRule"], {
    access: "write",
    statements: ["ConfigRulesInTheManagementAccountItself", "OrgwardenConfigRules"],
    memberResource: CONFIG_RULE,
  }),
  {
    action: "config:TagResource",
    access: "write",
    statements: ["ConfigRulesInTheManagementAccountItself", "OrgwardenConfigRules"],
    memberResource: CONFIG_RULE,
    impliedBy: "PutConfigRule with Tags",
  },
  {
    action: "iam:CreatePolicy",
    access: "write",
    statements: ["ConfigRulesInTheManagementAccountItself", "OrgwardenMfaPolicy"],
    memberResource: MFA_POLICY,
  },
  {
    action: "iam:TagPolicy",
    access: "write",
    statements: ["ConfigRulesInTheManagementAccountItself", "OrgwardenMfaPolicy"],
    memberResource: MFA_POLICY,
    impliedBy: "CreatePolicy with Tags",
  },
  { action: "sns:Publish", access: "write", statements: ["NotifyWhatChanged"] },
  // report --security-hub (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html).
  {
    action: "securityhub:BatchImportFindings",
    access: "write",
    statements: ["SecurityHubFindingsOfTheManagementAccountItself", "SecurityHubFindings"],
    memberResource: SECURITY_HUB_PRODUCT,
  },
  {
    action: "securityhub:BatchUpdateFindings",
    access: "write",
    statements: ["SecurityHubFindingsOfTheManagementAccountItself", "SecurityHubFindings"],
    memberResource: SECURITY_HUB_HUB,
  },
];

/**
 * The aws:RequestedRegion of a call made while working in `region`. IAM is a global service whose
 * endpoint is in us-east-1 (us-gov-west-1 in GovCloud, cn-north-1 in China), so its requests carry
 * that region wherever they come from; STS and the
 * regional services carry the region of their (regional) endpoint.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-requestedregion
 */
export function requestedRegion(action: string, region: string): string {
  return action.startsWith("iam:") ? iamRegion(region) : region;
}

/** Actions orgwarden calls in member accounts through its role: what the lockout guard must keep allowed. */
export function memberAccountActions(): AwsActionUse[] {
  const member = new Set<string>(
    PERMISSION_STATEMENTS.filter((s) => s.file.startsWith("member-")).map((s) => s.sid),
  );
  return AWS_ACTIONS.filter((a) => a.statements.some((s) => member.has(s)));
}

interface PolicyStatementJson {
  Sid: string;
  Effect: "Allow";
  Principal?: { AWS: string };
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** docs/permissions/<file>.json, generated from the catalogue. */
export function renderPermissionPolicies(): Record<
  PermissionFile,
  { Version: string; Statement: PolicyStatementJson[] }
> {
  const files = {} as Record<PermissionFile, { Version: string; Statement: PolicyStatementJson[] }>;
  for (const st of PERMISSION_STATEMENTS) {
    const actions = AWS_ACTIONS.filter((a) => a.statements.includes(st.sid)).map((a) => a.action);
    if (actions.length === 0) continue;
    files[st.file] ??= { Version: "2012-10-17", Statement: [] };
    files[st.file].Statement.push({
      Sid: st.sid,
      Effect: "Allow",
      Action: actions.length === 1 ? (actions[0] as string) : actions,
      Resource: st.resource,
      ...("condition" in st ? { Condition: st.condition } : {}),
    });
  }
  return files;
}

/**
 * The resource-based delegation policy of AWS Organizations that lets a member account run orgwarden
 * as a delegated administrator: the organization's reads and orgwarden's SCP and RCP writes (limited
 * to those two types; the account's own IAM policy, management-write.json, keeps the managed-by tag
 * conditions).
 * https://docs.aws.amazon.com/organizations/latest/userguide/security_iam_resource-based-policy-examples.html
 */
export function renderDelegationPolicy(principal: string): {
  Version: string;
  Statement: PolicyStatementJson[];
} {
  const organizations = (sids: readonly string[]) =>
    AWS_ACTIONS.filter(
      (a) => a.action.startsWith("organizations:") && a.statements.some((s) => sids.includes(s)),
    ).map((a) => a.action);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OrgwardenReadsTheOrganization",
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: organizations(["ReadTheOrganization"]),
        Resource: "*",
      },
      {
        Sid: "OrgwardenManagesItsScps",
        Effect: "Allow",
        Principal: { AWS: principal },
        Action: organizations([
          "CreateOnlyTaggedScps",
          "ChangeOnlyOrgwardenScps",
          "AttachToTargets",
          "EnableScpsAtTheRoot",
        ]),
        Resource: "*",
        Condition: {
          StringLikeIfExists: {
            "organizations:PolicyType": ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"],
          },
        },
      },
    ],
  };
}
