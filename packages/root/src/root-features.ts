import { type IAMClient, ListOrganizationsFeaturesCommand } from "@aws-sdk/client-iam";
import {
  type OrganizationsClient,
  paginateListAWSServiceAccessForOrganization,
} from "@aws-sdk/client-organizations";
import { collectPages, describeAwsError, isAwsError, OrgwardenError } from "@orgwarden/core";

/** The service principal whose trusted access centralized root access needs. */
export const IAM_SERVICE_PRINCIPAL = "iam.amazonaws.com";

/** The organization features of IAM centralized root access (iam:ListOrganizationsFeatures). */
export const ROOT_FEATURES = ["RootCredentialsManagement", "RootSessions"] as const;
export type RootFeature = (typeof ROOT_FEATURES)[number];

/** Where centralized root access stands for the organization. */
export interface RootAccessFeatures {
  /** Trusted access for iam.amazonaws.com in AWS Organizations. */
  trustedAccess: boolean;
  /** The features iam:ListOrganizationsFeatures reports (none while trusted access is off). */
  enabled: ReadonlySet<RootFeature>;
}

export interface ReadRootAccessFeaturesInput {
  /** Organizations as the management account. */
  organizations: OrganizationsClient;
  /** IAM as the management account (or the delegated administrator for centralized root access). */
  iam: IAMClient;
}

/**
 * Reads trusted access for IAM (ListAWSServiceAccessForOrganization) and the root-access features
 * (ListOrganizationsFeatures). IAM answers ServiceAccessNotEnabledException while trusted access is
 * off: that is "no feature on", not a failure.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListOrganizationsFeatures.html
 */
export async function readRootAccessFeatures(
  input: ReadRootAccessFeaturesInput,
): Promise<RootAccessFeatures> {
  const [principals, features] = await Promise.all([
    collectPages(
      paginateListAWSServiceAccessForOrganization({ client: input.organizations }, {}),
      (p) => p.EnabledServicePrincipals,
    ).catch((err: unknown) => {
      throw describeAwsError(err, "Organizations");
    }),
    input.iam.send(new ListOrganizationsFeaturesCommand({})).then(
      (out): string[] => out.EnabledFeatures ?? [],
      (err: unknown): string[] => {
        if (isAwsError(err, "ServiceAccessNotEnabledException", "ServiceAccessNotEnabled")) return [];
        throw featuresError(err);
      },
    ),
  ]);
  return {
    trustedAccess: principals.some((p) => p.ServicePrincipal === IAM_SERVICE_PRINCIPAL),
    enabled: new Set(ROOT_FEATURES.filter((f) => features.includes(f))),
  };
}

function featuresError(err: unknown): OrgwardenError {
  const e = describeAwsError(err, "IAM");
  if (
    isAwsError(
      err,
      "AccountNotManagementOrDelegatedAdministratorException",
      "AccountNotManagementOrDelegatedAdministrator",
      "CallerIsNotManagementAccountException",
      "CallerIsNotManagementAccount",
    )
  ) {
    return new OrgwardenError("ACCESS_DENIED", e.message, {
      hint: "Run with credentials of the organization's management account (or the delegated administrator for centralized root access).",
      cause: err,
      ...(e.details ? { details: e.details } : {}),
    });
  }
  if (isAwsError(err, "OrganizationNotInAllFeaturesModeException", "OrganizationNotInAllFeaturesMode")) {
    return new OrgwardenError("REFUSED", e.message, {
      hint: "Centralized root access needs an organization with all features enabled (organizations:EnableAllFeatures).",
      cause: err,
    });
  }
  return e;
}

/** True when member root credentials can be audited and removed (RootCredentialsManagement on). */
export function canManageRootCredentials(features: RootAccessFeatures): boolean {
  return features.trustedAccess && features.enabled.has("RootCredentialsManagement");
}

/** "trusted access on; RootCredentialsManagement on; RootSessions off" */
export function describeRootAccessFeatures(features: RootAccessFeatures): string {
  return [
    `trusted access for IAM ${features.trustedAccess ? "on" : "off"}`,
    ...ROOT_FEATURES.map((f) => `${f} ${features.enabled.has(f) ? "on" : "off"}`),
  ].join("; ");
}
