import { foreignSubject, tenantSubject } from "../oidc-tenants.js";
import {
  DATA_ACTIONS,
  deniedUnder,
  distributionArn,
  FOREIGN_ACCOUNT,
  FOREIGN_ORG,
  IDENTITY,
  member,
  OBJECT,
  OIDC,
  outsider,
  service,
  TRANSPORT,
  UNTRUSTED_OIDC,
} from "./resource-callers.js";
import type { ResourceProbeContext, ResourceProbeFamily } from "./resource-probe-table.js";

const QUEUE_SEND = ["sqs:SendMessage", "arn:${Partition}:sqs:${Region}:${Account}:app-queue"] as const;

/**
 * Who may use a member account's data: the organization's principals and the trusted accounts and
 * organizations; not a principal of another organization, nor an anonymous caller of a public bucket,
 * unless the resource is tagged out of the perimeter.
 */
export const identityPerimeter: ResourceProbeFamily = {
  name: "the identity perimeter",
  templates: [IDENTITY],
  rows: [
    {
      id: "org-workload-data",
      label: "a workload role of the organization using a member account's bucket, queue, key and secret",
      caller: (c) => member(c, "role/app-workload"),
      actions: DATA_ACTIONS,
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "outsider-data",
      label: `a role of account ${FOREIGN_ACCOUNT} in another organization using the bucket, queue, key and secret`,
      caller: (c) => outsider(FOREIGN_ACCOUNT, FOREIGN_ORG, c),
      actions: [
        ...DATA_ACTIONS,
        ["sts:AssumeRole", "arn:${Partition}:iam::${Account}:role/cross-account-reader"],
      ],
      expect: deniedUnder(IDENTITY),
      strictness: "managed",
    },
    {
      id: "anonymous-read",
      label: "an anonymous caller reading a public object",
      caller: () => ({ kind: "anonymous" }),
      actions: [["s3:GetObject", OBJECT]],
      expect: deniedUnder(IDENTITY),
      strictness: "managed",
    },
    {
      id: "trusted-account",
      label: (c) => `a role of the trusted account ${c.params.TrustedAccountIds[0]}`,
      caller: (c) => outsider(c.params.TrustedAccountIds[0] ?? FOREIGN_ACCOUNT, undefined, c),
      actions: DATA_ACTIONS,
      expect: "ALLOW",
      strictness: "managed",
      when: (c) => c.params.HasTrustedAccounts,
    },
    {
      id: "trusted-organization",
      label: (c) => `a role of the trusted organization ${c.params.TrustedOrgIds[0]}`,
      caller: (c) => outsider(FOREIGN_ACCOUNT, c.params.TrustedOrgIds[0], c),
      actions: DATA_ACTIONS,
      expect: "ALLOW",
      strictness: "managed",
      when: (c) => c.params.TrustedOrgIds.length > 0,
    },
    {
      // Origin access control signs as cloudfront.amazonaws.com with the distribution as source:
      // a service principal, which the perimeter exempts and confused-deputy scopes. An origin
      // access identity (OAI) is a CloudFront principal of no organization: denied, as AWS's RCP
      // README warns; the plan says so.
      id: "cloudfront-oac-read",
      label:
        "CloudFront reading an S3 origin through origin access control (cloudfront.amazonaws.com) for a distribution of the organization",
      caller: service("cloudfront.amazonaws.com", distributionArn, false),
      actions: [["s3:GetObject", OBJECT]],
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "outsider-tag-exempt",
      // A queue: aws:ResourceTag is in the request context of the services that authorize on the
      // resource's tags, which S3 object reads are not (AWS's data-perimeter README says so).
      label: (c) =>
        `a role of another organization using a queue tagged ${c.params.IdentityExemptTagKey}=true`,
      caller: (c) => outsider(FOREIGN_ACCOUNT, FOREIGN_ORG, c),
      actions: [QUEUE_SEND],
      resourceTags: (c) => ({ [c.params.IdentityExemptTagKey]: "true" }),
      expect: "ALLOW",
      strictness: "managed",
    },
  ],
};

/** HTTPS only: a plain-HTTP request is denied, unless the resource is tagged out. */
export const secureTransport: ResourceProbeFamily = {
  name: "HTTPS only",
  templates: [TRANSPORT],
  rows: [
    {
      id: "plain-http",
      label: "a workload role of the organization reading an object over plain HTTP",
      caller: (c) => member(c, "role/app-workload"),
      actions: [["s3:GetObject", OBJECT]],
      secureTransport: false,
      expect: deniedUnder(TRANSPORT),
      strictness: "managed",
    },
    {
      id: "plain-http-tag-exempt",
      label: (c) => `a plain-HTTP message to a queue tagged ${c.params.TransportExemptTagKey}=true`,
      caller: (c) => member(c, "role/app-workload"),
      actions: [QUEUE_SEND],
      secureTransport: false,
      resourceTags: (c) => ({ [c.params.TransportExemptTagKey]: "true" }),
      expect: "ALLOW",
      strictness: "managed",
    },
  ],
};

const ASSUME_CI_ROLE = [
  "sts:AssumeRoleWithWebIdentity",
  "arn:${Partition}:iam::${Account}:role/ci-deploy",
] as const;

/** Web identities: only the trusted OIDC providers' tokens, of the trusted tenants, assume member roles. */
export const webIdentities: ResourceProbeFamily = {
  name: "OIDC web identities",
  templates: [OIDC],
  rows: [
    {
      id: "trusted-oidc",
      label: (c) => {
        const { provider, subject } = trustedToken(c);
        return `a token of the trusted provider ${provider} (sub ${subject}) assuming a member role`;
      },
      caller: (c) => ({ kind: "web-identity", ...trustedToken(c) }),
      actions: [ASSUME_CI_ROLE],
      expect: "ALLOW",
      strictness: "managed",
      when: (c) => c.params.TrustedOidcProviders.length > 0,
    },
    {
      id: "other-tenant-oidc",
      label: (c) => {
        const tenant = c.params.OidcTenants[0];
        return `a token of ${tenant?.Provider} from another tenant (sub ${tenant && foreignSubject(tenant)}) assuming a member role`;
      },
      caller: (c) => {
        const tenant = c.params.OidcTenants[0];
        return {
          kind: "web-identity",
          provider: tenant?.Provider ?? "",
          subject: (tenant && foreignSubject(tenant)) ?? "",
        };
      },
      actions: [ASSUME_CI_ROLE],
      expect: deniedUnder(OIDC),
      strictness: "managed",
      when: (c) => {
        const tenant = c.params.OidcTenants[0];
        return tenant !== undefined && foreignSubject(tenant) !== undefined;
      },
    },
    {
      id: "untrusted-oidc",
      label: `a token of ${UNTRUSTED_OIDC}, a provider no one trusts, assuming a member role`,
      caller: () => ({ kind: "web-identity", provider: UNTRUSTED_OIDC, subject: "someone" }),
      actions: [ASSUME_CI_ROLE],
      expect: deniedUnder(OIDC),
      strictness: "managed",
    },
  ],
};

/** A token of the first trusted provider, from a tenant its patterns allow (when it has any). */
function trustedToken(c: ResourceProbeContext): { provider: string; subject: string } {
  const provider = c.params.TrustedOidcProviders[0] ?? "";
  const tenant = c.params.OidcTenants.find((t) => t.Provider === provider);
  return { provider, subject: tenant ? tenantSubject(tenant) : "repo:example/app:ref:refs/heads/main" };
}
