import {
  buildProbes,
  type EvaluatedPolicy,
  type KeyValue,
  loadPolicyLibrary,
  type PolicyDocument,
  type PolicyLevel,
  type ProbeRequest,
  renderPolicy,
  type ScpParameters,
  scpParameters,
} from "@orgwarden/scp";

/**
 * The differential corpus: SCP evaluation cases generated from the policy library with its options,
 * realistic principals and request contexts, the lockout guard's own probes, AWS's documented SCP
 * examples, a condition-operator matrix, policy variables, wildcards and case. Each case is a path of
 * SCP levels and one request; the test judges it with orgwarden's evaluator and an independent one.
 */
export interface CorpusCase {
  id: string;
  group: "library" | "probes" | "aws-examples" | "operators" | "variables" | "wildcards-case" | "rcps";
  levels: PolicyLevel[];
  request: ProbeRequest;
}

export const ACCOUNT = "111122223333";
const ORG_ID = "o-a1b2c3d4e5";
const INSIDE_V4 = "192.0.2.10";
const OUTSIDE_V4 = "203.0.113.10";
const INSIDE_V6 = "2001:db8::10";

const FULL_AWS_ACCESS: EvaluatedPolicy = {
  name: "FullAWSAccess",
  managed: false,
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/** A deny-list organization: FullAWSAccess at the root and on the OU, the policy under test on the OU. */
function pathWith(policy: EvaluatedPolicy): PolicyLevel[] {
  return [
    { nodeId: "r-ab12", nodePath: "Root", policies: [FULL_AWS_ACCESS] },
    { nodeId: "ou-ab12-workload", nodePath: "Root/Workloads", policies: [FULL_AWS_ACCESS, policy] },
  ];
}

function policyOf(name: string, document: unknown): EvaluatedPolicy {
  return { name, document: document as PolicyDocument, managed: false };
}

interface Principal {
  id: string;
  arn: string;
  type: "AssumedRole" | "User" | "Account";
  extra?: Record<string, KeyValue>;
}

const iam = (path: string) => `arn:aws:iam::${ACCOUNT}:${path}`;

/** 22 principals a real organization has, each with the keys AWS puts in its requests. */
export const PRINCIPALS: Principal[] = [
  { id: "tool-role", arn: iam("role/OrganizationAccountAccessRole"), type: "AssumedRole" },
  { id: "tool-role-path", arn: iam("role/orgwarden/OrgwardenMemberRole"), type: "AssumedRole" },
  { id: "workload-role", arn: iam("role/app-workload"), type: "AssumedRole" },
  {
    id: "sso-admin",
    arn: iam("role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef"),
    type: "AssumedRole",
  },
  {
    id: "sso-admin-regional",
    arn: iam(
      "role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_fedcba9876543210",
    ),
    type: "AssumedRole",
  },
  {
    id: "sso-readonly",
    arn: iam("role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_00aa11bb22cc33dd"),
    type: "AssumedRole",
  },
  { id: "break-glass-role", arn: iam("role/BreakGlass"), type: "AssumedRole" },
  { id: "break-glass-role-path", arn: iam("role/emergency/BreakGlass"), type: "AssumedRole" },
  { id: "user", arn: iam("user/alice"), type: "User", extra: { "aws:username": "alice" } },
  { id: "user-path", arn: iam("user/engineering/bob"), type: "User", extra: { "aws:username": "bob" } },
  { id: "ci-user", arn: iam("user/ci-deployer"), type: "User", extra: { "aws:username": "ci-deployer" } },
  {
    id: "break-glass-user",
    arn: iam("user/break-glass/admin"),
    type: "User",
    extra: { "aws:username": "admin" },
  },
  { id: "root", arn: iam("root"), type: "Account" },
  { id: "assume-root", arn: iam("root"), type: "Account", extra: { "aws:AssumedRoot": "true" } },
  {
    id: "slr-config",
    arn: iam("role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"),
    type: "AssumedRole",
  },
  {
    id: "slr-guardduty",
    arn: iam("role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty"),
    type: "AssumedRole",
  },
  {
    id: "stacksets-exec",
    arn: iam("role/stacksets-exec-0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
    type: "AssumedRole",
  },
  { id: "cfn-stackset-role", arn: iam("role/AWSCloudFormationStackSetExecutionRole"), type: "AssumedRole" },
  { id: "control-tower", arn: iam("role/AWSControlTowerExecution"), type: "AssumedRole" },
  { id: "cfn-service-role", arn: iam("role/cfn-deploy"), type: "AssumedRole" },
  { id: "saml-admin", arn: iam("role/saml/AdminFederation"), type: "AssumedRole" },
  {
    id: "lambda-vpce",
    arn: iam("role/service-role/lambda-processor"),
    type: "AssumedRole",
    extra: { "aws:SourceVpc": "vpc-0a1b2c3d", "aws:SourceVpce": "vpce-0a1b2c3d" },
  },
];

interface ContextVariant {
  id: string;
  keys: (p: Principal) => Record<string, KeyValue>;
}

/** How a request reaches AWS: console without MFA, with MFA, long-term keys, a VPC endpoint, a service. */
const CONTEXTS: ContextVariant[] = [
  {
    id: "no-mfa-outside",
    keys: () => ({
      "aws:MultiFactorAuthPresent": "false",
      "aws:SourceIp": OUTSIDE_V4,
      "aws:ViaAWSService": "false",
    }),
  },
  {
    id: "mfa-inside",
    keys: () => ({
      "aws:MultiFactorAuthPresent": "true",
      "aws:MultiFactorAuthAge": "120",
      "aws:SourceIp": INSIDE_V4,
      "aws:ViaAWSService": "false",
    }),
  },
  // Long-term access keys carry no MFA key at all.
  { id: "keys-inside", keys: () => ({ "aws:SourceIp": INSIDE_V4, "aws:ViaAWSService": "false" }) },
  { id: "keys-ipv6", keys: () => ({ "aws:SourceIp": INSIDE_V6, "aws:ViaAWSService": "false" }) },
  // Through a VPC endpoint there is no aws:SourceIp, but aws:SourceVpc.
  {
    id: "vpc-endpoint",
    keys: () => ({
      "aws:MultiFactorAuthPresent": "false",
      "aws:SourceVpc": "vpc-0a1b2c3d",
      "aws:SourceVpce": "vpce-0a1b2c3d",
      "aws:ViaAWSService": "false",
    }),
  },
  {
    id: "via-service",
    keys: () => ({
      "aws:MultiFactorAuthPresent": "false",
      "aws:ViaAWSService": "true",
      "aws:CalledVia": ["cloudformation.amazonaws.com"],
      "aws:CalledViaFirst": "cloudformation.amazonaws.com",
    }),
  },
];

const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];

function principalKeys(p: Principal, region: string): Record<string, KeyValue> {
  return {
    "aws:PrincipalArn": p.arn,
    "aws:PrincipalAccount": ACCOUNT,
    "aws:PrincipalOrgID": ORG_ID,
    "aws:PrincipalType": p.type,
    "aws:RequestedRegion": region,
    ...p.extra,
  };
}

const ACTIONS: Array<[string, string]> = [
  ["s3:ListAllMyBuckets", "*"],
  ["iam:CreateUser", iam("user/new-user")],
  ["iam:ChangePassword", iam("user/alice")],
  ["iam:GetAccountPasswordPolicy", "*"],
  ["iam:EnableMFADevice", iam("user/alice")],
  ["iam:CreateVirtualMFADevice", iam("mfa/alice")],
  ["sts:GetSessionToken", "*"],
  ["cloudtrail:StopLogging", `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`],
  ["config:DescribeConfigRules", "*"],
  ["config:PutConfigRule", `arn:aws:config:us-east-1:${ACCOUNT}:config-rule/config-rule-abc123`],
  ["organizations:LeaveOrganization", "*"],
  [
    "guardduty:DeleteDetector",
    `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0`,
  ],
  ["iam:CreateAccessKey", iam("user/alice")],
  ["iam:DeleteLoginProfile", iam("user/alice")],
  ["ec2:RunInstances", `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`],
  ["iam:UpdateAssumeRolePolicy", iam("role/OrganizationAccountAccessRole")],
];

const DEFAULT_PARAMS = scpParameters({
  roleName: "OrganizationAccountAccessRole",
  allowedCidrs: ["192.0.2.0/24", "2001:db8::/32"],
});
const EXEMPTING_PARAMS = scpParameters({
  roleName: "OrganizationAccountAccessRole",
  exemptPrincipals: [
    iam("role/BreakGlass").replace(ACCOUNT, "*"),
    "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdministratorAccess_*",
    "arn:aws:iam::*:user/break-glass/*",
  ],
  exemptAssumeRoot: false,
  allowedCidrs: ["192.0.2.0/24"],
});

function libraryPolicies(params: ScpParameters, tag: string): EvaluatedPolicy[] {
  return [...loadPolicyLibrary().values()].map((t) => {
    const r = renderPolicy(t, params);
    return { name: `${r.managedName}${tag}`, document: r.document, managed: true };
  });
}

/** Every library policy with its options × principals × contexts × a rotating third of the actions. */
function libraryCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const variants = [...libraryPolicies(DEFAULT_PARAMS, ""), ...libraryPolicies(EXEMPTING_PARAMS, "+exempt")];
  variants.forEach((policy, pi) => {
    PRINCIPALS.forEach((p, qi) => {
      CONTEXTS.forEach((ctx, ci) => {
        const region = REGIONS[(pi + qi + ci) % REGIONS.length] as string;
        ACTIONS.forEach(([action, resource], ai) => {
          if ((ai + pi + qi + ci) % 3 !== 0) return;
          cases.push({
            id: `library/${policy.name}/${p.id}/${ctx.id}/${action}`,
            group: "library",
            levels: pathWith(policy),
            request: { action, resource, keys: { ...principalKeys(p, region), ...ctx.keys(p) } },
          });
        });
      });
    });
  });
  return cases;
}

/** The guard's own probe requests against every library policy, default and exempting variants. */
function probeCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const all = new Set(loadPolicyLibrary().keys());
  for (const [params, tag] of [
    [DEFAULT_PARAMS, ""],
    [EXEMPTING_PARAMS, "+exempt"],
  ] as const) {
    const probes = buildProbes(params, all);
    for (const policy of libraryPolicies(params, tag)) {
      for (const probe of probes) {
        probe.requests.forEach((request, i) => {
          cases.push({
            id: `probes/${policy.name}/${probe.id}/${i}`,
            group: "probes",
            levels: pathWith(policy),
            request: withPrincipalDefaults(request),
          });
        });
      }
    }
  }
  return cases;
}

function withPrincipalDefaults(request: ProbeRequest): ProbeRequest {
  return { ...request, keys: { "aws:PrincipalOrgID": ORG_ID, ...request.keys } };
}

/**
 * AWS's documented SCP examples, verbatim in their conditions.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples.html
 */
export const AWS_EXAMPLES: Record<string, unknown> = {
  // Deny access to AWS based on the requested AWS Region (orgs_manage_policies_scps_examples_general).
  "region-deny": {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyAllOutsideEU",
        Effect: "Deny",
        NotAction: [
          "a4b:*",
          "budgets:*",
          "ce:*",
          "chime:*",
          "cloudfront:*",
          "config:*",
          "cur:*",
          "globalaccelerator:*",
          "health:*",
          "iam:*",
          "importexport:*",
          "kms:*",
          "mobileanalytics:*",
          "networkmanager:*",
          "organizations:*",
          "pricing:*",
          "route53:*",
          "route53domains:*",
          "s3:GetAccountPublic*",
          "s3:ListAllMyBuckets",
          "s3:ListMultiRegionAccessPoints",
          "s3:PutAccountPublic*",
          "shield:*",
          "sts:*",
          "support:*",
          "trustedadvisor:*",
          "waf-regional:*",
          "waf:*",
          "wafv2:*",
          "wellarchitected:*",
        ],
        Resource: "*",
        Condition: {
          StringNotEquals: { "aws:RequestedRegion": ["eu-central-1", "eu-west-1"] },
          ArnNotLike: {
            "aws:PrincipalARN": [
              "arn:aws:iam::*:role/Role1AllowedToBypassThisSCP",
              "arn:aws:iam::*:role/Role2AllowedToBypassThisSCP",
            ],
          },
        },
      },
    ],
  },
  // Require IMDSv2 / a hop limit (orgs_manage_policies_scps_examples_ec2).
  "imds-v2": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: "ec2:RunInstances",
        Resource: "arn:aws:ec2:*:*:instance/*",
        Condition: { StringNotEquals: { "ec2:MetadataHttpTokens": "required" } },
      },
      {
        Effect: "Deny",
        Action: "ec2:RunInstances",
        Resource: "arn:aws:ec2:*:*:instance/*",
        Condition: { NumericGreaterThan: { "ec2:MetadataHttpPutResponseHopLimit": "3" } },
      },
      {
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { NumericLessThan: { "ec2:RoleDelivery": "2.0" } },
      },
    ],
  },
  // Prevent users from modifying a tag the administrator applied, except by the tag's owner.
  "protect-tags": {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyModifyTagsIfResAuthzTagAndPrinTagDontMatch",
        Effect: "Deny",
        Action: ["ec2:CreateTags", "ec2:DeleteTags"],
        Resource: "*",
        Condition: {
          StringNotEquals: { "ec2:ResourceTag/Owner": "${aws:PrincipalTag/Owner}" },
          Null: { "ec2:ResourceTag/Owner": "false" },
        },
      },
      {
        Sid: "DenyModifyTagsIfPrinTagNotExists",
        Effect: "Deny",
        Action: ["ec2:CreateTags", "ec2:DeleteTags"],
        Resource: "*",
        Condition: { Null: { "aws:PrincipalTag/Owner": "true" } },
      },
    ],
  },
  // Require a tag on specified created resources (orgs_manage_policies_scps_examples_tagging).
  "require-tag": {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyCreateSecretWithNoProjectTag",
        Effect: "Deny",
        Action: "secretsmanager:CreateSecret",
        Resource: "*",
        Condition: { Null: { "aws:RequestTag/Project": "true" } },
      },
    ],
  },
  // Only the listed tag keys may be set (ForAllValues on aws:TagKeys).
  "allowed-tag-keys": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: ["ec2:CreateTags"],
        Resource: "*",
        Condition: { "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["Project", "Owner", "CostCenter"] } },
      },
    ],
  },
  // Prevent disabling GuardDuty or modifying its configuration, except by a privileged role.
  "protect-guardduty": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: [
          "guardduty:AcceptInvitation",
          "guardduty:ArchiveFindings",
          "guardduty:CreateDetector",
          "guardduty:CreateFilter",
          "guardduty:CreateIPSet",
          "guardduty:CreateMembers",
          "guardduty:CreatePublishingDestination",
          "guardduty:CreateSampleFindings",
          "guardduty:CreateThreatIntelSet",
          "guardduty:DeclineInvitations",
          "guardduty:DeleteDetector",
          "guardduty:DeleteFilter",
          "guardduty:DeleteInvitations",
          "guardduty:DeleteIPSet",
          "guardduty:DeleteMembers",
          "guardduty:DeletePublishingDestination",
          "guardduty:DeleteThreatIntelSet",
          "guardduty:DisassociateFromMasterAccount",
          "guardduty:DisassociateMembers",
          "guardduty:InviteMembers",
          "guardduty:StartMonitoringMembers",
          "guardduty:StopMonitoringMembers",
          "guardduty:TagResource",
          "guardduty:UnarchiveFindings",
          "guardduty:UntagResource",
          "guardduty:UpdateDetector",
          "guardduty:UpdateFilter",
          "guardduty:UpdateFindingsFeedback",
          "guardduty:UpdateIPSet",
          "guardduty:UpdatePublishingDestination",
          "guardduty:UpdateThreatIntelSet",
        ],
        Resource: "*",
        Condition: { ArnNotLike: { "aws:PrincipalARN": "arn:aws:iam::*:role/[PRIVILEGED_ROLE]" } },
      },
    ],
  },
  // Deny member accounts leaving the organization.
  "deny-leave": {
    Version: "2012-10-17",
    Statement: [{ Effect: "Deny", Action: ["organizations:LeaveOrganization"], Resource: "*" }],
  },
  // CloudFormation may create resources on the caller's behalf (aws:CalledVia, a multivalued key).
  "called-via": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: "s3:CreateBucket",
        Resource: "*",
        Condition: { "ForAnyValue:StringNotEquals": { "aws:CalledVia": ["cloudformation.amazonaws.com"] } },
      },
    ],
  },
  // Time window: deny after an end date (Date operators).
  "time-window": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { DateGreaterThan: { "aws:CurrentTime": "2026-06-30T23:59:59Z" } },
      },
    ],
  },
  // Require MFA recently (Numeric on aws:MultiFactorAuthAge) for IAM changes.
  "mfa-age": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: "iam:*",
        Resource: "*",
        Condition: { NumericGreaterThanIfExists: { "aws:MultiFactorAuthAge": "3600" } },
      },
    ],
  },
  // Deny root user (Control Tower's GRRESTRICTROOTUSER).
  "restrict-root": {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GRRESTRICTROOTUSER",
        Effect: "Deny",
        Action: "*",
        Resource: ["*"],
        Condition: { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] } },
      },
    ],
  },
  // Deny access outside the organization's own resources, with a service exemption.
  "resource-perimeter": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: "*",
        Condition: {
          StringNotEqualsIfExists: { "aws:ResourceOrgID": ORG_ID },
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
      },
    ],
  },
  // Users may only manage their own IAM user (a variable in NotResource).
  "own-user-only": {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Deny",
        Action: ["iam:ChangePassword", "iam:CreateAccessKey"],
        NotResource: "arn:aws:iam::*:user/${aws:username}",
      },
    ],
  },
};

const EXAMPLE_REQUESTS: Array<{ action: string; resource: string; keys: Record<string, KeyValue> }> = [
  { action: "ec2:DescribeInstances", resource: "*", keys: {} },
  { action: "iam:CreateRole", resource: iam("role/new"), keys: {} },
  {
    action: "ec2:RunInstances",
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`,
    keys: { "ec2:MetadataHttpTokens": "required", "ec2:MetadataHttpPutResponseHopLimit": "2" },
  },
  {
    action: "ec2:RunInstances",
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/*`,
    keys: { "ec2:MetadataHttpTokens": "optional", "ec2:MetadataHttpPutResponseHopLimit": "5" },
  },
  {
    action: "ec2:CreateTags",
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0`,
    keys: {
      "ec2:ResourceTag/Owner": "alice",
      "aws:PrincipalTag/Owner": "alice",
      "aws:TagKeys": ["Project", "Owner"],
    },
  },
  {
    action: "ec2:CreateTags",
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0`,
    keys: {
      "ec2:ResourceTag/Owner": "alice",
      "aws:PrincipalTag/Owner": "bob",
      "aws:TagKeys": ["Project", "Secret"],
    },
  },
  {
    action: "ec2:DeleteTags",
    resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0123456789abcdef0`,
    keys: { "ec2:ResourceTag/Owner": "alice", "aws:TagKeys": ["Owner"] },
  },
  {
    action: "secretsmanager:CreateSecret",
    resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
    keys: { "aws:RequestTag/Project": "apollo", "aws:TagKeys": ["Project"] },
  },
  {
    action: "secretsmanager:CreateSecret",
    resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
    keys: {},
  },
  {
    action: "guardduty:UpdateDetector",
    resource: `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/12abc34d567e8fa901bc2d34e56789f0`,
    keys: {},
  },
  { action: "organizations:LeaveOrganization", resource: "*", keys: {} },
  {
    action: "s3:CreateBucket",
    resource: "arn:aws:s3:::new-bucket",
    keys: { "aws:CalledVia": ["cloudformation.amazonaws.com"], "aws:ViaAWSService": "true" },
  },
  { action: "s3:CreateBucket", resource: "arn:aws:s3:::new-bucket", keys: {} },
  {
    action: "s3:GetObject",
    resource: "arn:aws:s3:::bucket/key",
    keys: { "aws:CurrentTime": "2026-11-30T12:00:00Z", "aws:ResourceOrgID": ORG_ID },
  },
  {
    action: "s3:PutObject",
    resource: "arn:aws:s3:::outside/key",
    keys: { "aws:CurrentTime": "2026-01-01T00:00:00Z", "aws:ResourceOrgID": "o-zzzzzzzzzz" },
  },
  { action: "iam:ChangePassword", resource: iam("user/alice"), keys: { "aws:MultiFactorAuthAge": "7200" } },
  { action: "iam:CreateAccessKey", resource: iam("user/bob"), keys: { "aws:MultiFactorAuthAge": "60" } },
];

const EXAMPLE_PRINCIPALS = [
  "tool-role",
  "workload-role",
  "sso-admin",
  "user",
  "user-path",
  "root",
  "assume-root",
  "break-glass-role",
  "slr-config",
  "control-tower",
];

function exampleCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const [name, doc] of Object.entries(AWS_EXAMPLES)) {
    for (const pid of EXAMPLE_PRINCIPALS) {
      const p = PRINCIPALS.find((x) => x.id === pid) as Principal;
      EXAMPLE_REQUESTS.forEach((r, ri) => {
        for (const region of ["eu-west-1", "us-east-1"]) {
          cases.push({
            id: `aws-examples/${name}/${pid}/${ri}/${region}`,
            group: "aws-examples",
            levels: pathWith(policyOf(`example:${name}`, doc)),
            request: {
              action: r.action,
              resource: r.resource,
              keys: { ...principalKeys(p, region), ...r.keys },
            },
          });
        }
      });
    }
  }
  return cases;
}

interface OperatorFamily {
  operators: string[];
  key: string;
  multiKey?: string;
  policyValues: string[][];
  requestValues: string[];
  multiValues?: string[][];
}

/** Each operator, plain, …IfExists and under each set operator, on absent, matching and other values. */
const FAMILIES: OperatorFamily[] = [
  {
    operators: [
      "StringEquals",
      "StringNotEquals",
      "StringEqualsIgnoreCase",
      "StringNotEqualsIgnoreCase",
      "StringLike",
      "StringNotLike",
    ],
    key: "aws:PrincipalTag/team",
    multiKey: "aws:TagKeys",
    policyValues: [["platform"], ["plat*", "security"], ["PLATFORM"], ["pl?tform"]],
    requestValues: ["platform", "Platform", "payments", "plat*"],
    multiValues: [["platform", "security"], ["platform", "payments"], ["payments"]],
  },
  {
    operators: ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
    key: "aws:SourceArn",
    policyValues: [
      [`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`],
      ["arn:aws:sns:*:*:alert*"],
      ["arn:aws:sns:us-east-1:*:*", "arn:aws:sqs:*:*:*"],
      ["arn:aws:sns:?s-east-1:*:alerts"],
      ["arn:aws:sns:*"],
      ["*"],
    ],
    requestValues: [
      `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
      `arn:aws:sns:eu-west-1:${ACCOUNT}:alerts-eu`,
      `arn:aws:sqs:us-east-1:${ACCOUNT}:jobs`,
    ],
  },
  {
    operators: [
      "NumericEquals",
      "NumericNotEquals",
      "NumericLessThan",
      "NumericLessThanEquals",
      "NumericGreaterThan",
      "NumericGreaterThanEquals",
    ],
    key: "aws:MultiFactorAuthAge",
    policyValues: [["3600"], ["60", "7200"]],
    requestValues: ["30", "3600", "86400"],
  },
  {
    operators: [
      "DateEquals",
      "DateNotEquals",
      "DateLessThan",
      "DateLessThanEquals",
      "DateGreaterThan",
      "DateGreaterThanEquals",
    ],
    key: "aws:CurrentTime",
    policyValues: [["2026-06-30T00:00:00Z"], ["2025-01-01T00:00:00Z", "2027-01-01T00:00:00Z"]],
    requestValues: ["2026-06-30T00:00:00Z", "2026-11-30T12:00:00Z", "2024-02-29T08:30:00Z"],
  },
  {
    operators: ["Bool"],
    key: "aws:SecureTransport",
    policyValues: [["true"], ["false"]],
    requestValues: ["true", "false"],
  },
  {
    operators: ["IpAddress", "NotIpAddress"],
    key: "aws:SourceIp",
    policyValues: [
      ["192.0.2.0/24"],
      ["198.51.100.7", "2001:db8::/32"],
      ["203.0.113.0/24"],
      ["0.0.0.0/0"],
      ["::/0"],
      ["2001:db8::5"],
    ],
    requestValues: [
      "192.0.2.44",
      "198.51.100.7",
      "2001:db8::5",
      "203.0.113.200",
      "cloudformation.amazonaws.com",
    ],
  },
];

function operatorCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const base = principalKeys(PRINCIPALS[2] as Principal, "us-east-1");
  const push = (
    id: string,
    operator: string,
    key: string,
    values: string[],
    actual: KeyValue | undefined,
  ) => {
    const doc = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Deny",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { [operator]: { [key]: values } },
        },
      ],
    };
    cases.push({
      id: `operators/${id}`,
      group: "operators",
      levels: pathWith(policyOf(`op:${operator}`, doc)),
      request: {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::bucket/key",
        keys: actual === undefined ? base : { ...base, [key]: actual },
      },
    });
  };
  for (const f of FAMILIES) {
    for (const op of f.operators) {
      for (const suffix of ["", "IfExists"]) {
        for (const set of ["", "ForAnyValue:", "ForAllValues:"]) {
          const operator = `${set}${op}${suffix}`;
          f.policyValues.forEach((values, vi) => {
            push(`${operator}/${vi}/absent`, operator, f.key, values, undefined);
            for (const actual of f.requestValues)
              push(`${operator}/${vi}/${actual}`, operator, f.key, values, actual);
            if (f.multiKey) {
              push(`${operator}/${vi}/multi-absent`, operator, f.multiKey, values, undefined);
              for (const multi of f.multiValues ?? []) {
                push(`${operator}/${vi}/multi/${multi.join("+")}`, operator, f.multiKey, values, multi);
              }
            }
          });
        }
      }
    }
  }
  for (const wantAbsent of ["true", "false"]) {
    for (const actual of [undefined, "x"]) {
      push(`Null/${wantAbsent}/${actual ?? "absent"}`, "Null", "aws:PrincipalTag/team", [wantAbsent], actual);
    }
    for (const actual of [undefined, ["a", "b"]]) {
      push(
        `Null/${wantAbsent}/multi/${actual ? "ab" : "absent"}`,
        "Null",
        "aws:TagKeys",
        [wantAbsent],
        actual,
      );
    }
  }
  return cases;
}

/** Policy variables in resources and conditions, with defaults and the `${*}` `${?}` `${$}` escapes. */
function variableCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const statements: Array<[string, Record<string, unknown>]> = [
    ["resource-username", { Resource: "arn:aws:s3:::home/${aws:username}/*" }],
    ["notresource-username", { NotResource: "arn:aws:s3:::home/${aws:username}/*" }],
    [
      "condition-tag",
      {
        Resource: "*",
        Condition: { StringEquals: { "s3:ExistingObjectTag/owner": "${aws:PrincipalTag/Owner}" } },
      },
    ],
    [
      "condition-tag-negated",
      {
        Resource: "*",
        Condition: { StringNotEquals: { "s3:ExistingObjectTag/owner": "${aws:PrincipalTag/Owner}" } },
      },
    ],
    [
      "condition-default",
      {
        Resource: "*",
        Condition: { StringEquals: { "s3:ExistingObjectTag/owner": "${aws:PrincipalTag/Owner, 'nobody'}" } },
      },
    ],
    [
      "condition-like-var",
      {
        Resource: "*",
        Condition: { StringLike: { "s3:ExistingObjectTag/owner": "${aws:PrincipalTag/Owner}*" } },
      },
    ],
    ["escape-star", { Resource: "*", Condition: { StringLike: { "s3:ExistingObjectTag/owner": "a${*}b" } } }],
    [
      "escape-question",
      { Resource: "*", Condition: { StringLike: { "s3:ExistingObjectTag/owner": "a${?}b" } } },
    ],
    [
      "escape-dollar",
      { Resource: "*", Condition: { StringEquals: { "s3:ExistingObjectTag/owner": "${$}a" } } },
    ],
    [
      "arn-var",
      {
        Resource: "*",
        Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:user/*" } },
      },
    ],
    ["resource-account-var", { Resource: "arn:aws:s3:::logs-${aws:PrincipalAccount}/*" }],
  ];
  const contexts: Array<[string, Record<string, KeyValue>, string]> = [
    [
      "alice-own",
      { "aws:username": "alice", "aws:PrincipalTag/Owner": "alice", "s3:ExistingObjectTag/owner": "alice" },
      "arn:aws:s3:::home/alice/notes.txt",
    ],
    [
      "alice-other",
      { "aws:username": "alice", "aws:PrincipalTag/Owner": "alice", "s3:ExistingObjectTag/owner": "bob" },
      "arn:aws:s3:::home/bob/notes.txt",
    ],
    [
      "no-tag",
      { "aws:username": "carol", "s3:ExistingObjectTag/owner": "nobody" },
      "arn:aws:s3:::home/carol/x",
    ],
    ["role-no-username", { "s3:ExistingObjectTag/owner": "alice" }, "arn:aws:s3:::home/alice/x"],
    [
      "literal-star",
      { "aws:username": "a*b", "s3:ExistingObjectTag/owner": "a*b" },
      "arn:aws:s3:::home/a*b/x",
    ],
    [
      "literal-other",
      { "aws:username": "axb", "s3:ExistingObjectTag/owner": "axxb" },
      "arn:aws:s3:::home/axb/x",
    ],
    ["literal-question", { "s3:ExistingObjectTag/owner": "a?b" }, `arn:aws:s3:::logs-${ACCOUNT}/x`],
    ["dollar", { "s3:ExistingObjectTag/owner": "$a" }, "arn:aws:s3:::logs-999999999999/x"],
    [
      "prefix",
      { "aws:PrincipalTag/Owner": "ali", "s3:ExistingObjectTag/owner": "alice" },
      "arn:aws:s3:::other/x",
    ],
  ];
  for (const [sid, parts] of statements) {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:GetObject", ...parts }] };
    for (const principal of [PRINCIPALS[8] as Principal, PRINCIPALS[2] as Principal]) {
      for (const [cid, keys, resource] of contexts) {
        const base = principalKeys(principal, "us-east-1");
        if (principal.type !== "User") delete base["aws:username"];
        cases.push({
          id: `variables/${sid}/${principal.id}/${cid}`,
          group: "variables",
          levels: pathWith(policyOf(`var:${sid}`, doc)),
          request: { action: "s3:GetObject", resource, keys: { ...base, ...keys } },
        });
      }
    }
  }
  return cases;
}

/** Wildcards anywhere in an action, Allow statements with conditions, NotAction in Allow, case. */
function wildcardCases(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const docs: Array<[string, unknown, boolean]> = [
    [
      "deny-mid-wildcard",
      { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:*Object*", Resource: "*" }] },
      true,
    ],
    [
      "deny-question",
      { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "iam:?etUser", Resource: "*" }] },
      true,
    ],
    [
      "deny-upper",
      { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "S3:GETOBJECT", Resource: "*" }] },
      true,
    ],
    [
      "deny-all-actions",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "*", Resource: "arn:aws:iam::*:user/*" }],
      },
      true,
    ],
    [
      "allow-with-condition",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "*",
            Resource: "*",
            Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
          },
        ],
      },
      false,
    ],
    [
      "allow-notaction",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }],
      },
      false,
    ],
    [
      "allow-notresource",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::secret*" }],
      },
      false,
    ],
    [
      "deny-resource-case",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "arn:aws:s3:::Bucket/*" }],
      },
      true,
    ],
    [
      "deny-resource-segment",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "*", Resource: "arn:aws:iam::*:role/Admin*" }],
      },
      true,
    ],
    [
      "deny-notresource-short",
      { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", NotResource: "arn:aws:iam::*" }] },
      true,
    ],
    [
      "deny-resource-mid-star",
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "*", Resource: "arn:aws:s3:::*-bucket/*" }],
      },
      true,
    ],
    [
      "deny-key-case",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { StringEquals: { "AWS:REQUESTEDREGION": "ap-southeast-2" } },
          },
        ],
      },
      true,
    ],
    [
      "deny-value-case",
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalTag/team": "Platform" } },
          },
        ],
      },
      true,
    ],
  ];
  const requests: Array<[string, string, Record<string, KeyValue>]> = [
    ["s3:GetObject", "arn:aws:s3:::bucket/key", {}],
    ["s3:getobject", "arn:aws:s3:::Bucket/key", { "aws:PrincipalTag/team": "platform" }],
    ["s3:PutObjectAcl", "arn:aws:s3:::secret-bucket/key", {}],
    ["s3:ListBucket", "arn:aws:s3:::bucket", {}],
    ["iam:GetUser", iam("user/alice"), {}],
    ["iam:TagUser", iam("user/alice"), {}],
    ["iam:DeleteRole", iam("role/AdminRole"), { "aws:PrincipalTag/team": "Platform" }],
    ["iam:GetRole", iam("role/path/Admin"), {}],
    ["organizations:DescribeOrganization", "*", {}],
    ["ec2:DeleteVolume", `arn:aws:ec2:eu-west-1:${ACCOUNT}:volume/vol-0123456789abcdef0`, {}],
  ];
  for (const [name, doc, deny] of docs) {
    const policy = policyOf(`wild:${name}`, doc);
    // An Allow under test replaces FullAWSAccess on the OU, as an allow-list organization has it.
    const levels = deny
      ? pathWith(policy)
      : [
          { nodeId: "r-ab12", nodePath: "Root", policies: [FULL_AWS_ACCESS] },
          { nodeId: "ou-ab12-allow", nodePath: "Root/AllowList", policies: [policy] },
        ];
    for (const region of REGIONS) {
      requests.forEach(([action, resource, keys], i) => {
        cases.push({
          id: `wildcards-case/${name}/${i}/${region}`,
          group: "wildcards-case",
          levels,
          request: {
            action,
            resource,
            keys: { ...principalKeys(PRINCIPALS[2] as Principal, region), ...keys },
          },
        });
      });
    }
  }
  return cases;
}

export function buildEvaluatorCorpus(): CorpusCase[] {
  return [
    ...libraryCases(),
    ...probeCases(),
    ...exampleCases(),
    ...operatorCases(),
    ...variableCases(),
    ...wildcardCases(),
  ];
}
