import { DEFAULT_RCP_POLICIES, TAG_EXEMPT_RCPS } from "@orgwarden/scp";
import { z } from "zod";
import { libraryName, ouRef, policyQuotas, tagKey } from "./field-rules.js";

/** A 12-digit AWS account id. */
export const accountId = z.string().regex(/^\d{12}$/, "must be a 12-digit account id");
/** An organization id (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html). */
export const organizationId = z
  .string()
  .regex(/^o-[a-z0-9]{10,32}$/, "must be an organization id like o-a1b2c3d4e5");
/**
 * An OIDC provider as IAM condition keys name it (the issuer URL without https://), then =SUB_PATTERN
 * for one tenant of a shared issuer, as --trusted-oidc-provider takes it (parseTrustedOidcProviders
 * refuses a shared issuer without one).
 */
export const oidcProvider = z
  .string()
  .regex(
    /^[a-z0-9.-]+\.[a-z]{2,}(\/[\w.~%-]+)*(=.+)?$/i,
    "must be an OIDC provider without https://, like oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE, or a shared issuer with a tenant's sub pattern, like token.actions.githubusercontent.com=repo:my-org/*",
  );

/**
 * The top-level fields of orgwarden.yaml the RCPs read (each `rcp:` entry may override the trust
 * lists, as `scp:` entries override exemptPrincipals), and the `rcp:` entries themselves.
 */
export const rcpTopLevelFields = {
  trustedAccounts: z
    .array(accountId)
    .default([])
    .describe(
      "accounts outside the organization whose principals the RCPs let use member resources (a partner, ELB's log delivery account)",
    ),
  trustedOrganizations: z
    .array(organizationId)
    .default([])
    .describe("other organizations whose principals the RCPs let use member resources"),
  trustedOidcProviders: z
    .array(oidcProvider)
    .default([])
    .describe(
      "OIDC providers trusted-oidc-providers lets assume member roles; PROVIDER=SUB_PATTERN keeps a shared issuer to your tenant, and is required for one (e.g. token.actions.githubusercontent.com=repo:my-org/*)",
    ),
  resourceExemptTagKeys: z
    .partialRecord(z.enum(TAG_EXEMPT_RCPS as [string, ...string[]]), tagKey)
    .default({})
    .describe(
      "per RCP, the resource tag key (value true) that takes a resource out of it (default dp:exclude:identity, dp:exclude:confused-deputy, dp:exclude:secure-transport); protect-exemption-tags keeps them to orgwarden and the exempt principals",
    ),
  rcpQuotas: policyQuotas(
    "RCP quotas when Service Quotas lists none (default: AWS's documented 5120 characters and 5 per target)",
  ),
  rcp: z
    .array(
      z
        .object({
          ou: ouRef.describe(
            "OU, root or account the RCPs are attached to: an id, or a path like Root/Workloads",
          ),
          policies: z
            .array(libraryName)
            .min(1)
            .default([...DEFAULT_RCP_POLICIES]),
          mode: z.enum(["enforce", "detect"]).default("detect"),
          allowRoot: z.boolean().default(false),
          trustedAccounts: z
            .array(accountId)
            .optional()
            .describe("this OU's trusted accounts, instead of the top-level list (its own policy variant)"),
          trustedOrganizations: z
            .array(organizationId)
            .optional()
            .describe("this OU's trusted organizations, instead of the top-level list"),
          trustedOidcProviders: z
            .array(oidcProvider)
            .optional()
            .describe("this OU's trusted OIDC providers, instead of the top-level list"),
        })
        .strict(),
    )
    .default([])
    .describe(
      "resource control policies: planned, applied (enforce) or drift-checked (detect) by run, as apply-rcp does",
    ),
};
