import { OrgwardenError } from "./errors.js";

/**
 * The catalogue of AWS Organizations policy types: every value of the SDK's `PolicyType`
 * (@aws-sdk/client-organizations 3.1169: 15 types), with what each governs, its page and its default
 * quotas. A test keeps the list equal to the SDK's enum, so a type AWS adds fails it until it is here.
 *
 * The quotas are the defaults of AWS's quotas page ("Number of policies that you can attach to an
 * entity" and "Maximum size of a policy document"); AWS calls every per-target limit a hard limit,
 * but reads them from Service Quotas first all the same (policy-quotas in the report package), as
 * they have been raised before. Where the page gives no figure for a type, the entry says so: its
 * value is orgwarden's assumption, labelled `assumed`, never presented as AWS's.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies.html
 */
export const POLICY_TYPES = [
  "AISERVICES_OPT_OUT_POLICY",
  "BACKUP_POLICY",
  "BEDROCK_POLICY",
  "CHATBOT_POLICY",
  "DECLARATIVE_POLICY_EC2",
  "GUARDDUTY_POLICY",
  "INSPECTOR_POLICY",
  "NETWORK_SECURITY_DIRECTOR_POLICY",
  "RESOURCE_CONTROL_POLICY",
  "S3_POLICY",
  "SECURITYHUB_CSPM_POLICY",
  "SECURITYHUB_POLICY",
  "SERVICE_CONTROL_POLICY",
  "TAG_POLICY",
  "UPGRADE_ROLLOUT_POLICY",
] as const;

export type PolicyTypeName = (typeof POLICY_TYPES)[number];

/** A default quota: AWS's published figure, or orgwarden's assumption where AWS publishes none. */
export type QuotaFigure =
  | { value: number; basis: "documented" }
  | { value: number; basis: "assumed"; why: string };

export interface PolicyTypeEntry {
  type: PolicyTypeName;
  /** A short name for tables: `SCP`, `tag`, `S3 BPA`. */
  label: string;
  /** What a policy of this type governs, in a line. */
  governs: string;
  /** AWS's page for the type. */
  page: string;
  /** Authorization policies limit what principals (SCP) or resources (RCP) may do; management policies configure services. */
  category: "authorization" | "management";
  /** The type has effective policies (the SDK's EffectivePolicyType), and so invalid ones to list. */
  effectivePolicies: boolean;
  /** Policies of the type attached directly to one root, OU or account (inherited ones do not count). */
  perTarget: QuotaFigure;
  /** Characters of one policy document. */
  maxSize: QuotaFigure;
  /** Matches the type in a Service Quotas quota name ("… service control policies …"). */
  quotaName: RegExp;
}

const PAGES = "https://docs.aws.amazon.com/organizations/latest/userguide";
const documented = (value: number): QuotaFigure => ({ value, basis: "documented" });

/**
 * Types the quotas page has no row for: 5 per target is assumed, the smallest figure AWS gives any
 * type, so that slots left is never overstated; their size, 10,000 characters, is what AWS gives
 * every other management type but AI opt-out (the CloudFormation reference of
 * AWS::Organizations::Policy gives it for Inspector, Bedrock and upgrade rollout policies).
 */
const UNPUBLISHED_PER_TARGET: QuotaFigure = {
  value: 5,
  basis: "assumed",
  why: "AWS's quotas page gives no per-target figure for this type: 5 is assumed, the smallest any type has",
};
const CFN_SIZE = documented(10_000);
const UNPUBLISHED_SIZE: QuotaFigure = {
  value: 10_000,
  basis: "assumed",
  why: "AWS publishes no maximum size for this type: 10,000 characters is assumed, as for most management types",
};

const ENTRIES: readonly PolicyTypeEntry[] = [
  {
    type: "SERVICE_CONTROL_POLICY",
    label: "SCP",
    governs:
      "the most any principal of a member account may do (IAM users and roles, not the management account)",
    page: `${PAGES}/orgs_manage_policies_scps.html`,
    category: "authorization",
    effectivePolicies: false,
    // 10 per target since 15 May 2026 (5 before). The size: one copy of the quotas page says 10,240
    // characters since then, AWS's other pages still say 5,120. The lower is the default, so no plan
    // passes a size AWS could refuse halfway through an apply; Service Quotas' figure wins when read.
    perTarget: documented(10),
    maxSize: documented(5_120),
    quotaName: /service control polic|\bscps?\b/,
  },
  {
    type: "RESOURCE_CONTROL_POLICY",
    label: "RCP",
    governs: "the most any member-account resource may allow, whoever calls",
    page: `${PAGES}/orgs_manage_policies_rcps.html`,
    category: "authorization",
    effectivePolicies: false,
    // RCPFullAWSAccess is attached everywhere once the type is enabled and counts toward the 5.
    perTarget: documented(5),
    maxSize: documented(5_120),
    quotaName: /resource control polic|\brcps?\b/,
  },
  {
    type: "DECLARATIVE_POLICY_EC2",
    label: "declarative EC2",
    governs:
      "EC2 settings enforced at the service: image and snapshot block public access, IMDS defaults, serial console, VPC block public access",
    page: `${PAGES}/orgs_manage_policies_declarative.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: documented(10),
    maxSize: documented(10_000),
    quotaName: /declarative/,
  },
  {
    type: "S3_POLICY",
    label: "S3 BPA",
    governs: "S3 Block Public Access at the organization level (account settings can no longer be changed)",
    page: `${PAGES}/orgs_manage_policies_s3.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: UNPUBLISHED_PER_TARGET,
    maxSize: UNPUBLISHED_SIZE,
    quotaName: /\bs3 polic|amazon s3 polic/,
  },
  {
    type: "TAG_POLICY",
    label: "tag",
    governs: "tag keys and values allowed on resources, and their capitalization",
    page: `${PAGES}/orgs_manage_policies_tag-policies.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: documented(10),
    maxSize: documented(10_000),
    quotaName: /\btag polic/,
  },
  {
    type: "BACKUP_POLICY",
    label: "backup",
    governs: "AWS Backup plans applied to the accounts' resources",
    page: `${PAGES}/orgs_manage_policies_backup.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: documented(10),
    maxSize: documented(10_000),
    quotaName: /\bbackup polic/,
  },
  {
    type: "AISERVICES_OPT_OUT_POLICY",
    label: "AI opt-out",
    governs: "whether AWS AI services may store and use the accounts' content",
    page: `${PAGES}/orgs_manage_policies_ai-opt-out.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: documented(5),
    maxSize: documented(2_500),
    quotaName: /ai services opt.?out/,
  },
  {
    type: "CHATBOT_POLICY",
    label: "chat applications",
    governs: "which chat channels and permissions Amazon Q Developer in chat applications may use",
    page: `${PAGES}/orgs_manage_policies_chatbot.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: documented(5),
    maxSize: documented(10_000),
    quotaName: /chat ?(applications|bot)/,
  },
  {
    type: "SECURITYHUB_POLICY",
    label: "Security Hub",
    governs: "Security Hub's enablement, standards and controls per account and region",
    page: `${PAGES}/orgs_manage_policies_security_hub.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: documented(10),
    maxSize: documented(10_000),
    quotaName: /security ?hub(?! cspm)/,
  },
  {
    type: "SECURITYHUB_CSPM_POLICY",
    label: "Security Hub CSPM",
    governs: "Security Hub CSPM's enablement per region",
    page: `${PAGES}/orgs_manage_policies_security_hub_cspm.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: {
      value: 10,
      basis: "assumed",
      why: "AWS's quotas page has one Security Hub row (10 per target, 10,000 characters); its later translations call it Security Hub CSPM, the English page Security Hub: 10 is assumed for both",
    },
    maxSize: {
      value: 10_000,
      basis: "assumed",
      why: "the quotas page's one Security Hub row (10,000 characters) is assumed to cover Security Hub CSPM",
    },
    quotaName: /security ?hub cspm/,
  },
  {
    type: "INSPECTOR_POLICY",
    label: "Inspector",
    governs: "Amazon Inspector's enablement and scan types per account and region",
    page: `${PAGES}/orgs_manage_policies_inspector.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: UNPUBLISHED_PER_TARGET,
    maxSize: CFN_SIZE,
    quotaName: /inspector/,
  },
  {
    type: "BEDROCK_POLICY",
    label: "Bedrock",
    governs: "Amazon Bedrock settings enforced on the accounts (guardrails on model calls)",
    page: `${PAGES}/orgs_manage_policies_bedrock.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: UNPUBLISHED_PER_TARGET,
    maxSize: CFN_SIZE,
    quotaName: /bedrock/,
  },
  {
    type: "UPGRADE_ROLLOUT_POLICY",
    label: "upgrade rollout",
    governs: "the order in which automatic upgrades (RDS, Aurora) reach the accounts",
    page: `${PAGES}/orgs_manage_policies_upgrade_rollout.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: UNPUBLISHED_PER_TARGET,
    maxSize: CFN_SIZE,
    quotaName: /upgrade rollout/,
  },
  {
    type: "NETWORK_SECURITY_DIRECTOR_POLICY",
    label: "network security director",
    governs: "AWS Shield network security director: the regions its network security scans are on in",
    page: `${PAGES}/orgs_manage_policies_network_security_director.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: UNPUBLISHED_PER_TARGET,
    maxSize: UNPUBLISHED_SIZE,
    quotaName: /network security director/,
  },
  {
    type: "GUARDDUTY_POLICY",
    label: "GuardDuty",
    governs: "GuardDuty's enablement and protection plans per account and region",
    page: `${PAGES}/orgs_manage_policies_guardduty.html`,
    category: "management",
    effectivePolicies: true,
    perTarget: UNPUBLISHED_PER_TARGET,
    maxSize: UNPUBLISHED_SIZE,
    quotaName: /guardduty/,
  },
];

/** Every type's entry, in the order tables list them: authorization types first. */
export const POLICY_TYPE_CATALOGUE: readonly PolicyTypeEntry[] = ENTRIES;

/** The entry of a type. */
export function policyTypeEntry(type: PolicyTypeName): PolicyTypeEntry {
  const entry = ENTRIES.find((e) => e.type === type);
  if (!entry) throw new Error(`policy type ${type} is missing from the policy type catalogue`);
  return entry;
}

export function isPolicyTypeName(value: string): value is PolicyTypeName {
  return (POLICY_TYPES as readonly string[]).includes(value);
}

/**
 * Types named on the command line: the SDK's names (SERVICE_CONTROL_POLICY, or S3 without its
 * _POLICY) or the catalogue's labels (scp, "S3 BPA"), repeated or comma-separated, in any case. An unknown name is INVALID_INPUT
 * naming every type.
 */
export function parsePolicyTypes(values: readonly string[]): PolicyTypeName[] {
  const out = new Set<PolicyTypeName>();
  for (const raw of values.flatMap((v) => v.split(","))) {
    const value = raw.trim();
    if (!value) continue;
    const key = value.toUpperCase().replace(/[\s-]+/g, "_");
    const entry = ENTRIES.find(
      (e) =>
        e.type === key ||
        e.type.replace(/_POLICY$/, "") === key ||
        e.label.toUpperCase().replace(/[\s-]+/g, "_") === key,
    );
    if (!entry)
      throw new OrgwardenError(
        "INVALID_INPUT",
        `--type: "${value}" is not an AWS Organizations policy type`,
        {
          hint: `Use one of ${POLICY_TYPES.join(", ")} (or its short name: ${ENTRIES.map((e) => e.label).join(", ")}).`,
        },
      );
    out.add(entry.type);
  }
  return [...out];
}

/** The type and quota a Service Quotas quota of the `organizations` service describes, by its name. */
export function policyQuotaOf(
  quotaName: string,
): { type: PolicyTypeName; kind: "perTarget" | "maxSize" } | undefined {
  const n = quotaName.toLowerCase();
  const kind = /size|characters|length/.test(n)
    ? "maxSize"
    : /attached|per (root|ou|organizational unit|account|target|entity)/.test(n)
      ? "perTarget"
      : undefined;
  if (!kind) return undefined;
  const matches = ENTRIES.filter((e) => e.quotaName.test(n));
  // A name that fits two types ("… Security Hub CSPM …" and "… Security Hub …" are told apart by
  // their patterns) or none is not used: a wrong quota is worse than the default.
  return matches.length === 1 ? { type: (matches[0] as PolicyTypeEntry).type, kind } : undefined;
}
