import { memberAccountActions } from "@orgwarden/core";
import { tenantSubject } from "../oidc-tenants.js";
import { RCP_SERVICES } from "../policy-elements.js";
import type { WebIdentity } from "./probe.js";
import type { ProbeAction } from "./probe-requests.js";
import { member } from "./resource-callers.js";
import type { ResourceProbeContext, ResourceProbeFamily, ResourceProbeRow } from "./resource-probe-table.js";

/**
 * orgwarden's own access to member accounts, whichever RCP is in effect: its sts:AssumeRole into
 * its role (the role is a member resource, so RCPs decide it: a runner outside the organization
 * must be trusted, by its organization or its account), its role's own calls on the account's
 * resources, and each OIDC identity the runner may have come through. A denial refuses the change
 * whoever causes it.
 */
export const orgwardenResourceAccess: ResourceProbeFamily = {
  name: "orgwarden's access to member accounts",
  templates: [],
  rows: (c) => [
    {
      id: "orgwarden-assume-role",
      label: (c) => `orgwarden's sts:AssumeRole into ${c.params.RoleName}, from the runner's account`,
      caller: (c) => ({
        kind: "principal",
        arn: c.operator.principalArn,
        account: c.operator.accountId,
        orgId: c.operator.inOrganization ? c.setting.organizationId : c.operator.organizationId,
      }),
      actions: (c) => [["sts:AssumeRole", `arn:\${Partition}:iam::\${Account}:role/${c.params.RoleName}`]],
      expect: "ALLOW",
      strictness: "any-deny",
      remedy: (c) => trustTheRunner(c),
    },
    {
      id: "orgwarden-role-calls",
      label: (c) => `orgwarden's role (${c.params.RoleName}) calling the account's own resources`,
      caller: (c) => ({
        ...member(c, `role/${c.params.RoleName}`),
        ...(c.setting.toolRoleArn ? { arn: c.setting.toolRoleArn } : {}),
      }),
      actions: () => rcpCatalogueActions(),
      expect: "ALLOW",
      strictness: "any-deny",
      when: () => rcpCatalogueActions().length > 0,
    },
    ...(c.operator.webIdentities ?? []).map((w, i) => runnerWebIdentity(w, i)),
  ],
};

/**
 * The runner's web identity assuming its role: a role of a member account reached by the change must
 * still take the token. Probed on the path of the role's own account; elsewhere it has no
 * expectation. Refused only for an identity the runner surely came through (its own token, or the
 * role's only way in) whose sub is known or does not matter; otherwise a warning.
 */
function runnerWebIdentity(w: WebIdentity, i: number): ResourceProbeRow {
  const subjectOf = (c: ResourceProbeContext) => {
    if (w.subject !== undefined) return w.subject;
    // Only the provider is known: a sub of the trusted tenant stands for it, so the probe asks
    // whether the provider is trusted at all.
    const tenant = c.params.OidcTenants.find((t) => t.Provider === w.provider.toLowerCase());
    return tenant ? tenantSubject(tenant) : "unknown";
  };
  const decides = (c: ResourceProbeContext) =>
    onThisPath(w, c) &&
    w.certain !== false &&
    (w.subject !== undefined || !c.params.OidcTenants.some((t) => t.Provider === w.provider.toLowerCase()));
  return {
    id: i === 0 ? "runner-web-identity" : `runner-web-identity-${i + 1}`,
    label: `the runner's web identity (${w.provider}${w.subject === undefined ? ", sub not known: its role's trust policy pins none" : ""}) assuming ${w.roleArn}${w.certain === false ? " (one of the ways into the role)" : ""}`,
    caller: (c) => ({ kind: "web-identity", provider: w.provider, subject: subjectOf(c) }),
    actions: [["sts:AssumeRoleWithWebIdentity", w.roleArn]],
    expect: (c) => (onThisPath(w, c) ? "ALLOW" : "ANY"),
    strictness: (c) => (decides(c) ? "any-deny" : "advisory"),
    remedy: (c) =>
      `Trust the runner's provider with its tenant: --trusted-oidc-provider ${w.provider.toLowerCase()}=${subjectOf(c)}.`,
  };
}

/** What trusts the runner's account when it is outside the organization: its organization, or the account. */
function trustTheRunner(c: ResourceProbeContext): string | undefined {
  const { operator } = c;
  if (operator.inOrganization) return undefined;
  return operator.organizationId
    ? `orgwarden runs from account ${operator.accountId} of organization ${operator.organizationId}: trust that organization (--trusted-org ${operator.organizationId}) or the account (--trusted-account ${operator.accountId}).`
    : `orgwarden runs from account ${operator.accountId}, in no organization orgwarden could read: trust the account (--trusted-account ${operator.accountId}).`;
}

/** True when the web identity's role is in an account that shares this path's RCPs. */
function onThisPath(w: WebIdentity, c: ResourceProbeContext): boolean {
  const account = w.roleArn.split(":")[4];
  return account !== undefined && (c.setting.accountsSharingPath ?? [c.setting.account]).includes(account);
}

/** The actions of orgwarden's catalogue its role calls in member accounts on services RCPs restrict. */
function rcpCatalogueActions(): ProbeAction[] {
  return memberAccountActions()
    .filter((use) => Object.hasOwn(RCP_SERVICES, use.action.split(":")[0] ?? ""))
    .map((use) => [use.action, use.memberResource ?? "*"] as const);
}
