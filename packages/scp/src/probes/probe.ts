import type { ProbeRequest } from "../evaluate-scps.js";

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
  /** What would let the probe pass, when the probe knows better than a generic hint (a flag to trust the runner). */
  remedy?: string;
}

/** A stand-in member account for the probes, when no real account is at hand. */
export const PROBE_ACCOUNT = "210987654321";
/** A stand-in organization id, likewise. */
export const PROBE_ORGANIZATION = "o-exampleorg1";
/** A stand-in aws:ResourceOrgPaths value of the probe account, likewise. */
const PROBE_ORG_PATH = `${PROBE_ORGANIZATION}/r-ab12/ou-ab12-11111111/`;
/** A source address outside any allowed network (TEST-NET-3), to test restrict-source-ip's worst case. */
export const PROBE_SOURCE_IP = "203.0.113.10";

/** Where the probes stand: the request context a real call from orgwarden or a person would carry. */
export interface ProbeSetting {
  /** Regions orgwarden calls in member accounts (aws:RequestedRegion); IAM calls carry us-east-1. */
  regions: readonly string[];
  organizationId: string;
  /** The member account the probes stand for. */
  account: string;
  /** Every account whose path has the same policies as `account`'s (the guard probes one of them). */
  accountsSharingPath?: readonly string[];
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
  /**
   * Who runs orgwarden (the RCP guard's probes of requests *to* member resources): the account and
   * principal of the operator's credentials, whether that account is in the organization, and the
   * web identity it came through, if any. Undefined: the management account, inside.
   */
  operator?: Operator;
}

/** The principal behind orgwarden's credentials, as a member account's resources see it. */
export interface Operator {
  accountId: string;
  /** aws:PrincipalArn of its calls: a role's ARN for a role session, never the assumed-role ARN. */
  principalArn: string;
  /** True for the management account and every member: aws:PrincipalOrgID is the organization's. */
  inOrganization: boolean;
  /**
   * aws:PrincipalOrgID of its calls: the organization's when inOrganization, else the one its account
   * belongs to (DescribeOrganization with its credentials); undefined when in none or unknown.
   */
  organizationId?: string;
  /**
   * The OIDC identities the runner may have come through: the token it assumed its role with
   * (AWS_WEB_IDENTITY_TOKEN_FILE), and the providers its role's trust policy trusts.
   */
  webIdentities?: WebIdentity[];
  /** What could not be read about the runner, each said in the plan (the OIDC path not checked, …). */
  unchecked?: string[];
}

/** An OIDC identity that assumes a role: its provider (the issuer without https://) and sub. */
export interface WebIdentity {
  provider: string;
  /** The token's sub; undefined when only the role's trust policy was read and it pins none. */
  subject?: string;
  roleArn: string;
  /**
   * False when the role can also be reached another way than this provider's tokens (its trust
   * policy trusts other principals): the runner may not have come through it, so a denial warns.
   * True or absent: the runner's own token, or the role's only way in.
   */
  certain?: boolean;
}

export const DEFAULT_PROBE_SETTING: ProbeSetting = {
  regions: ["us-east-1"],
  organizationId: PROBE_ORGANIZATION,
  account: PROBE_ACCOUNT,
  orgPath: PROBE_ORG_PATH,
};
