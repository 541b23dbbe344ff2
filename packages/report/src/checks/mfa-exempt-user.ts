import { DEFAULT_MFA_EXEMPT_TAG_KEY } from "@orgwarden/scp";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";

/**
 * Every IAM user tagged with the MFA-exempt key set to "true" (exactly what require-mfa's
 * StringNotEqualsIfExists lets through), one NOT_APPLICABLE row each, so auditors see every
 * exception. The account's GetAccountAuthorizationDetails (read once, shared) has users with their tags.
 */
export async function listMfaExemptUsers(ctx: CheckContext): Promise<ControlOutcome[]> {
  const key = ctx.settings.mfaExemptTagKey ?? DEFAULT_MFA_EXEMPT_TAG_KEY;
  const { users } = await ctx.authorizationDetails();
  return users
    .filter((u) =>
      (u.Tags ?? []).some((t) => t.Key?.toLowerCase() === key.toLowerCase() && t.Value === "true"),
    )
    .map((u) => ({
      control: "mfa-exempt-user" as const,
      status: "NOT_APPLICABLE" as const,
      resourceType: "AWS::IAM::User",
      resourceId: u.Arn ?? u.UserName ?? "",
      reason: `exempt by tag: ${u.UserName} is tagged ${key}=true, so require-mfa does not apply to it`,
    }));
}
