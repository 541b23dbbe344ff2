import type { ControlOutcome } from "../report-model.js";

/**
 * A guardrail row's credit to an RCP that already blocks what its detective check finds open. The
 * identity perimeter denies S3 to every principal outside the organization and the trusted ones,
 * anonymous requests included (no aws:PrincipalOrgID: the IfExists condition holds), so an account
 * whose S3 Block Public Access is off still serves nothing to the public — except resources tagged
 * with the perimeter's exemption tag. The row's status stays the detective check's; its reason says
 * which guardrail blocks the exposure.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 */
export function creditRcps(outcome: ControlOutcome, rcpOutcomes: readonly ControlOutcome[]): ControlOutcome {
  if (outcome.control !== "s3-account-public-access-block" || outcome.status !== "NON_COMPLIANT")
    return outcome;
  const perimeter = rcpOutcomes.find((o) => o.control === "rcp-identity-perimeter");
  if (perimeter?.status !== "COMPLIANT") return outcome;
  return {
    ...outcome,
    reason: `${outcome.reason}; public access is blocked all the same by the identity-perimeter RCP (${perimeter.reason}): principals outside the organization, anonymous ones included, are denied S3, except on resources tagged with its exemption tag`,
  };
}
