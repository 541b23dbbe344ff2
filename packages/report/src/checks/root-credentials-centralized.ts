import {
  canManageRootCredentials,
  describeRootAccessFeatures,
  type RootAccessFeatures,
} from "@orgwarden/root";
import type { ControlOutcome } from "../report-model.js";
import type { RootAccessCheckContext } from "./account-check.js";

/** root-credentials-centralized in the registry's shape: the organization's features, read once. */
export async function checkCentralizedRootAccess(ctx: RootAccessCheckContext): Promise<ControlOutcome[]> {
  const root = ctx.rootAccess;
  return [
    judgeCentralizedRootAccess(await root.features(), ctx.settings.accountId, root.managementAccountId),
  ];
}

/**
 * root-credentials-centralized: an organization-wide setting, judged on the management account's
 * row; each member's row carries the same status and names where it is set.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management
 */
export function judgeCentralizedRootAccess(
  features: RootAccessFeatures,
  accountId: string,
  managementAccountId: string,
): ControlOutcome {
  const on = canManageRootCredentials(features);
  const state = describeRootAccessFeatures(features);
  const where =
    accountId === managementAccountId
      ? ""
      : `organization-wide, set in management account ${managementAccountId}: `;
  return {
    control: "root-credentials-centralized",
    status: on ? "COMPLIANT" : "NON_COMPLIANT",
    reason: on
      ? `${where}centralized root access is on (${state})`
      : `${where}centralized root access is off (${state}): run orgwarden root enable`,
  };
}
