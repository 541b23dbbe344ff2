import { OrgwardenError } from "@orgwarden/core";
import { matchesPattern } from "./policy-pattern.js";

/**
 * A trusted OIDC provider with the tenants it is trusted for: a token's `sub` must match one of the
 * patterns (StringLike). trusted-oidc-providers renders one EnforceTrustedOIDCTenants statement each,
 * as AWS's identity-perimeter example does: one per provider, each with its own Null condition, so
 * that a token of one provider is judged on that provider's patterns alone.
 * https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/resource_control_policies
 */
export type OidcTenant = { Provider: string; Subjects: string[] };

/**
 * Issuers shared by every customer of the service: their tokens say which tenant they come from only
 * in `sub`, so trusting the issuer alone trusts every GitHub repository, GitLab.com project or HCP
 * Terraform organization. Each with the sub its tokens carry and a pattern for one tenant.
 * https://docs.github.com/en/actions/reference/security/oidc
 * https://docs.gitlab.com/ci/secrets/id_token_authentication/
 * https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens
 * https://buildkite.com/docs/pipelines/security/oidc
 */
export const MULTI_TENANT_OIDC_ISSUERS: Readonly<Record<string, { service: string; example: string }>> = {
  "token.actions.githubusercontent.com": { service: "GitHub Actions", example: "repo:my-org/*" },
  "gitlab.com": { service: "GitLab.com", example: "project_path:my-group/*" },
  "app.terraform.io": { service: "HCP Terraform", example: "organization:my-org:*" },
  "agent.buildkite.com": { service: "Buildkite", example: "organization:my-org:*" },
};

/** An OIDC provider as IAM condition keys name it: the issuer URL without https:// (a host, maybe a path). */
const OIDC_PROVIDER = /^[a-z0-9.-]+\.[a-z]{2,}(\/[\w.~%-]+)*$/i;

/**
 * The trusted providers and their tenants from `PROVIDER` or `PROVIDER=SUB_PATTERN` entries (the
 * --trusted-oidc-provider flag and trustedOidcProviders alike; repeat a provider for more patterns).
 * `PROVIDER=*` trusts every tenant on purpose. A multi-tenant issuer with no pattern is refused: the
 * policy would let any tenant's tokens in while reading as if it kept them to yours.
 */
export function parseTrustedOidcProviders(entries: readonly string[]): {
  providers: string[];
  tenants: OidcTenant[];
} {
  const patterns = new Map<string, Set<string>>();
  for (const entry of entries) {
    const at = entry.indexOf("=");
    const provider = (at < 0 ? entry : entry.slice(0, at)).toLowerCase();
    const pattern = at < 0 ? undefined : entry.slice(at + 1);
    if (!OIDC_PROVIDER.test(provider)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `"${entry}" is not an OIDC provider like token.actions.githubusercontent.com`,
        {
          hint: "Give the issuer URL without https:// (as IAM condition keys name it, e.g. oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE), then =SUB_PATTERN for a multi-tenant one.",
        },
      );
    }
    if (pattern !== undefined && pattern.trim() === "") {
      throw new OrgwardenError("INVALID_INPUT", `"${entry}": the sub pattern after = is empty`, {
        hint: `Give the sub of your tenant's tokens, wildcards allowed, e.g. ${provider}=${MULTI_TENANT_OIDC_ISSUERS[provider]?.example ?? "tenant:my-tenant:*"}.`,
      });
    }
    const set = patterns.get(provider) ?? new Set<string>();
    if (pattern !== undefined) set.add(pattern);
    patterns.set(provider, set);
  }
  for (const [provider, set] of patterns) {
    const issuer = MULTI_TENANT_OIDC_ISSUERS[provider];
    if (issuer && set.size === 0) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `${provider} is the issuer of ${issuer.service}, shared by all its customers: trusted without a tenant pattern, trusted-oidc-providers would let any of them assume member roles`,
        {
          hint: `Name your tenant's sub: --trusted-oidc-provider ${provider}=${issuer.example} (trustedOidcProviders: ["${provider}=${issuer.example}"]); ${provider}=* trusts every tenant on purpose.`,
        },
      );
    }
  }
  const providers = [...patterns.keys()].sort();
  const tenants = providers.flatMap((provider): OidcTenant[] => {
    const subjects = [...(patterns.get(provider) ?? [])].sort();
    // "*" matches every sub: no tenant statement, the provider alone decides.
    return subjects.length === 0 || subjects.includes("*")
      ? []
      : [{ Provider: provider, Subjects: subjects }];
  });
  return { providers, tenants };
}

/** A sub the tenant's patterns allow (each wildcard taken as one character), for the guard's probes. */
export function tenantSubject(tenant: OidcTenant): string {
  return (tenant.Subjects[0] ?? "").replaceAll("*", "x").replaceAll("?", "x");
}

/** A sub of another tenant of the same provider, which none of the patterns allows; undefined if each one does. */
export function foreignSubject(tenant: OidcTenant): string | undefined {
  return [
    "repo:someone-else/app:ref:refs/heads/main",
    "project_path:someone-else/app:ref_type:branch:ref:main",
    "organization:someone-else:project:Default Project:workspace:app:run_phase:apply",
    "someone-else",
  ].find((sub) => !tenant.Subjects.some((p) => matchesPattern(p, "like", sub, undefined)));
}
