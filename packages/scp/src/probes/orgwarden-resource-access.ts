import { memberAccountActions } from "@orgwarden/core";
import { RCP_SERVICES } from "../policy-elements.js";
import type { ProbeAction } from "./probe-requests.js";
import { member } from "./resource-callers.js";
import type { ResourceProbeContext, ResourceProbeFamily } from "./resource-probe-table.js";

/**
 * orgwarden's own access to member accounts, whichever RCP is in effect: its sts:AssumeRole into
 * its role (the role is a member resource, so RCPs decide it: a runner outside the organization
 * must be trusted), its role's own calls on the account's resources, and the runner's web identity.
 * A denial refuses the change whoever causes it.
 */
export const orgwardenResourceAccess: ResourceProbeFamily = {
  name: "orgwarden's access to member accounts",
  templates: [],
  rows: [
    {
      id: "orgwarden-assume-role",
      label: (c) => `orgwarden's sts:AssumeRole into ${c.params.RoleName}, from the runner's account`,
      caller: (c) => ({
        kind: "principal",
        arn: c.operator.principalArn,
        account: c.operator.accountId,
        orgId: c.operator.inOrganization ? c.setting.organizationId : undefined,
      }),
      actions: (c) => [["sts:AssumeRole", `arn:\${Partition}:iam::\${Account}:role/${c.params.RoleName}`]],
      expect: "ALLOW",
      strictness: "any-deny",
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
    {
      // The web identity the runner came through (AWS_WEB_IDENTITY_TOKEN_FILE): a role of a member
      // account reached by the change must still take its token. Probed on the path of the role's
      // own account; elsewhere it has no expectation.
      id: "runner-web-identity",
      label: (c) =>
        `the runner's web identity (${c.operator.webIdentity?.provider}) assuming ${c.operator.webIdentity?.roleArn}`,
      caller: (c) => ({
        kind: "web-identity",
        provider: c.operator.webIdentity?.provider ?? "",
        subject: c.operator.webIdentity?.subject ?? "",
      }),
      actions: (c) => [["sts:AssumeRoleWithWebIdentity", c.operator.webIdentity?.roleArn ?? ""]],
      expect: (c) => (onThisPath(c) ? "ALLOW" : "ANY"),
      strictness: (c) => (onThisPath(c) ? "any-deny" : "advisory"),
      when: (c) => c.operator.webIdentity !== undefined,
    },
  ],
};

/** True when the runner's web-identity role is in an account that shares this path's RCPs. */
function onThisPath(c: ResourceProbeContext): boolean {
  const account = c.operator.webIdentity?.roleArn.split(":")[4];
  return account !== undefined && (c.setting.accountsSharingPath ?? [c.setting.account]).includes(account);
}

/** The actions of orgwarden's catalogue its role calls in member accounts on services RCPs restrict. */
function rcpCatalogueActions(): ProbeAction[] {
  return memberAccountActions()
    .filter((use) => Object.hasOwn(RCP_SERVICES, use.action.split(":")[0] ?? ""))
    .map((use) => [use.action, use.memberResource ?? "*"] as const);
}
