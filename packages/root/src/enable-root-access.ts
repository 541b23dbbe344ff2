import {
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { EnableAWSServiceAccessCommand, type OrganizationsClient } from "@aws-sdk/client-organizations";
import { describeAwsError } from "@orgwarden/core";
import {
  IAM_SERVICE_PRINCIPAL,
  ROOT_FEATURES,
  type RootAccessFeatures,
  type RootFeature,
} from "./root-features.js";

/** One change `root enable` makes, in the order AWS requires: trusted access first. */
export type RootEnableStep =
  | { kind: "enable-trusted-access"; servicePrincipal: typeof IAM_SERVICE_PRINCIPAL }
  | { kind: "enable-feature"; feature: RootFeature };

/**
 * What is missing for centralized root access: trusted access for IAM, then each feature that is
 * off. Empty when everything is on already (a second `root enable` has nothing to do).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html
 */
export function planRootEnable(features: RootAccessFeatures): RootEnableStep[] {
  const steps: RootEnableStep[] = [];
  if (!features.trustedAccess)
    steps.push({ kind: "enable-trusted-access", servicePrincipal: IAM_SERVICE_PRINCIPAL });
  for (const feature of ROOT_FEATURES)
    if (!features.trustedAccess || !features.enabled.has(feature))
      steps.push({ kind: "enable-feature", feature });
  return steps;
}

export function describeRootEnableStep(step: RootEnableStep): string {
  return step.kind === "enable-trusted-access"
    ? `enable trusted access for ${step.servicePrincipal} in AWS Organizations`
    : `enable ${step.feature} (iam:EnableOrganizations${step.feature})`;
}

export interface ApplyRootEnableInput {
  organizations: OrganizationsClient;
  iam: IAMClient;
  onStep?: (step: RootEnableStep, done: number, total: number) => void;
}

/** Makes the planned changes in order; stops at the first failure (what was done is reported). */
export async function applyRootEnable(
  steps: readonly RootEnableStep[],
  input: ApplyRootEnableInput,
): Promise<void> {
  let done = 0;
  for (const step of steps) {
    try {
      if (step.kind === "enable-trusted-access") {
        await input.organizations.send(
          new EnableAWSServiceAccessCommand({ ServicePrincipal: step.servicePrincipal }),
        );
      } else if (step.feature === "RootCredentialsManagement") {
        await input.iam.send(new EnableOrganizationsRootCredentialsManagementCommand({}));
      } else {
        await input.iam.send(new EnableOrganizationsRootSessionsCommand({}));
      }
    } catch (err) {
      const e = describeAwsError(err, step.kind === "enable-trusted-access" ? "Organizations" : "IAM");
      e.message = `${describeRootEnableStep(step)} failed after ${done} of ${steps.length} step(s): ${e.message}`;
      throw e;
    }
    done += 1;
    input.onStep?.(step, done, steps.length);
  }
}
