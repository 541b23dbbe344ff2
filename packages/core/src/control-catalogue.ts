import type { ControlId } from "./controls.js";

/**
 * The control catalogue: one entry per control of the report, in one place. The framework ids come
 * from the "Related requirements" of each AWS Security Hub control page (which names the CIS AWS
 * Foundations Benchmark ids for v3.0.0 and v5.0.0, the newest version Security Hub supports), the
 * managed rule from the AWS Config rule page it links. Severity is Security Hub's.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html
 */
export interface ControlEntry {
  id: ControlId;
  title: string;
  severity: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL";
  /** Regional controls are judged in every region the account uses; global ones once. */
  scope: "global" | "regional";
  /** The AWS Config managed rule the direct check mirrors (its identifier), if any. */
  configRule: string | null;
  securityHub: string[];
  cis: { "3.0": string[]; "5.0": string[] };
  remediation: string;
  /** The AWS page that defines the control's evaluation. */
  link: string;
}

const IAM = "https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html";
const ROOT_ACCESS =
  "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management";

export const CONTROL_CATALOGUE: readonly ControlEntry[] = [
  {
    id: "root-mfa",
    title: "MFA is enabled for the root user",
    severity: "CRITICAL",
    scope: "global",
    configRule: "ROOT_ACCOUNT_MFA_ENABLED",
    securityHub: ["IAM.9"],
    cis: { "3.0": ["1.5"], "5.0": ["1.4"] },
    remediation:
      "Sign in as the root user and assign an MFA device, or remove the root credentials with IAM centralized root access, after which the control is not applicable.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html",
  },
  {
    id: "root-hardware-mfa",
    title: "Hardware MFA is enabled for the root user",
    severity: "CRITICAL",
    scope: "global",
    configRule: "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
    securityHub: ["IAM.6"],
    cis: { "3.0": ["1.6"], "5.0": ["1.5"] },
    remediation:
      "Replace the root user's virtual MFA device with a hardware (FIDO or TOTP token) device, or remove the root credentials with centralized root access.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/root-account-hardware-mfa-enabled.html",
  },
  {
    id: "root-access-keys",
    title: "The root user has no access keys",
    severity: "CRITICAL",
    scope: "global",
    configRule: "IAM_ROOT_ACCESS_KEY_CHECK",
    securityHub: ["IAM.4"],
    cis: { "3.0": ["1.4"], "5.0": ["1.3"] },
    remediation:
      "Delete the root user's access keys (Security credentials page as root, or centralized root access), and attach deny-root-access-keys so no new ones can be made.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/iam-root-access-key-check.html",
  },
  {
    id: "password-policy",
    title: "The IAM password policy meets the configured requirements",
    severity: "MEDIUM",
    scope: "global",
    configRule: "IAM_PASSWORD_POLICY",
    securityHub: ["IAM.7", "IAM.15", "IAM.16"],
    cis: { "3.0": ["1.8", "1.9"], "5.0": ["1.7", "1.8"] },
    remediation:
      "Set the account password policy (iam update-account-password-policy) to at least the configured minimum length, character classes, reuse prevention and maximum age; passwordPolicy: in orgwarden.yaml sets them for both the check and the deployed rule.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/iam-password-policy.html",
  },
  {
    id: "iam-user-mfa",
    title: "Every IAM user with a console password has MFA",
    severity: "MEDIUM",
    scope: "global",
    configRule: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
    securityHub: ["IAM.5"],
    cis: { "3.0": ["1.10"], "5.0": ["1.9"] },
    remediation:
      "Have each listed user enable an MFA device, or remove their console password; require-mfa denies them everything else until they do.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/mfa-enabled-for-iam-console-access.html",
  },
  {
    id: "mfa-policy-in-use",
    title: "The deny-unless-MFA IAM policy is attached to a user, role or non-empty group",
    severity: "MEDIUM",
    scope: "global",
    configRule: "IAM_POLICY_IN_USE",
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Create the MFA policy (deploy-rules --ensure-iam-policy) and attach it to the groups your IAM users belong to.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-in-use.html",
  },
  {
    id: "scp-require-mfa",
    title: "orgwarden's require-mfa SCP applies to the account, as the library renders it",
    severity: "HIGH",
    scope: "global",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Attach require-mfa to the account's OU (orgwarden apply-scp --ou ID --policy require-mfa); a drifted copy is put back by the same command.",
    link: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html",
  },
  {
    id: "scp-deny-root",
    title: "orgwarden's deny-root-user SCP applies to the account, as the library renders it",
    severity: "HIGH",
    scope: "global",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Attach deny-root-user to the account's OU (orgwarden apply-scp --ou ID --policy deny-root-user); a drifted copy is put back by the same command.",
    link: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html",
  },
  ...(
    [
      [
        "rcp-identity-perimeter",
        "identity-perimeter",
        "principals outside the organization cannot use its resources",
        "HIGH",
      ],
      ["rcp-secure-transport", "secure-transport", "its resources answer HTTPS requests only", "MEDIUM"],
      [
        "rcp-confused-deputy",
        "confused-deputy",
        "AWS services act on its resources only for the organization",
        "MEDIUM",
      ],
      [
        "rcp-trusted-oidc",
        "trusted-oidc-providers",
        "only trusted OIDC providers' tokens assume its roles",
        "MEDIUM",
      ],
    ] as const
  ).map(
    ([id, policy, what, severity]): ControlEntry => ({
      id,
      title: `orgwarden's ${policy} RCP applies to the account, as the library renders it: ${what}`,
      severity,
      scope: "global",
      configRule: null,
      securityHub: [],
      cis: { "3.0": [], "5.0": [] },
      remediation: `Attach ${policy} to the account's OU (orgwarden apply-rcp --ou ID --policy ${policy}); a drifted copy is put back by the same command.`,
      link: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html",
    }),
  ),
  {
    id: "rcp-exempt-resource",
    title:
      "A member-account resource exempted by tag from an orgwarden RCP that applies to it (listed for review)",
    severity: "INFORMATIONAL",
    scope: "regional",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Review each exemption: only a resource that outsiders, plain HTTP or services acting for other accounts must reach should carry the tag; remove it (as orgwarden's role or an exempt principal) from any other.",
    link: "https://github.com/aws-samples/data-perimeter-policy-examples#tagging-conventions-and-governance",
  },
  {
    id: "cloudtrail-enabled",
    title: "A multi-region trail logs read and write management events",
    severity: "HIGH",
    scope: "global",
    configRule: "MULTI_REGION_CLOUD_TRAIL_ENABLED",
    securityHub: ["CloudTrail.1"],
    cis: { "3.0": ["3.1"], "5.0": ["3.1"] },
    remediation:
      "Create an organization trail in the management account (multi-region, management events read and write, no excluded event sources), or a multi-region trail in the account, and keep it logging.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/multi-region-cloudtrail-enabled.html",
  },
  {
    id: "guardduty-enabled",
    title: "GuardDuty is enabled in every region the account uses",
    severity: "HIGH",
    scope: "regional",
    configRule: "GUARDDUTY_ENABLED_CENTRALIZED",
    securityHub: ["GuardDuty.1"],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Enable GuardDuty for the organization from the delegated administrator with auto-enable, in every region named in the reason.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/guardduty-enabled-centralized.html",
  },
  {
    id: "config-recorder",
    title: "AWS Config records all resources in every region, with a delivery channel",
    severity: "CRITICAL",
    scope: "regional",
    configRule: null,
    securityHub: ["Config.1"],
    cis: { "3.0": ["3.3"], "5.0": ["3.3"] },
    remediation:
      "In each region named, create a configuration recorder for all supported resource types with AWS Config's service-linked role (AWSServiceRoleForConfig) and a delivery channel, start recording, and record global (IAM) resource types in one region.",
    link: "https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1",
  },
  {
    id: "iam-user-no-policies",
    title: "IAM users get permissions only through groups",
    severity: "LOW",
    scope: "global",
    configRule: "IAM_USER_NO_POLICIES_CHECK",
    securityHub: ["IAM.2"],
    cis: { "3.0": ["1.15"], "5.0": ["1.14"] },
    remediation: "Move policies attached to users onto groups and add the users to those groups.",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/iam-user-no-policies-check.html",
  },
  {
    id: "mfa-exempt-user",
    title: "An IAM user exempted from require-mfa by tag (listed for review)",
    severity: "INFORMATIONAL",
    scope: "global",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Review each exemption: only keys-only users that cannot do MFA (CI, SES SMTP) should carry the tag; remove it (as orgwarden's role or an exempt principal) from any other.",
    link: IAM,
  },
  {
    id: "root-credentials-centralized",
    title:
      "Centralized root access is on for the organization (member root credentials managed from the management account)",
    severity: "HIGH",
    scope: "global",
    configRule: null,
    // Security Hub has no control for it; CIS AWS Foundations v7.0 adds one (2.1.1), which
    // Security Hub does not support yet: no framework id is claimed here.
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Run orgwarden root enable from the management account: trusted access for IAM, then RootCredentialsManagement and RootSessions.",
    link: ROOT_ACCESS,
  },
  {
    id: "root-credentials-present",
    title: "A member account's root user has no password, access keys or signing certificates",
    severity: "HIGH",
    scope: "global",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Run orgwarden root remove-credentials --ou <OU>: it deletes the root password, access keys and signing certificates and deactivates MFA in AssumeRoot sessions; IAMCreateRootUserPassword can recover the password when a task needs root.",
    link: ROOT_ACCESS,
  },
  {
    id: "policy-slots",
    title:
      "A root, OU or account has room for one more policy of each enabled type (NON_COMPLIANT at the quota, COMPLIANT with a warning one slot from it)",
    severity: "LOW",
    scope: "global",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Merge or detach policies on the target (orgwarden policies --ou <target> lists them with their owners), or attach them one level up: a full target refuses the next policy of that type, orgwarden's included.",
    link: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
  },
  {
    id: "effective-policy-valid",
    title: "The account's effective management policies are valid (ListAccountsWithInvalidEffectivePolicy)",
    severity: "MEDIUM",
    scope: "global",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Fix the contributing policies the row names (orgwarden policies --output json lists each validation error with its path): an invalid effective policy is not fully enforced on the account.",
    link: "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_effective.html",
  },
  // The guardrails source: account settings an S3 organization policy or the EC2 declarative policy
  // enforce, read in each account; each row says which mechanism holds the setting.
  {
    id: "s3-account-public-access-block",
    title: "S3 Block Public Access is on at the account level (all four settings)",
    severity: "MEDIUM",
    scope: "global",
    configRule: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
    securityHub: ["S3.1"],
    cis: { "3.0": ["2.1.4"], "5.0": ["2.1.4"] },
    remediation:
      "Attach an S3 organization policy (S3_POLICY) with public_access_block_configuration all to the account's OU (orgwarden apply-s3-policy --ou ID --block-public-access all): it turns the four settings on and keeps account administrators from turning them off; or turn them on in the account (s3control put-public-access-block).",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/s3-account-level-public-access-blocks-periodic.html",
  },
  {
    id: "imdsv2-default",
    title: "New EC2 instances default to IMDSv2 only (the account's instance metadata defaults)",
    severity: "MEDIUM",
    scope: "regional",
    // A default, not ec2-imdsv2-check (EC2.8), which judges each instance: no rule is mirrored.
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Attach an EC2 declarative policy with instance_metadata_defaults.http_tokens required to the account's OU (orgwarden apply-ec2-policy --ou ID --imds-http-tokens required, with the OU's other EC2 settings: one orgwarden EC2 policy per target holds them all), or set the account's default in each region named (ec2 modify-instance-metadata-defaults --http-tokens required); instances already running keep their own setting.",
    link: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html",
  },
  {
    id: "ebs-snapshot-block-public-access",
    title: "EBS snapshot block public access blocks all public sharing",
    severity: "MEDIUM",
    scope: "regional",
    configRule: "EBS_SNAPSHOT_BLOCK_PUBLIC_ACCESS",
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Attach an EC2 declarative policy with snapshot_block_public_access block_all_sharing to the account's OU (orgwarden apply-ec2-policy --ou ID --snapshot-block-public-access block-all-sharing, with the OU's other EC2 settings), or turn it on in each region named (ec2 enable-snapshot-block-public-access --state block-all-sharing).",
    link: "https://docs.aws.amazon.com/config/latest/developerguide/ebs-snapshot-block-public-access.html",
  },
  {
    id: "ami-block-public-access",
    title: "AMI block public access blocks new public sharing of images",
    severity: "MEDIUM",
    scope: "regional",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Attach an EC2 declarative policy with image_block_public_access block_new_sharing to the account's OU (orgwarden apply-ec2-policy --ou ID --image-block-public-access block-new-sharing, with the OU's other EC2 settings), or turn it on in each region named (ec2 enable-image-block-public-access); AMIs already public stay public until unshared.",
    link: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html",
  },
  {
    id: "serial-console-disabled",
    title: "The EC2 serial console cannot be used",
    severity: "LOW",
    scope: "regional",
    configRule: null,
    securityHub: [],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Attach an EC2 declarative policy with serial_console_access disabled to the account's OU (orgwarden apply-ec2-policy --ou ID --serial-console disabled, with the OU's other EC2 settings), or disable it in each region named (ec2 disable-serial-console-access).",
    link: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-serial-console.html",
  },
  {
    id: "vpc-block-public-access",
    title: "VPC Block Public Access blocks internet gateway traffic (ingress or both ways)",
    severity: "MEDIUM",
    scope: "regional",
    configRule: null,
    securityHub: ["EC2.172"],
    cis: { "3.0": [], "5.0": [] },
    remediation:
      "Attach an EC2 declarative policy with vpc_block_public_access mode block_ingress (or block_bidirectional) to the account's OU (orgwarden apply-ec2-policy --ou ID --vpc-block-public-access block-ingress, with the OU's other EC2 settings; --vpc-exclusions enabled lets accounts exclude VPCs), or set it in each region named (ec2 modify-vpc-block-public-access-options); VPCs that need the internet are excluded in the account.",
    link: "https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-172",
  },
];

/** The catalogue entry of a control. */
export function controlEntry(id: ControlId): ControlEntry {
  const entry = CONTROL_CATALOGUE.find((c) => c.id === id);
  if (!entry) throw new Error(`control ${id} is missing from the control catalogue`);
  return entry;
}

/** Framework ids of a control, e.g. "CIS-3.0:1.5;CIS-5.0:1.4;SecurityHub:IAM.9". */
export function frameworkIds(entry: ControlEntry): string {
  return [
    ...entry.cis["3.0"].map((id) => `CIS-3.0:${id}`),
    ...entry.cis["5.0"].map((id) => `CIS-5.0:${id}`),
    ...entry.securityHub.map((id) => `SecurityHub:${id}`),
  ].join(";");
}
