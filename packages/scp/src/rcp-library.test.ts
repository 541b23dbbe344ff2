import { describe, expect, it } from "vitest";
import type { EvaluatedPolicy, PolicyLevel } from "./evaluate-scps.js";
import { checkLockout } from "./lockout-guard.js";
import { RCP_KIND } from "./policy-kind.js";
import { loadPolicyLibrary, type PolicyTemplate, requirePolicy } from "./policy-library.js";
import { buildResourceProbes, type Operator } from "./probes.js";
import { defaultRcpParameters, type RcpParameters, rcpParameters } from "./rcp-parameters.js";
import { renderPolicy } from "./render-policy.js";

const library = loadPolicyLibrary(undefined, RCP_KIND);
const ORG = "o-abcdef1234";
const params = rcpParameters({ roleName: "OrganizationAccountAccessRole", organizationId: ORG });

function rcp(document: unknown): PolicyTemplate {
  return {
    name: "t",
    type: "RESOURCE_CONTROL_POLICY",
    description: "test",
    template: { Version: "2012-10-17", Statement: [document] },
    file: "t.json",
    about: { denies: "-", appliesTo: "-", exempts: "-", follows: [] },
  };
}

const DENY_S3 = { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" };

describe("the RCP library", () => {
  it("holds AWS's data-perimeter policies, each following the AWS pages", () => {
    expect([...library.keys()]).toEqual([
      "confused-deputy",
      "identity-perimeter",
      "secure-transport",
      "trusted-oidc-providers",
    ]);
    for (const t of library.values()) {
      expect(t.type).toBe("RESOURCE_CONTROL_POLICY");
      // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
      expect(t.about.follows).toContain(
        "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html",
      );
    }
  });

  it("renders the defaults without a variant suffix, for the organization it is bound to", () => {
    const r = renderPolicy(requirePolicy(library, "identity-perimeter"), params);
    expect(r.managedName).toBe("orgwarden-identity-perimeter");
    expect(r.type).toBe("RESOURCE_CONTROL_POLICY");
    expect(r.content).toContain(`"aws:PrincipalOrgID":["${ORG}"]`);
    expect(r.content).toContain('"aws:ResourceTag/dp:exclude:identity":"true"');
    // No trusted account: no aws:PrincipalAccount condition that would match nothing.
    expect(r.content).not.toContain("aws:PrincipalAccount");
    const other = renderPolicy(
      requirePolicy(library, "identity-perimeter"),
      defaultRcpParameters("aws", "o-zzzzzzzzzz"),
    );
    expect(other.managedName).toBe("orgwarden-identity-perimeter");
  });

  it("makes a variant with trusted accounts and organizations, listed after the organization's own id", () => {
    const trusted = rcpParameters({
      roleName: "OrganizationAccountAccessRole",
      organizationId: ORG,
      trustedAccounts: ["127311923021"],
      trustedOrganizations: ["o-partner1234", ORG],
    });
    const r = renderPolicy(requirePolicy(library, "identity-perimeter"), trusted);
    expect(r.variant).toMatch(/^[0-9a-f]{10}$/);
    expect(r.content).toContain(`"aws:PrincipalOrgID":["${ORG}","o-partner1234"]`);
    expect(r.content).toContain('"aws:PrincipalAccount":["127311923021"]');
  });

  it("makes one Null key per trusted OIDC provider, and refuses the policy without one", () => {
    const template = requirePolicy(library, "trusted-oidc-providers");
    expect(() => renderPolicy(template, params)).toThrow(/at least one value for \$\{TrustedOidcProviders\}/);
    const r = renderPolicy(
      template,
      rcpParameters({
        roleName: "R",
        organizationId: ORG,
        trustedOidcProviders: ["token.actions.githubusercontent.com=repo:my-org/*", "gitlab.com=*"],
      }),
    );
    expect(r.content).toContain(
      '"Null":{"gitlab.com:sub":"true","token.actions.githubusercontent.com:sub":"true"}',
    );
  });

  it("keeps a multi-tenant issuer to the tenants given, one statement per provider as AWS's EnforceTrustedOIDCTenants", () => {
    const r = renderPolicy(
      requirePolicy(library, "trusted-oidc-providers"),
      rcpParameters({
        roleName: "R",
        organizationId: ORG,
        trustedOidcProviders: [
          "token.actions.githubusercontent.com=repo:my-org/*",
          "gitlab.com=project_path:platform/*",
          "gitlab.com=project_path:data/*",
          "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
        ],
      }),
    );
    const statements = r.document.Statement as Array<{ Sid?: string; Condition?: unknown }>;
    expect(statements.map((s) => s.Sid)).toEqual([
      "EnforceTrustedOIDCTenants1",
      "EnforceTrustedOIDCTenants2",
      "EnforceTrustedOIDCProviders",
    ]);
    expect(statements[0]?.Condition).toEqual({
      StringNotLikeIfExists: { "gitlab.com:sub": ["project_path:data/*", "project_path:platform/*"] },
      Null: { "gitlab.com:sub": "false" },
    });
    expect(statements[1]?.Condition).toEqual({
      StringNotLikeIfExists: { "token.actions.githubusercontent.com:sub": ["repo:my-org/*"] },
      Null: { "token.actions.githubusercontent.com:sub": "false" },
    });
    // A single-tenant provider (an EKS cluster's issuer) needs no tenant statement.
    expect(r.content).not.toContain('"oidc.eks.eu-west-1.amazonaws.com/id/example:sub":"false"');
    expect(r.description).toContain("OidcTenants=gitlab.com=project_path:data/*,project_path:platform/*");
  });

  it("refuses a multi-tenant issuer without a tenant pattern, and takes =* as every tenant on purpose", () => {
    for (const issuer of ["token.actions.githubusercontent.com", "gitlab.com", "app.terraform.io"]) {
      expect(() => rcpParameters({ roleName: "R", trustedOidcProviders: [issuer] })).toThrow(
        expect.objectContaining({
          code: "INVALID_INPUT",
          message: expect.stringContaining("shared by all its customers"),
          hint: expect.stringContaining(`--trusted-oidc-provider ${issuer}=`),
        }),
      );
    }
    const all = rcpParameters({
      roleName: "R",
      trustedOidcProviders: ["token.actions.githubusercontent.com=*"],
    });
    expect(all.TrustedOidcProviders).toEqual(["token.actions.githubusercontent.com"]);
    expect(all.OidcTenants).toEqual([]);
    expect(() => rcpParameters({ roleName: "R", trustedOidcProviders: ["gitlab.com="] })).toThrow(
      /the sub pattern after = is empty/,
    );
  });

  it("refuses input that is no account, organization or OIDC provider", () => {
    expect(() => rcpParameters({ roleName: "R", trustedAccounts: ["12345"] })).toThrow(/12-digit/);
    expect(() => rcpParameters({ roleName: "R", trustedOrganizations: ["org-1"] })).toThrow(
      /organization id/,
    );
    expect(() => rcpParameters({ roleName: "R", trustedOidcProviders: ["https://gitlab.com"] })).toThrow(
      /is not an OIDC provider/,
    );
  });
});

// What AWS refuses in an RCP is refused before any AWS call (exit 2).
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
describe("the renderer refuses what AWS refuses in an RCP", () => {
  it("accepts a Deny with Principal * on a supported service", () => {
    expect(renderPolicy(rcp(DENY_S3), params).content).toContain('"Principal":"*"');
  });

  it.each([
    ["an Allow", { ...DENY_S3, Effect: "Allow" }, /"Effect": "Allow"/],
    [
      "a principal other than *",
      { ...DENY_S3, Principal: { AWS: "arn:aws:iam::111122223333:root" } },
      /the Principal/,
    ],
    ["no principal", { Effect: "Deny", Action: "s3:*", Resource: "*" }, /no "Principal": "\*"/],
    [
      "a NotPrincipal",
      { ...DENY_S3, NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } },
      /NotPrincipal/,
    ],
    [
      "a NotAction",
      { Effect: "Deny", Principal: "*", NotAction: "s3:GetObject", Resource: "*" },
      /NotAction/,
    ],
    ['an Action of "*"', { ...DENY_S3, Action: "*" }, /"Action": "\*"/],
    [
      "an unsupported service",
      { ...DENY_S3, Action: ["s3:GetObject", "ec2:RunInstances"] },
      /ec2:RunInstances of a service RCPs do not support/,
    ],
  ])("refuses %s (INVALID_INPUT, exit 2)", (_what, statement, message) => {
    expect(() => renderPolicy(rcp(statement), params)).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT", message: expect.stringMatching(message) }),
    );
  });

  it("refuses a Principal in an SCP", () => {
    const scp = { ...rcp(DENY_S3), type: "SERVICE_CONTROL_POLICY" as const };
    expect(() => renderPolicy(scp, params)).toThrow(/a Principal element, which AWS refuses in an SCP/);
  });
});

const RCP_FULL: EvaluatedPolicy = {
  name: "RCPFullAWSAccess",
  managed: false,
  document: {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
  },
};

function guard(p: RcpParameters, names: string[], operator?: Operator, regions?: string[]) {
  const policies = names.map((n): EvaluatedPolicy => {
    const r = renderPolicy(requirePolicy(library, n), p);
    return { name: r.managedName, document: r.document, managed: true };
  });
  const levels: PolicyLevel[] = [
    { nodeId: "r-1", nodePath: "Root", policies: [RCP_FULL] },
    { nodeId: "ou-1", nodePath: "Root/Prod", policies: [RCP_FULL, ...policies] },
  ];
  const probes = buildResourceProbes(p, new Set(names), {
    organizationId: ORG,
    ...(operator ? { operator } : {}),
    ...(regions ? { regions } : {}),
  });
  return checkLockout(levels, probes);
}

describe("the lockout guard, resource side", () => {
  it("passes the default RCPs: orgwarden and the organization's workloads and services in, outsiders out", () => {
    const report = guard(params, ["identity-perimeter", "confused-deputy", "secure-transport"]);
    expect(report.blocking).toEqual([]);
    const decision = Object.fromEntries(report.results.map((r) => [r.probe.id, r.decision]));
    expect(decision).toMatchObject({
      "orgwarden-assume-role": "ALLOW",
      "cloudtrail-delivery": "ALLOW",
      "config-delivery": "ALLOW",
      "foreign-cloudtrail-delivery": "DENY",
      "foreign-config-delivery": "DENY",
      "org-workload-data": "ALLOW",
      "outsider-data": "DENY",
      "anonymous-read": "DENY",
      "outsider-tag-exempt": "ALLOW",
      "plain-http": "DENY",
      "plain-http-tag-exempt": "ALLOW",
    });
  });

  it("refuses the identity perimeter when orgwarden runs from an account outside the organization, until it is trusted", () => {
    const runner: Operator = {
      accountId: "999988887777",
      principalArn: "arn:aws:iam::999988887777:role/ci-runner",
      inOrganization: false,
    };
    const refused = guard(params, ["identity-perimeter"], runner);
    expect(refused.blocking.map((b) => b.probe.id)).toEqual(["orgwarden-assume-role"]);
    expect(refused.blocking[0]?.detail).toContain("denied by orgwarden-identity-perimeter");
    const trusted = rcpParameters({
      roleName: "OrganizationAccountAccessRole",
      organizationId: ORG,
      trustedAccounts: ["999988887777"],
    });
    expect(guard(trusted, ["identity-perimeter"], runner).blocking).toEqual([]);
  });

  it("lets a runner of a trusted organization in by its aws:PrincipalOrgID, and says --trusted-org when it is not trusted", () => {
    const runner: Operator = {
      accountId: "999988887777",
      principalArn: "arn:aws:iam::999988887777:role/ci-runner",
      inOrganization: false,
      organizationId: "o-partner1234",
    };
    const trustingItsOrg = rcpParameters({
      roleName: "OrganizationAccountAccessRole",
      organizationId: ORG,
      trustedOrganizations: ["o-partner1234"],
    });
    expect(guard(trustingItsOrg, ["identity-perimeter"], runner).blocking).toEqual([]);
    const refused = guard(params, ["identity-perimeter"], runner);
    expect(refused.blocking.map((b) => b.probe.id)).toEqual(["orgwarden-assume-role"]);
    expect(refused.blocking[0]?.probe.remedy).toContain("--trusted-org o-partner1234");
  });

  it("probes the OIDC providers the runner's role trusts: refused when it is the role's only way in, a warning otherwise", () => {
    const fromTrustPolicy = (certain: boolean): Operator => ({
      accountId: "210987654321",
      principalArn: "arn:aws:iam::210987654321:role/deploy",
      inOrganization: true,
      webIdentities: [
        {
          provider: "token.actions.githubusercontent.com",
          subject: "repo:example/infra:ref:refs/heads/main",
          roleArn: "arn:aws:iam::210987654321:role/deploy",
          certain,
        },
      ],
    });
    const gitlabOnly = rcpParameters({
      roleName: "R",
      organizationId: ORG,
      trustedOidcProviders: ["gitlab.com=project_path:example/*"],
    });
    const only = guard(gitlabOnly, ["trusted-oidc-providers"], fromTrustPolicy(true));
    expect(only.blocking.map((b) => b.probe.id)).toEqual(["runner-web-identity"]);
    expect(only.blocking[0]?.probe.remedy).toContain(
      "--trusted-oidc-provider token.actions.githubusercontent.com=repo:example/infra:ref:refs/heads/main",
    );
    const oneOfSeveral = guard(gitlabOnly, ["trusted-oidc-providers"], fromTrustPolicy(false));
    expect(oneOfSeveral.blocking).toEqual([]);
    expect(oneOfSeveral.results.find((r) => r.probe.id === "runner-web-identity")).toMatchObject({
      decision: "DENY",
      ok: false,
    });
  });

  it("refuses trusted-oidc-providers that leave out the provider the runner came through", () => {
    const runner: Operator = {
      accountId: "210987654321",
      principalArn: "arn:aws:iam::210987654321:role/deploy",
      inOrganization: true,
      webIdentities: [
        {
          provider: "token.actions.githubusercontent.com",
          subject: "repo:example/infra:ref:refs/heads/main",
          roleArn: "arn:aws:iam::210987654321:role/deploy",
        },
      ],
    };
    const gitlab = rcpParameters({
      roleName: "R",
      organizationId: ORG,
      trustedOidcProviders: ["gitlab.com=project_path:example/*"],
    });
    expect(guard(gitlab, ["trusted-oidc-providers"], runner).blocking.map((b) => b.probe.id)).toEqual([
      "runner-web-identity",
    ]);
    const github = rcpParameters({
      roleName: "R",
      organizationId: ORG,
      trustedOidcProviders: [
        "gitlab.com=project_path:example/*",
        "token.actions.githubusercontent.com=repo:example/*",
      ],
    });
    const report = guard(github, ["trusted-oidc-providers"], runner);
    expect(report.blocking).toEqual([]);
    expect(report.results.find((r) => r.probe.id === "untrusted-oidc")?.decision).toBe("DENY");
    // Another tenant of a trusted issuer is kept out too.
    expect(report.results.find((r) => r.probe.id === "other-tenant-oidc")?.decision).toBe("DENY");
  });

  it("refuses tenant patterns that leave out the runner's own tenant", () => {
    const runner: Operator = {
      accountId: "210987654321",
      principalArn: "arn:aws:iam::210987654321:role/deploy",
      inOrganization: true,
      webIdentities: [
        {
          provider: "token.actions.githubusercontent.com",
          subject: "repo:example/infra:ref:refs/heads/main",
          roleArn: "arn:aws:iam::210987654321:role/deploy",
        },
      ],
    };
    const elsewhere = rcpParameters({
      roleName: "R",
      organizationId: ORG,
      trustedOidcProviders: ["token.actions.githubusercontent.com=repo:other-org/*"],
    });
    const refused = guard(elsewhere, ["trusted-oidc-providers"], runner);
    expect(refused.blocking.map((b) => b.probe.id)).toEqual(["runner-web-identity"]);
    expect(refused.blocking[0]?.detail).toContain("EnforceTrustedOIDCTenants1");
  });

  it("knows Elastic Load Balancing's log writer in every Region worked in: its account where AWS lists one, else its service principal", () => {
    const regions = ["us-east-1", "eu-west-1", "me-central-1"];
    const report = guard(params, ["identity-perimeter", "confused-deputy"], undefined, regions);
    expect(report.blocking).toEqual([]);
    const decision = Object.fromEntries(report.results.map((r) => [r.probe.id, r.decision]));
    expect(decision).toMatchObject({
      "elb-account-delivery-us-east-1": "DENY",
      "elb-account-delivery-eu-west-1": "DENY",
      "elb-service-delivery-me-central-1": "ALLOW",
      "cloudfront-oac-read": "ALLOW",
    });
    expect(
      report.results.find((r) => r.probe.id === "elb-account-delivery-eu-west-1")?.probe.label,
    ).toContain("--trusted-account 156460612806");
    const trusted = rcpParameters({
      roleName: "OrganizationAccountAccessRole",
      organizationId: ORG,
      trustedAccounts: ["156460612806"],
    });
    const withElb = guard(trusted, ["identity-perimeter"], undefined, regions);
    expect(withElb.results.find((r) => r.probe.id === "elb-account-delivery-eu-west-1")?.decision).toBe(
      "ALLOW",
    );
  });
});
