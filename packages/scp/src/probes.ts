import { AWS_ACTIONS, memberAccountActions, requestedRegion } from "@orgwarden/core";
import type { ProbeRequest } from "./evaluate-scps.js";
import { examplePrincipalArn } from "./exempt-principals.js";
import { matchesPattern } from "./policy-pattern.js";
import type { ScpParameters } from "./render-policy.js";
import type { KeyValue } from "./request-keys.js";

/** Expected outcome of a probe; `strictness` says whether a mismatch refuses the change. */
export interface Probe {
  id: string;
  label: string;
  principalArn: string;
  requests: ProbeRequest[];
  expect: "ALLOW" | "DENY" | "ANY";
  /**
   * "any-deny": refuse whenever the probe is denied, whoever denies it (orgwarden's own role).
   * "managed": refuse only when an orgwarden-managed policy causes the mismatch; a denial by a
   * policy orgwarden does not manage is shown but was there before this change.
   * "advisory": never refuse; the mismatch is shown as a warning.
   */
  strictness: "any-deny" | "managed" | "advisory";
}

/** A stand-in member account for the probes, when no real account is at hand. */
export const PROBE_ACCOUNT = "210987654321";
/** A stand-in organization id, likewise. */
export const PROBE_ORGANIZATION = "o-exampleorg1";
/** A stand-in aws:ResourceOrgPaths value of the probe account, likewise. */
const PROBE_ORG_PATH = `${PROBE_ORGANIZATION}/r-ab12/ou-ab12-11111111/`;
/** A source address outside any allowed network (TEST-NET-3), to test restrict-source-ip's worst case. */
export const PROBE_SOURCE_IP = "203.0.113.10";
/** A VPC no allow-list names, for a caller through somebody else's endpoint. */
const PROBE_OTHER_VPC = "vpc-0fedcba9876543210";
const PROBE_VPC = "vpc-0a1b2c3d4e5f60718";
/** An address CloudFormation calls from when it uses a service role (outside any corporate network). */
const PROBE_SERVICE_IP = "198.51.100.20";

/** Where the probes stand: the request context a real call from orgwarden or a person would carry. */
export interface ProbeSetting {
  /** Regions orgwarden calls in member accounts (aws:RequestedRegion); IAM calls carry us-east-1. */
  regions: readonly string[];
  organizationId: string;
  /** The member account the probes stand for. */
  account: string;
  /**
   * The account's path in the organization as aws:ResourceOrgPaths carries it
   * (`o-…/r-…/ou-…/`): AWS sends it, with aws:ResourceAccount and aws:ResourceOrgID, on requests to
   * resources of an account in an organization.
   */
  orgPath?: string;
  /**
   * The ARN IAM gives orgwarden's role in this account (its own casing and path), where the plan
   * listed it: aws:PrincipalArn of orgwarden's sessions is this ARN, not one built from --role-name.
   */
  toolRoleArn?: string;
  /** aws:PrincipalTag/<key> values of orgwarden's role, where the config names them. */
  principalTags?: Readonly<Record<string, string>>;
  /** A real principal ARN behind each exempt pattern, where one was found (else an example ARN). */
  exemptExamples?: ReadonlyMap<string, string>;
  /** Principals exempted by the policies as they are now but not by the rendered ones. */
  formerlyExempt?: readonly string[];
  /**
   * Library names of the policies this change renders with these parameters. The claim probes
   * expect a denial only where one of them exempts by name: a policy already on the path with other
   * parameters protects its own patterns, not these. Undefined: every policy in effect counts.
   */
  ownPolicies?: readonly string[];
}

const DEFAULT_SETTING: ProbeSetting = {
  regions: ["us-east-1"],
  organizationId: PROBE_ORGANIZATION,
  account: PROBE_ACCOUNT,
  orgPath: PROBE_ORG_PATH,
};

const ADMIN_ACTIONS: Array<[string, string]> = [
  ["iam:CreateUser", "arn:${Partition}:iam::${Account}:user/new-user"],
  ["s3:ListAllMyBuckets", "*"],
  ["ec2:DescribeInstances", "*"],
  ["cloudtrail:StopLogging", "arn:${Partition}:cloudtrail:${Region}:${Account}:trail/organization-trail"],
];
const WORKLOAD_ACTIONS: Array<[string, string]> = [
  ["s3:GetObject", "arn:${Partition}:s3:::app-data/object.json"],
  ["dynamodb:GetItem", "arn:${Partition}:dynamodb:${Region}:${Account}:table/app"],
  ["sqs:SendMessage", "arn:${Partition}:sqs:${Region}:${Account}:app-queue"],
];
const MFA_ENROLMENT_ACTIONS: Array<[string, string]> = [
  ["iam:CreateVirtualMFADevice", "arn:${Partition}:iam::${Account}:mfa/alice"],
  ["iam:EnableMFADevice", "arn:${Partition}:iam::${Account}:user/alice"],
  ["iam:ListMFADevices", "arn:${Partition}:iam::${Account}:user/alice"],
  ["iam:GetUser", "arn:${Partition}:iam::${Account}:user/alice"],
  ["sts:GetSessionToken", "*"],
];
/** AWS's note on its self-manage-MFA example: a user with an expired password needs both. */
const PASSWORD_CHANGE_ACTIONS: Array<[string, string]> = [
  ["iam:ChangePassword", "arn:${Partition}:iam::${Account}:user/alice"],
  ["iam:GetAccountPasswordPolicy", "*"],
];
const AUDIT_SETUP_ACTIONS: Array<[string, string]> = [
  ["cloudtrail:UpdateTrail", "arn:${Partition}:cloudtrail:${Region}:${Account}:trail/organization-trail"],
  ["config:PutConfigRule", "arn:${Partition}:config:${Region}:${Account}:config-rule/config-rule-stackset"],
  [
    "guardduty:UpdateDetector",
    "arn:${Partition}:guardduty:${Region}:${Account}:detector/12abc34d567e8fa901bc2d34e56789f0",
  ],
];

type Network = "outside" | "inside" | "inside-v6" | "vpc-endpoint" | "other-vpc-endpoint" | "service";

interface RequestSpec {
  principalArn: string;
  actions: Array<[string, string]>;
  /** aws:MultiFactorAuthPresent, or absent (long-term keys, the root user). */
  mfa: "true" | "false" | undefined;
  networks: Network[];
  regions: readonly string[];
  extra?: Record<string, KeyValue>;
}

/**
 * The probe requests of the lockout guard for one member account. `inEffect` is the set of library
 * policy names (without the orgwarden- prefix) in effect on the target after the change.
 */
export function buildProbes(
  params: ScpParameters,
  inEffect: ReadonlySet<string>,
  setting: Partial<ProbeSetting> = {},
): Probe[] {
  const s: ProbeSetting = { ...DEFAULT_SETTING, ...setting };
  const requests = requestMaker(params, s);
  return [
    toolRoleProbe(params, s, requests),
    rootSessionProbe(params, s, requests),
    ...exemptProbes(params, s, requests),
    ...humanProbes(params, inEffect, s, requests),
    ...claimProbes(params, inEffect, s, requests),
  ];
}

type MakeRequests = (spec: RequestSpec) => ProbeRequest[];

/**
 * Requests of one principal: each action on its resource (a template with ${Partition}, ${Region} and
 * ${Account}, as in the action catalogue), in each region (IAM: us-east-1 only), over each network.
 */
function requestMaker(params: ScpParameters, s: ProbeSetting): MakeRequests {
  const where = networkAddresses(params);
  return (spec) => {
    const out: ProbeRequest[] = [];
    for (const [action, resource] of spec.actions) {
      for (const region of new Set(spec.regions.map((r) => requestedRegion(action, r)))) {
        const arn = resource
          .replaceAll("${Partition}", params.Partition)
          .replaceAll("${Region}", region)
          .replaceAll("${Account}", s.account);
        for (const network of spec.networks) {
          out.push({
            action,
            resource: arn,
            keys: {
              ...principalKeys(spec.principalArn, s, region),
              ...resourceKeys(arn, s),
              ...networkKeys(network, where),
              ...(spec.mfa === undefined ? {} : { "aws:MultiFactorAuthPresent": spec.mfa }),
              ...spec.extra,
            },
          });
        }
      }
    }
    return out;
  };
}

/**
 * orgwarden's own role: every action of the catalogue it calls in member accounts, on the resources
 * it touches, in every region it works in, from outside any allowed network and through a VPC endpoint.
 */
function toolRoleProbe(params: ScpParameters, s: ProbeSetting, requests: MakeRequests): Probe {
  const ownRole = toolRoleArn(params, s);
  const tags = Object.fromEntries(
    Object.entries(s.principalTags ?? {}).map(([k, v]) => [`aws:PrincipalTag/${k}`, v]),
  );
  return {
    id: "orgwarden-role",
    label: `orgwarden's role (${params.RoleName}) without MFA`,
    principalArn: ownRole,
    requests: requests({
      principalArn: ownRole,
      actions: memberAccountActions().map((use) => [use.action, use.memberResource ?? "*"]),
      mfa: "false",
      networks: ["outside", "vpc-endpoint"],
      regions: s.regions,
      extra: tags,
    }),
    expect: "ALLOW",
    strictness: "any-deny",
  };
}

function exemptProbes(params: ScpParameters, s: ProbeSetting, requests: MakeRequests): Probe[] {
  // Exempt principals act from anywhere: from outside the allowed networks and through endpoints.
  // Formerly exempt ones (exempted by today's documents only) are probed too, for what an update
  // would take away from them.
  const probes: Probe[] = [];
  const exempt = [
    ...params.ExemptPrincipalArns.slice(1).map((pattern) => ({ pattern, formerly: false })),
    ...(s.formerlyExempt ?? []).map((pattern) => ({ pattern, formerly: true })),
  ];
  for (const { pattern, formerly } of exempt) {
    const principal = s.exemptExamples?.get(pattern) ?? examplePrincipalArn(pattern, s.account);
    probes.push({
      id: `${formerly ? "formerly-exempt" : "exempt"}:${pattern}`,
      label: `${formerly ? "formerly exempt" : "exempt"} principal ${principal} without MFA`,
      principalArn: principal,
      requests: requests({
        principalArn: principal,
        actions: ADMIN_ACTIONS,
        mfa: /:user\//.test(principal) ? undefined : "false",
        networks: ["outside", "vpc-endpoint"],
        regions: s.regions,
      }),
      expect: formerly ? "ANY" : "ALLOW",
      strictness: formerly ? "advisory" : "managed",
    });
  }

  return probes;
}

/** People, workloads and AWS's own roles, each with the context their requests carry. */
function humanProbes(
  params: ScpParameters,
  inEffect: ReadonlySet<string>,
  s: ProbeSetting,
  requests: MakeRequests,
): Probe[] {
  const p = params.Partition;
  const home = s.regions[0] ?? "us-east-1";
  const probes: Probe[] = [];
  const user = `arn:${p}:iam::${s.account}:user/alice`;
  const root = `arn:${p}:iam::${s.account}:root`;
  const workload = `arn:${p}:iam::${s.account}:role/app-workload`;
  const sso = `arn:${p}:iam::${s.account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef`;
  const slr = `arn:${p}:iam::${s.account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;
  const stackSets = `arn:${p}:iam::${s.account}:role/stacksets-exec-0a1b2c3d4e5f60718293a4b5c6d7e8f9`;
  const controlTower = `arn:${p}:iam::${s.account}:role/AWSControlTowerExecution`;
  const memberAdmin = `arn:${p}:iam::${s.account}:role/member-admin`;
  const ciUser = `arn:${p}:iam::${s.account}:user/ci-deployer`;
  const denyRoot = inEffect.has("deny-root-user");
  const requireMfa = inEffect.has("require-mfa");
  const protectAudit = inEffect.has("protect-audit");
  const restrictNetwork = inEffect.has("restrict-source-ip");
  const mfaTag = { [`aws:PrincipalTag/${params.MfaExemptTagKey}`]: "true" };
  // People and workloads are probed from inside the allowed network (being denied outside it is
  // restrict-source-ip's job); orgwarden's role and exempt principals from outside, the worst case.
  const human = { networks: ["inside"] as Network[], regions: [home] };
  const userKeys = { "aws:username": "alice" };
  probes.push(
    {
      id: "workload-role",
      label: "a workload role session without MFA",
      principalArn: workload,
      requests: requests({ principalArn: workload, actions: WORKLOAD_ACTIONS, mfa: "false", ...human }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "workload-vpc-endpoint",
      label: "a workload role session through a VPC endpoint (no aws:SourceIp)",
      principalArn: workload,
      requests: requests({
        principalArn: workload,
        actions: WORKLOAD_ACTIONS,
        mfa: "false",
        networks: ["vpc-endpoint"],
        regions: [home],
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "sso-session",
      label: "an Identity Center (SSO) session",
      principalArn: sso,
      requests: requests({ principalArn: sso, actions: ADMIN_ACTIONS.slice(1, 3), mfa: "false", ...human }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "service-linked-role",
      label: "a service-linked role (AWSServiceRoleForConfig)",
      principalArn: slr,
      requests: requests({
        principalArn: slr,
        actions: AUDIT_SETUP_ACTIONS,
        mfa: undefined,
        networks: ["inside"],
        regions: [home],
        extra: { "aws:ViaAWSService": "false", "aws:PrincipalIsAWSService": "false" },
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    ...[
      { id: "stacksets-execution-role", who: "a CloudFormation StackSets execution role", arn: stackSets },
      { id: "control-tower-execution", who: "Control Tower (AWSControlTowerExecution)", arn: controlTower },
    ].map(({ id, who, arn }): Probe => {
      const automation = covers(params.AuditAutomationArns, arn);
      return {
        id,
        label: `${who} setting up audit services`,
        principalArn: arn,
        requests: requests({ principalArn: arn, actions: AUDIT_SETUP_ACTIONS, mfa: "false", ...human }),
        // Named in the audit automation list: protect-audit must let it through.
        expect: automation || !protectAudit ? "ALLOW" : "ANY",
        strictness: automation ? "managed" : "advisory",
      };
    }),
    {
      id: "member-admin-stops-audit",
      label: "a member-account administrator stopping CloudTrail and GuardDuty",
      principalArn: memberAdmin,
      requests: requests({
        principalArn: memberAdmin,
        actions: [
          AUDIT_SETUP_ACTIONS[0] as [string, string],
          ["cloudtrail:StopLogging", AUDIT_SETUP_ACTIONS[0]?.[1] as string],
          // The Service Authorization Reference gives CreateFilter no resource type: "*".
          ["guardduty:CreateFilter", "*"],
        ],
        mfa: "false",
        ...human,
      }),
      expect: protectAudit ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "member-admin-rewrites-exempt-role",
      label: `a member-account administrator rewriting the trust policy of ${params.RoleName}`,
      principalArn: memberAdmin,
      requests: requests({
        principalArn: memberAdmin,
        actions: [
          ["iam:UpdateAssumeRolePolicy", `arn:\${Partition}:iam::\${Account}:role/${params.RoleName}`],
          ["iam:AttachRolePolicy", `arn:\${Partition}:iam::\${Account}:role/${params.RoleName}`],
        ],
        mfa: "false",
        ...human,
      }),
      expect: inEffect.has("protect-exempt-roles") ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "user-enrol-mfa",
      label: "IAM user without MFA enrolling an MFA device",
      principalArn: user,
      requests: requests({
        principalArn: user,
        actions: MFA_ENROLMENT_ACTIONS,
        mfa: "false",
        extra: userKeys,
        ...human,
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "user-change-password",
      label: "IAM user without MFA changing an expired password",
      principalArn: user,
      requests: requests({
        principalArn: user,
        actions: PASSWORD_CHANGE_ACTIONS,
        mfa: "false",
        extra: userKeys,
        ...human,
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "mfa-exempt-keys-user",
      label: `a keys-only IAM user tagged ${params.MfaExemptTagKey}=true (CI, SES SMTP)`,
      principalArn: ciUser,
      requests: requests({
        principalArn: ciUser,
        actions: WORKLOAD_ACTIONS,
        mfa: undefined,
        extra: { "aws:username": "ci-deployer", ...mfaTag },
        ...human,
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "untagged-keys-user",
      label: "a keys-only IAM user without the MFA-exempt tag",
      principalArn: ciUser,
      requests: requests({
        principalArn: ciUser,
        actions: WORKLOAD_ACTIONS,
        mfa: undefined,
        extra: { "aws:username": "ci-deployer", [`aws:PrincipalTag/${params.MfaExemptTagKey}`]: "false" },
        ...human,
      }),
      expect: requireMfa ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "member-admin-sets-exempt-tag",
      label: `a member-account administrator setting ${params.MfaExemptTagKey}`,
      principalArn: memberAdmin,
      requests: [
        ...requests({
          principalArn: memberAdmin,
          actions: [
            ["iam:TagUser", "arn:${Partition}:iam::${Account}:user/alice"],
            ["iam:CreateUser", "arn:${Partition}:iam::${Account}:user/new-user"],
          ],
          mfa: "false",
          extra: { "aws:TagKeys": [params.MfaExemptTagKey] },
          ...human,
        }),
      ],
      expect: requireMfa ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "orgwarden-sets-exempt-tag",
      label: `orgwarden's role tagging a keys-only user ${params.MfaExemptTagKey}=true`,
      principalArn: toolRoleArn(params, s),
      requests: requests({
        principalArn: toolRoleArn(params, s),
        actions: [
          ["iam:TagUser", "arn:${Partition}:iam::${Account}:user/ci-deployer"],
          ["iam:UntagUser", "arn:${Partition}:iam::${Account}:user/ci-deployer"],
        ],
        mfa: "false",
        extra: { "aws:TagKeys": [params.MfaExemptTagKey] },
        networks: ["outside"],
        regions: [home],
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "user-no-mfa",
      label: "IAM user without MFA calling s3:ListAllMyBuckets",
      principalArn: user,
      requests: [
        ...requests({
          principalArn: user,
          actions: [["s3:ListAllMyBuckets", "*"]],
          mfa: "false",
          extra: userKeys,
          ...human,
        }),
        // Long-term access keys carry no MFA key at all: BoolIfExists must deny them too.
        ...requests({
          principalArn: user,
          actions: [["s3:ListAllMyBuckets", "*"]],
          mfa: undefined,
          extra: userKeys,
          ...human,
        }),
      ],
      expect: requireMfa ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "user-with-mfa",
      label: "IAM user signed in with MFA",
      principalArn: user,
      requests: requests({
        principalArn: user,
        actions: [["s3:ListAllMyBuckets", "*"], ["ec2:DescribeInstances", "*"], ...PASSWORD_CHANGE_ACTIONS],
        mfa: "true",
        extra: { ...userKeys, "aws:MultiFactorAuthAge": "300" },
        ...human,
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "root-user",
      label: "the root user",
      principalArn: root,
      requests: requests({
        principalArn: root,
        actions: [
          ["s3:ListAllMyBuckets", "*"],
          ["iam:CreateAccessKey", "*"],
        ],
        mfa: undefined,
        ...human,
      }),
      expect: denyRoot ? "DENY" : "ANY",
      strictness: "managed",
    },
    {
      id: "assume-root",
      label: "a centralized-root (AssumeRoot) session",
      principalArn: root,
      requests: requests({
        principalArn: root,
        actions: [
          ["iam:DeleteLoginProfile", "*"],
          ["iam:ListMFADevices", "*"],
        ],
        mfa: "false",
        extra: { "aws:AssumedRoot": "true" },
        ...human,
      }),
      expect: denyRoot ? (params.ExemptAssumeRoot ? "ALLOW" : "DENY") : "ANY",
      strictness: "managed",
    },
  );
  if (restrictNetwork) {
    probes.push(...networkProbes(params, s, requests, { user, home, userKeys }));
    probes.push({
      id: "user-outside-network",
      label: `IAM user with MFA from outside the allowed networks (${PROBE_SOURCE_IP})`,
      principalArn: user,
      requests: requests({
        principalArn: user,
        actions: [["s3:ListAllMyBuckets", "*"]],
        mfa: "true",
        networks: ["outside"],
        regions: [home],
        extra: userKeys,
      }),
      expect: "DENY",
      strictness: "managed",
    });
  }
  return probes;
}

/** Who must pass restrict-source-ip although the request comes from outside the allowed ranges. */
function networkProbes(
  params: ScpParameters,
  s: ProbeSetting,
  requests: MakeRequests,
  at: { user: string; home: string; userKeys: Record<string, string> },
): Probe[] {
  const p = params.Partition;
  const cfnRole = `arn:${p}:iam::${s.account}:role/cfn-service-role`;
  const probes: Probe[] = [
    {
      id: "cloudformation-service-role",
      label: `a CloudFormation service role tagged ${params.NetworkExemptTagKey}=true, called from CloudFormation's address`,
      principalArn: cfnRole,
      requests: requests({
        principalArn: cfnRole,
        actions: [
          ["ec2:DescribeInstances", "*"],
          ["s3:GetObject", "arn:${Partition}:s3:::app-templates/template.yaml"],
        ],
        mfa: undefined,
        networks: ["service"],
        regions: [at.home],
        extra: { [`aws:PrincipalTag/${params.NetworkExemptTagKey}`]: "true" },
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "via-aws-service",
      label:
        "an AWS service acting with the caller's credentials (aws:ViaAWSService, from the service's address)",
      principalArn: at.user,
      requests: requests({
        principalArn: at.user,
        actions: [["s3:GetObject", "arn:${Partition}:s3:::app-templates/template.yaml"]],
        mfa: "true",
        networks: ["service"],
        regions: [at.home],
        extra: {
          ...at.userKeys,
          "aws:ViaAWSService": "true",
          "aws:CalledVia": ["cloudformation.amazonaws.com"],
        },
      }),
      expect: "ALLOW",
      strictness: "managed",
    },
  ];
  const memberAdmin = `arn:${p}:iam::${s.account}:role/member-admin`;
  probes.push({
    id: "member-admin-sets-network-exempt-tag",
    label: `a member-account administrator setting ${params.NetworkExemptTagKey} on a role or session`,
    principalArn: memberAdmin,
    requests: requests({
      principalArn: memberAdmin,
      actions: [
        ["iam:TagRole", "arn:${Partition}:iam::${Account}:role/app-workload"],
        ["sts:TagSession", "arn:${Partition}:iam::${Account}:role/app-workload"],
      ],
      mfa: "false",
      networks: ["inside"],
      regions: [at.home],
      // Tag keys are case-insensitive in IAM: a differently cased key must be caught too.
      extra: { "aws:TagKeys": [params.NetworkExemptTagKey.toUpperCase()] },
    }),
    expect: "DENY",
    strictness: "managed",
  });
  if (params.AllowedCidrs.some((c) => c.includes(":"))) {
    probes.push({
      id: "user-inside-ipv6",
      label: "IAM user with MFA from inside an allowed IPv6 range",
      principalArn: at.user,
      requests: requests({
        principalArn: at.user,
        actions: [["s3:ListAllMyBuckets", "*"]],
        mfa: "true",
        networks: ["inside-v6"],
        regions: [at.home],
        extra: at.userKeys,
      }),
      expect: "ALLOW",
      strictness: "managed",
    });
  }
  if (params.HasAllowedVpcs) {
    probes.push({
      id: "other-vpc-endpoint",
      label: "a role session through a VPC endpoint of a VPC not in the allow-list",
      principalArn: `arn:${p}:iam::${s.account}:role/app-workload`,
      requests: requests({
        principalArn: `arn:${p}:iam::${s.account}:role/app-workload`,
        actions: WORKLOAD_ACTIONS,
        mfa: "false",
        networks: ["other-vpc-endpoint"],
        regions: [at.home],
      }),
      expect: "DENY",
      strictness: "managed",
    });
  }
  return probes;
}

/** orgwarden's role in the probe account: IAM's own ARN where the plan found it, else built from the name. */
function toolRoleArn(params: ScpParameters, s: ProbeSetting): string {
  return s.toolRoleArn ?? `arn:${params.Partition}:iam::${s.account}:role/${params.RoleName}`;
}

/**
 * orgwarden's own centralized-root sessions (`root status`, `root remove-credentials`, `run`'s
 * root: entries): aws:PrincipalArn is the member account's root and aws:AssumedRoot is true. They
 * come from wherever the runner is — the scheduled task's address, a laptop — so they are probed
 * from outside every allowed range and through a VPC endpoint: a runner inside the ranges is the
 * easy case. The actions are the ones the AssumeRoot task policies allow, from the catalogue.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-assumedroot
 */
function rootSessionProbe(params: ScpParameters, s: ProbeSetting, requests: MakeRequests): Probe {
  const root = `arn:${params.Partition}:iam::${s.account}:root`;
  return {
    id: "orgwarden-root-session",
    label: "orgwarden's centralized-root (AssumeRoot) sessions from the runner's address",
    principalArn: root,
    requests: requests({
      principalArn: root,
      actions: AWS_ACTIONS.filter((a) => a.grantedBy !== undefined).map((a) => [a.action, "*"]),
      mfa: "false",
      networks: ["outside", "vpc-endpoint"],
      regions: s.regions,
      extra: { "aws:AssumedRoot": "true" },
    }),
    // --block-assume-root asks for these sessions to be denied: orgwarden's root commands with them.
    expect: params.ExemptAssumeRoot ? "ALLOW" : "ANY",
    strictness: "managed",
  };
}

/**
 * The library policies that exempt principals by ARN pattern, and which patterns each exempts
 * (render-policy.test.ts fails when a template that uses the exempt lists is missing here).
 */
const EXEMPTING_POLICIES: ReadonlyArray<{ name: string; automation: boolean }> = [
  { name: "require-mfa", automation: false },
  { name: "restrict-source-ip", automation: false },
  { name: "protect-audit", automation: true },
  { name: "protect-exempt-roles", automation: true },
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

/**
 * An exemption by name goes to whoever can create the name: a member-account administrator who
 * creates a role called stacksets-exec-anything, or a user under user/break-glass/, would hold the
 * exemption. Every exempting policy denies that (ProtectExemptPrincipals); these probes check it
 * for every pattern in effect. Creating a role or user names the new principal's ARN, with its path,
 * as the resource, and renaming a user needs permission on the new name too.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html
 */
function claimProbes(
  params: ScpParameters,
  inEffect: ReadonlySet<string>,
  s: ProbeSetting,
  requests: MakeRequests,
): Probe[] {
  const exempting = EXEMPTING_POLICIES.filter(
    (e) => inEffect.has(e.name) && (s.ownPolicies?.includes(e.name) ?? true),
  );
  const patterns = new Set(params.ExemptPrincipalArns);
  // Without an exempting policy the probes still run (with no expectation) over every pattern.
  if (exempting.length === 0 || exempting.some((e) => e.automation)) {
    for (const a of params.AuditAutomationArns) patterns.add(a);
  }
  const memberAdmin = `arn:${params.Partition}:iam::${s.account}:role/member-admin`;
  const expect = exempting.length > 0 ? "DENY" : "ANY";
  // Roles under role/aws-reserved/ belong to Identity Center, which alone creates and changes them
  // (IAM refuses the writes from the account; the independent simulator of
  // docs/evaluator-differential.md judges them the same way): nobody in the account can claim them.
  // https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
  const claimed = [...patterns]
    .filter((pattern) => !/:role\/aws-reserved\//.test(pattern))
    .map((pattern) => claimedArn(pattern, s.account));
  const roles = claimed.filter((arn) => /:role\//.test(arn));
  const users = claimed.filter((arn) => /:user\//.test(arn));
  const probes: Probe[] = [];
  const make = (actions: string[], arns: string[]) =>
    requests({
      principalArn: memberAdmin,
      actions: arns.flatMap((arn) => actions.map((action): [string, string] => [action, arn])),
      mfa: "false",
      networks: ["inside"],
      regions: [s.regions[0] ?? "us-east-1"],
    });
  if (roles.length > 0) {
    probes.push({
      id: "member-admin-claims-exempt-role",
      label: "a member-account administrator creating, re-trusting or passing a role named like an exemption",
      principalArn: memberAdmin,
      requests: make([...CLAIM_ROLE_ACTIONS], roles),
      expect,
      strictness: "managed",
    });
  }
  if (users.length > 0) {
    probes.push({
      id: "member-admin-claims-exempt-user",
      label:
        "a member-account administrator creating, renaming or giving credentials to a user named like an exemption",
      principalArn: memberAdmin,
      requests: make([...CLAIM_USER_ACTIONS], users),
      expect,
      strictness: "managed",
    });
  }
  return probes;
}

/** A principal a member-account administrator could create to match an exempt pattern. */
function claimedArn(pattern: string, account: string): string {
  // A wildcard inside a name is where an administrator picks the rest of it.
  const parts = pattern.split(":");
  const name = parts
    .slice(5)
    .join(":")
    .replace(/(?<=[^/])\*/g, "claimed");
  return examplePrincipalArn([...parts.slice(0, 5), name].join(":"), account);
}

/**
 * aws:ResourceAccount, aws:ResourceOrgID and aws:ResourceOrgPaths: AWS puts them in the request
 * context whenever the resource's account is in an organization (the page lists the few
 * cross-account actions where it does not; orgwarden calls none of them). Without them a resource
 * perimeter (`StringNotEqualsIfExists aws:ResourceOrgID`, AWS's data-perimeter example) would deny
 * every probe although AWS would allow the call. Resources owned by AWS (account "aws" in the ARN,
 * e.g. AWS managed policies) belong to no organization: none of the three is set.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgpaths
 */
function resourceKeys(resource: string, s: ProbeSetting): Record<string, KeyValue> {
  const owner = resource.startsWith("arn:") ? resource.split(":")[4] : "";
  if (owner === "aws") return {};
  return {
    "aws:ResourceAccount": owner && /^\d{12}$/.test(owner) ? owner : s.account,
    "aws:ResourceOrgID": s.organizationId,
    ...(s.orgPath ? { "aws:ResourceOrgPaths": [s.orgPath] } : {}),
  };
}

function principalKeys(principalArn: string, s: ProbeSetting, region: string): Record<string, KeyValue> {
  const type = /:root$/.test(principalArn)
    ? "Account"
    : /:user\//.test(principalArn)
      ? "User"
      : "AssumedRole";
  return {
    "aws:PrincipalArn": principalArn,
    "aws:PrincipalAccount": s.account,
    "aws:PrincipalOrgID": s.organizationId,
    "aws:PrincipalType": type,
    "aws:PrincipalIsAWSService": "false",
    "aws:RequestedRegion": region,
    "aws:SecureTransport": "true",
    "aws:ViaAWSService": "false",
  };
}

interface NetworkAddresses {
  inside: string;
  insideV6: string | undefined;
  vpc: string;
}

/** The first address of the first allowed IPv4 (and IPv6) range, and the first allowed VPC. */
function networkAddresses(params: ScpParameters): NetworkAddresses {
  const v4 = params.AllowedCidrs.find((c) => !c.includes(":"));
  const v6 = params.AllowedCidrs.find((c) => c.includes(":"));
  return {
    inside: v4?.split("/")[0] ?? (v6 ? (v6.split("/")[0] as string) : PROBE_SOURCE_IP),
    insideV6: v6?.split("/")[0],
    vpc: params.AllowedVpcs[0] ?? PROBE_VPC,
  };
}

function networkKeys(network: Network, where: NetworkAddresses): Record<string, string> {
  switch (network) {
    case "vpc-endpoint":
      return { "aws:SourceVpc": where.vpc, "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" };
    case "other-vpc-endpoint":
      return { "aws:SourceVpc": PROBE_OTHER_VPC, "aws:SourceVpce": "vpce-0fedcba9876543210" };
    case "inside":
      return { "aws:SourceIp": where.inside };
    case "inside-v6":
      return { "aws:SourceIp": where.insideV6 ?? where.inside };
    case "service":
      return { "aws:SourceIp": PROBE_SERVICE_IP };
    default:
      return { "aws:SourceIp": PROBE_SOURCE_IP };
  }
}

/** True when an ARN pattern of the parameters (wildcards allowed) covers the principal. */
function covers(patterns: readonly string[], principalArn: string): boolean {
  return patterns.some((p) => matchesPattern(p, "arn", principalArn, undefined));
}
