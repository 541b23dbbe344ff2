import { type Inventory, orgPathOf, type Target } from "@orgwarden/core";
import {
  describeExternalAccess,
  type ExternalAccessReport,
  judgeExternalAccess,
} from "./access-analyzer/judge-external-access.js";
import type { ExternalFindings } from "./access-analyzer/list-external-findings.js";
import { levelReader, managedNames, readAccountPathGroups } from "./effective-policies.js";
import { evaluateScps, type ProbeRequest } from "./evaluate-scps.js";
import type { AccountPathGroup } from "./lockout-guard.js";
import type { PolicySteps } from "./plan-policy-steps.js";
import { SCP_KIND } from "./policy-kind.js";
import type { PolicyReader } from "./policy-reader.js";
import { elbLogDelivery } from "./probes/elb-log-delivery.js";
import { DEFAULT_PROBE_SETTING } from "./probes/probe.js";
import { principalKeys, resourceKeys } from "./probes/probe-requests.js";
import type { Operator } from "./probes.js";
import {
  DEFAULT_RESOURCE_EXEMPT_TAG_KEYS,
  type RcpParameters,
  TAG_EXEMPT_RCPS,
  type TagExemptRcp,
} from "./rcp-parameters.js";
import type { RenderedPolicy } from "./render-policy.js";
import { reachedAccounts } from "./resolve-target.js";

/**
 * What an RCP plan says besides the SCPs' notes: who runs orgwarden and what could not be read about
 * it, the enable step's effect, and the two things RCPs never restrict.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
export function rcpNotes(
  steps: PolicySteps["steps"],
  operator: Operator | undefined,
  params: RcpParameters,
): string[] {
  return [
    ...(operator ? operatorNotes(operator, params) : []),
    ...(steps.some((s) => s.kind === "enable-policy-type")
      ? [
          "enabling the RESOURCE_CONTROL_POLICY type attaches RCPFullAWSAccess to the root, every OU and every account: it allows everything, so the step alone changes no permission (orgwarden never disables the type)",
        ]
      : []),
    "RCPs restrict requests to member-account resources of the services that support them; they never restrict service-linked roles, nor resources of the management account",
  ];
}

/** A runner outside the organization: what trusts it, by its organization or its account. */
function operatorNotes(operator: Operator, params: RcpParameters): string[] {
  const notes = [...(operator.unchecked ?? [])];
  if (operator.inOrganization) return notes;
  const { accountId, organizationId } = operator;
  const trusted =
    params.TrustedAccountIds.includes(accountId) ||
    (organizationId !== undefined && params.TrustedOrgIds.includes(organizationId));
  notes.unshift(
    organizationId
      ? `orgwarden runs from account ${accountId} of organization ${organizationId}, outside this organization: its calls into member accounts carry aws:PrincipalOrgID ${organizationId}, so an identity perimeter must trust that organization (--trusted-org ${organizationId}) or the account (--trusted-account ${accountId})${trusted ? ", as these parameters do" : ""}`
      : `orgwarden runs from account ${accountId}, outside the organization and in none orgwarden could read: its calls into member accounts carry no aws:PrincipalOrgID, so an identity perimeter must trust that account (--trusted-account ${accountId})${trusted ? ", as these parameters do" : ""}`,
  );
  return notes;
}

/** What the notes on a planned change read: the organization, the target, and the RCPs after it. */
export interface RcpEffectInput {
  inventory: Inventory;
  target: Target;
  policies: readonly RenderedPolicy[];
  params: RcpParameters;
  /** The RCP paths below the target after the change (effectiveAfterApply's groups). */
  groups: readonly AccountPathGroup[];
  reader: PolicyReader;
  /** Where orgwarden works: the Regions the guard probed. */
  regions: readonly string[];
}

/**
 * What the planned RCPs leave to other policies on the accounts they reach (AWS services, which
 * identity-perimeter exempts because confused-deputy scopes them; the exemption tags, which only an
 * SCP can keep from member-account administrators; what the perimeter denies that a reader may not
 * expect), and which of IAM Access Analyzer's external-access findings they stop.
 */
export async function reviewRcpEffect(
  input: RcpEffectInput & { externalFindings?: () => Promise<ExternalFindings> },
): Promise<{ notes: string[]; externalAccess: ExternalAccessReport | undefined }> {
  const notes = [
    ...confusedDeputyNotes(input),
    ...perimeterNotes(input),
    ...(await exemptionTagNotes(input)),
  ];
  const externalAccess = input.externalFindings
    ? judgeExternalAccess(
        await input.externalFindings(),
        input.groups,
        input.inventory,
        input.params.TrustedOrgIds,
      )
    : undefined;
  if (externalAccess) notes.push(describeExternalAccess(externalAccess, input.groups, input.inventory));
  return { notes, externalAccess };
}

/**
 * What identity-perimeter denies that a reader may not expect: CloudFront's origin access identities
 * (AWS's RCP README names them), and Elastic Load Balancing's log delivery in the Regions where
 * AWS's page names no ELB account, which the guard could not probe.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html
 */
function perimeterNotes(input: RcpEffectInput): string[] {
  if (!input.policies.some((p) => p.name === "identity-perimeter")) return [];
  const unknown = input.regions.filter((r) => elbLogDelivery(r).kind === "unknown");
  return [
    "identity-perimeter denies CloudFront distributions that read an S3 origin through an origin access identity (OAI): it is a CloudFront principal of no organization. Move them to origin access control (OAC), which calls as cloudfront.amazonaws.com for the distribution and passes, before applying",
    ...(unknown.length > 0
      ? [
          `Elastic Load Balancing's access-log delivery was not checked in ${unknown.join(", ")}: AWS's page lists no ELB account there; if load balancers log to member buckets, trust the account they write as (--trusted-account)`,
        ]
      : []),
  ];
}

/**
 * identity-perimeter exempts every AWS service principal, as AWS's example does, because the same
 * example's EnforceConfusedDeputyProtection statement (confused-deputy here) keeps services to the
 * organization's resources: without it a foreign account's trail or recorder can deliver into the
 * accounts' buckets.
 */
function confusedDeputyNotes(input: RcpEffectInput): string[] {
  if (!input.policies.some((p) => p.name === "identity-perimeter")) return [];
  const without = input.groups
    .filter((g) => !managedNames(g.levels).has("confused-deputy"))
    .flatMap((g) => g.accountIds);
  if (without.length === 0) return [];
  return [
    `identity-perimeter exempts every AWS service acting with its service principal (aws:PrincipalIsAWSService), as AWS's example does because its EnforceConfusedDeputyProtection statement scopes them: confused-deputy is not in effect on ${describeAccounts(without, input.groups)}, where a service could act on their resources for any account (a foreign trail or recorder delivering into a bucket). Attach it too (--policy confused-deputy)`,
  ];
}

/** The tag-exempt RCPs this change renders, with the tag key each honours. */
function exemptTags(input: RcpEffectInput): Array<{ policy: TagExemptRcp; key: string }> {
  const keyOf: Record<TagExemptRcp, string> = {
    "identity-perimeter": input.params.IdentityExemptTagKey,
    "confused-deputy": input.params.ConfusedDeputyExemptTagKey,
    "secure-transport": input.params.TransportExemptTagKey,
  };
  return TAG_EXEMPT_RCPS.filter((p) => input.policies.some((r) => r.name === p)).map((policy) => ({
    policy,
    key: keyOf[policy],
  }));
}

/**
 * The tags that take a resource out of the RCPs are safe only where an SCP keeps member-account
 * administrators from setting them (protect-exemption-tags). Each account the change reaches is
 * judged with the SCPs on its path, by the evaluator: an administrator tagging a bucket, a queue
 * and a role with each key, and enabling ABAC on a bucket (S3's tags count only then, and
 * PutBucketTagging sends no tag keys). A note, not a refusal: the RCP without the SCP still closes
 * every untagged resource, which is more than before.
 */
async function exemptionTagNotes(input: RcpEffectInput): Promise<string[]> {
  const tags = exemptTags(input);
  const reached = input.groups.flatMap((g) => g.accountIds);
  if (tags.length === 0 || reached.length === 0) return [];
  const unprotected = new Map<string, string[]>();
  const abacOpen: string[] = [];
  const { inventory } = input;
  const scpGroups: AccountPathGroup[] =
    inventory.scpPolicyType === "ENABLED"
      ? await readAccountPathGroups(
          inventory,
          input.target,
          levelReader(inventory, input.reader, () => undefined, SCP_KIND),
          SCP_KIND,
        )
      : [{ levels: [], accountIds: reachedAccounts(inventory, input.target) }];
  const scpsOn = inventory.scpPolicyType === "ENABLED";
  for (const g of scpGroups) {
    const account = g.accountIds[0];
    if (account === undefined) continue;
    // A denial counts where the same administrator may set a harmless tag: a network or region
    // restriction that denies everything from somewhere protects nothing from elsewhere.
    const open = (action: string, resource: string, tagKeys?: string[]) =>
      CONTEXTS.some((context) => {
        const allowed = (a: string, r: string, k?: string[]) =>
          !scpsOn ||
          evaluateScps(g.levels, adminRequest(inventory, account, a, r, k, context)).effect === "ALLOW";
        return allowed(TAGGING[0][0], TAGGING[0][1](account), ["team"]) && allowed(action, resource, tagKeys);
      });
    for (const { key } of tags) {
      if (TAGGING.some(([action, resource]) => open(action, resource(account), [key]))) {
        unprotected.set(key, [...(unprotected.get(key) ?? []), ...g.accountIds]);
      }
    }
    if (open("s3:PutBucketAbac", bucketOf(account))) abacOpen.push(...g.accountIds);
  }
  const notes: string[] = [];
  const open = tags.filter((t) => unprotected.has(t.key));
  if (open.length > 0) {
    const accounts = [...new Set(open.flatMap((t) => unprotected.get(t.key) ?? []))];
    notes.push(
      `the resource tag${open.length === 1 ? "" : "s"} ${open.map((t) => `${t.key}=true (${t.policy})`).join(", ")} can be set by a member-account administrator on ${describeAccounts(accounts, input.groups)}: no SCP in effect there denies it, so anyone administering those accounts can take a resource out of the RCPs. Attach protect-exemption-tags with the same keys (orgwarden apply-scp --ou ${input.target.path} --policy protect-exemption-tags${flagsFor(open)})`,
    );
  }
  const abacOnly = abacOpen.filter((a) => !open.some((t) => unprotected.get(t.key)?.includes(a)));
  if (abacOnly.length > 0) {
    notes.push(
      `a member-account administrator can enable ABAC on a bucket (s3:PutBucketAbac) on ${describeAccounts(abacOnly, input.groups)}: the bucket's tags, set beforehand with PutBucketTagging (which sends no tag keys), would then exempt it. Apply the current protect-exemption-tags there (apply-scp), which denies both`,
    );
  }
  return notes;
}

const bucketOf = (account: string) => `arn:aws:s3:::exempt-probe-${account}`;
const TAGGING = [
  ["s3:TagResource", bucketOf],
  ["sqs:TagQueue", (a: string) => `arn:aws:sqs:us-east-1:${a}:exempt-probe`],
  ["iam:TagRole", (a: string) => `arn:aws:iam::${a}:role/exempt-probe`],
] as const;
/** Where the administrator calls from: no network key at all, and through a VPC endpoint. */
const CONTEXTS: ReadonlyArray<Record<string, string>> = [
  {},
  { "aws:SourceVpc": "vpc-0a1b2c3d4e5f60718", "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718" },
];

/** A request of a member-account administrator (a role of the account, inside the organization). */
function adminRequest(
  inventory: Inventory,
  account: string,
  action: string,
  resource: string,
  tagKeys: string[] | undefined,
  context: Readonly<Record<string, string>>,
): ProbeRequest {
  const arn = `arn:${inventory.partition}:iam::${account}:role/member-admin`;
  const setting = { ...DEFAULT_PROBE_SETTING, account, organizationId: inventory.organizationId };
  const orgPath = orgPathOf(inventory, account);
  // IAM calls carry us-east-1; the others are judged there too (no library SCP scopes tagging by region).
  const region = "us-east-1";
  return {
    action,
    resource: resource.replace(/^arn:aws:/, `arn:${inventory.partition}:`),
    keys: {
      ...principalKeys(arn, setting, region),
      ...resourceKeys(resource, { ...setting, ...(orgPath ? { orgPath } : {}) }),
      "aws:MultiFactorAuthPresent": "true",
      ...context,
      ...(tagKeys ? { "aws:TagKeys": tagKeys } : {}),
    },
  };
}

/** The --exempt-tag-key flags that render protect-exemption-tags with these keys (none for the defaults). */
function flagsFor(tags: ReadonlyArray<{ policy: TagExemptRcp; key: string }>): string {
  return tags
    .filter((t) => t.key !== DEFAULT_RESOURCE_EXEMPT_TAG_KEYS[t.policy])
    .map((t) => ` --exempt-tag-key ${t.policy}=${t.key}`)
    .join("");
}

/** "2 of the 5 accounts the change reaches (111…, 222…)", "the account …", "all 3 accounts …": at most three ids. */
function describeAccounts(accounts: readonly string[], groups: readonly AccountPathGroup[]): string {
  const all = new Set(groups.flatMap((g) => g.accountIds)).size;
  const ids = `(${accounts.slice(0, 3).join(", ")}${accounts.length > 3 ? ", …" : ""})`;
  if (accounts.length < all) return `${accounts.length} of the ${all} accounts the change reaches ${ids}`;
  return all === 1
    ? `the account the change reaches ${ids}`
    : `all ${all} accounts the change reaches ${ids}`;
}
