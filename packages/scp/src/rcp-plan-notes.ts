import type { PolicySteps } from "./plan-policy-steps.js";
import type { Operator } from "./probes.js";
import type { RcpParameters } from "./rcp-parameters.js";

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
