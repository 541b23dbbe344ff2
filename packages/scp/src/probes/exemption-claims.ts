import { examplePrincipalArn } from "../exempt-principals.js";
import { CLAIM_ROLE_ACTIONS, CLAIM_USER_ACTIONS } from "./probe-actions.js";
import type { ProbeAction } from "./probe-requests.js";
import { deniedUnder, type ProbeContext, tableFamily } from "./probe-table.js";

/** A member-account administrator taking over orgwarden's own role: protect-exempt-roles stops it. */
export const exemptRoleRewrites = tableFamily(
  "orgwarden's role rewritten",
  ["scp/protect-exempt-roles"],
  [
    {
      id: "member-admin-rewrites-exempt-role",
      label: (c) => `a member-account administrator rewriting the trust policy of ${c.params.RoleName}`,
      principal: "member-admin",
      actions: (c) => [
        ["iam:UpdateAssumeRolePolicy", `arn:\${Partition}:iam::\${Account}:role/${c.params.RoleName}`],
        ["iam:AttachRolePolicy", `arn:\${Partition}:iam::\${Account}:role/${c.params.RoleName}`],
      ],
      mfa: "false",
      expect: deniedUnder("scp/protect-exempt-roles"),
      strictness: "managed",
    },
  ],
);

/**
 * The library policies that exempt principals by ARN pattern, and whether they exempt the audit
 * automation too (library-coverage.test.ts checks this against the templates' placeholders).
 */
export const EXEMPTING_TEMPLATES = [
  { template: "scp/require-mfa", automation: false },
  { template: "scp/restrict-source-ip", automation: false },
  { template: "scp/protect-audit", automation: true },
  { template: "scp/protect-exempt-roles", automation: true },
  { template: "scp/protect-exemption-tags", automation: false },
] as const;
type Exempting = (typeof EXEMPTING_TEMPLATES)[number]["template"];
type ClaimContext = ProbeContext<Exempting>;

/**
 * An exemption by name goes to whoever can create the name: a member-account administrator who
 * creates a role called stacksets-exec-anything, or a user under user/break-glass/, would hold the
 * exemption. Every exempting policy denies that (ProtectExemptPrincipals); these probes check it
 * for every pattern in effect. Creating a role or user names the new principal's ARN, with its path,
 * as the resource, and renaming a user needs permission on the new name too.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html
 */
export const exemptionClaims = tableFamily(
  "principals named like an exemption",
  EXEMPTING_TEMPLATES.map((e) => e.template),
  [
    {
      id: "member-admin-claims-exempt-role",
      label: "a member-account administrator creating, re-trusting or passing a role named like an exemption",
      principal: "member-admin",
      actions: (c) => claims(CLAIM_ROLE_ACTIONS, claimedArns(c, "role")),
      mfa: "false",
      expect: claimExpectation,
      strictness: "managed",
      when: (c) => claimedArns(c, "role").length > 0,
    },
    {
      id: "member-admin-claims-exempt-user",
      label:
        "a member-account administrator creating, renaming or giving credentials to a user named like an exemption",
      principal: "member-admin",
      actions: (c) => claims(CLAIM_USER_ACTIONS, claimedArns(c, "user")),
      mfa: "false",
      expect: claimExpectation,
      strictness: "managed",
      when: (c) => claimedArns(c, "user").length > 0,
    },
  ],
);

/** The exempting policies in effect that this change renders: their patterns are the ones to guard. */
function exempting(c: ClaimContext) {
  return EXEMPTING_TEMPLATES.filter((e) => c.inEffect(e.template) && c.renders(e.template));
}

function claimExpectation(c: ClaimContext): "DENY" | "ANY" {
  return exempting(c).length > 0 ? "DENY" : "ANY";
}

function claims(actions: readonly string[], arns: readonly string[]): ProbeAction[] {
  return arns.flatMap((arn) => actions.map((action) => [action, arn] as const));
}

/** A principal of each exempt pattern that a member-account administrator could create. */
function claimedArns(c: ClaimContext, kind: "role" | "user"): string[] {
  const policies = exempting(c);
  const patterns = new Set(c.params.ExemptPrincipalArns);
  // Without an exempting policy the probes still run (with no expectation) over every pattern.
  if (policies.length === 0 || policies.some((e) => e.automation)) {
    for (const a of c.params.AuditAutomationArns) patterns.add(a);
  }
  // Roles under role/aws-reserved/ belong to Identity Center, which alone creates and changes them
  // (IAM refuses the writes from the account; the independent simulator of
  // docs/evaluator-differential.md judges them the same way): nobody in the account can claim them.
  // https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
  return [...patterns]
    .filter((pattern) => !/:role\/aws-reserved\//.test(pattern))
    .map((pattern) => claimedArn(pattern, c.setting.account))
    .filter((arn) => arn.includes(`:${kind}/`));
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
