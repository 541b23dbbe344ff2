import { DEFAULT_ROLE_NAME, isIamTagKey, OrgwardenError } from "@orgwarden/core";
import { type OidcTenant, parseTrustedOidcProviders } from "./oidc-tenants.js";
import { PROBE_ORGANIZATION } from "./probes/probe.js";

/** The RCPs apply-rcp attaches when no --policy is given: AWS's identity perimeter and HTTPS only. */
export const DEFAULT_RCP_POLICIES = ["identity-perimeter", "confused-deputy", "secure-transport"] as const;

/**
 * The resource tag (value "true") by which a resource opts out of each RCP that allows it, in the
 * style of AWS's data-perimeter examples (`dp:exclude:identity`). protect-exemption-tags (an SCP)
 * denies setting or removing them to everyone but orgwarden's role and the exempt principals.
 * https://github.com/aws-samples/data-perimeter-policy-examples#tagging-conventions-and-governance
 */
export const DEFAULT_RESOURCE_EXEMPT_TAG_KEYS = {
  "identity-perimeter": "dp:exclude:identity",
  "confused-deputy": "dp:exclude:confused-deputy",
  "secure-transport": "dp:exclude:secure-transport",
} as const;

/** The RCPs a resource tag can exempt a resource from. */
export type TagExemptRcp = keyof typeof DEFAULT_RESOURCE_EXEMPT_TAG_KEYS;
export const TAG_EXEMPT_RCPS = Object.keys(DEFAULT_RESOURCE_EXEMPT_TAG_KEYS) as TagExemptRcp[];

/** Values for the ${placeholders} of the RCP library (`rcp/`). */
export interface RcpParameters {
  Partition: string;
  /** orgwarden's role in member accounts: its AssumeRole is probed by the guard (never a template value). */
  RoleName: string;
  /** The organization's id: its principals, and services acting for its resources, pass. */
  OrganizationId: string;
  /** Other organizations whose principals may use member-account resources. */
  TrustedOrgIds: string[];
  /** Accounts outside the organization whose principals may (a partner, ELB's log delivery account). */
  TrustedAccountIds: string[];
  HasTrustedAccounts: boolean;
  /** OIDC providers (issuer host and path, no https://) whose identities may assume member roles. */
  TrustedOidcProviders: string[];
  /** The providers trusted for some tenants only: each token's sub must match one of its patterns. */
  OidcTenants: OidcTenant[];
  /** The resource tags (value "true") that exempt a resource from identity-perimeter, confused-deputy, secure-transport. */
  IdentityExemptTagKey: string;
  ConfusedDeputyExemptTagKey: string;
  TransportExemptTagKey: string;
}

export interface RcpParameterInput {
  partition?: string;
  roleName: string;
  /** The organization's id; a stand-in until the plan binds the real one (bindOrganization). */
  organizationId?: string;
  trustedAccounts?: string[];
  trustedOrganizations?: string[];
  /** PROVIDER, or PROVIDER=SUB_PATTERN for one tenant of a multi-tenant issuer (see parseTrustedOidcProviders). */
  trustedOidcProviders?: string[];
  /** Per RCP, the resource tag key that exempts a resource (default DEFAULT_RESOURCE_EXEMPT_TAG_KEYS). */
  exemptTagKeys?: Partial<Record<TagExemptRcp, string>>;
}

const ACCOUNT_ID = /^\d{12}$/;
/** https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** The parameters of the RCP library; every value is checked here, at the edge. */
export function rcpParameters(input: RcpParameterInput): RcpParameters {
  const organizationId = input.organizationId ?? PROBE_ORGANIZATION;
  for (const id of [organizationId, ...(input.trustedOrganizations ?? [])]) {
    if (!ORGANIZATION_ID.test(id)) {
      throw new OrgwardenError("INVALID_INPUT", `"${id}" is not an organization id like o-a1b2c3d4e5`);
    }
  }
  for (const id of input.trustedAccounts ?? []) {
    if (!ACCOUNT_ID.test(id))
      throw new OrgwardenError("INVALID_INPUT", `"${id}" is not a 12-digit account id`);
  }
  const oidc = parseTrustedOidcProviders(input.trustedOidcProviders ?? []);
  const tags = { ...DEFAULT_RESOURCE_EXEMPT_TAG_KEYS, ...input.exemptTagKeys };
  for (const [policy, key] of Object.entries(tags)) {
    if (!isIamTagKey(key)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `the exemption tag key of ${policy}, "${key}", is not a valid tag key`,
        {
          hint: "Up to 128 letters, digits, spaces and _.:/=+-@, not starting with aws:.",
        },
      );
    }
  }
  const trustedAccounts = uniqueSorted(input.trustedAccounts ?? []);
  return {
    Partition: input.partition ?? "aws",
    RoleName: input.roleName,
    OrganizationId: organizationId,
    // Our own organization is always trusted: listing it again would only make another variant.
    TrustedOrgIds: uniqueSorted(input.trustedOrganizations ?? []).filter((o) => o !== organizationId),
    TrustedAccountIds: trustedAccounts,
    HasTrustedAccounts: trustedAccounts.length > 0,
    TrustedOidcProviders: oidc.providers,
    OidcTenants: oidc.tenants,
    IdentityExemptTagKey: tags["identity-perimeter"],
    ConfusedDeputyExemptTagKey: tags["confused-deputy"],
    TransportExemptTagKey: tags["secure-transport"],
  };
}

/** The RCP library's parameters when nothing is configured, for an organization: no variant suffix. */
export function defaultRcpParameters(partition: string, organizationId: string): RcpParameters {
  return rcpParameters({ partition, organizationId, roleName: DEFAULT_ROLE_NAME });
}

/**
 * The parameters bound to the organization the plan found: its id and partition. Flags and the
 * config file are read before any AWS call, with a stand-in id.
 */
export function bindOrganization(
  params: RcpParameters,
  organizationId: string,
  partition: string,
): RcpParameters {
  if (params.OrganizationId === organizationId && params.Partition === partition) return params;
  return {
    ...params,
    Partition: partition,
    OrganizationId: organizationId,
    TrustedOrgIds: params.TrustedOrgIds.filter((o) => o !== organizationId),
  };
}

/** The exemption tag keys the RCPs use: what protect-exemption-tags keeps to orgwarden and the exempt principals. */
export function exemptTagKeysOf(keys: Partial<Record<TagExemptRcp, string>> = {}): string[] {
  return uniqueSorted(Object.values({ ...DEFAULT_RESOURCE_EXEMPT_TAG_KEYS, ...keys }));
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
