import { GetAccountPasswordPolicyCommand, type PasswordPolicy } from "@aws-sdk/client-iam";
import { isAwsError, type PasswordRequirements } from "@orgwarden/core";
import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";

/** password-policy: the account's password policy (GetAccountPasswordPolicy) against the requirements. */
export async function checkPasswordPolicy(ctx: CheckContext): Promise<ControlOutcome[]> {
  let policy: PasswordPolicy;
  try {
    policy = (await ctx.clients.iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy ?? {};
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) {
      return [
        {
          control: "password-policy",
          status: "NON_COMPLIANT",
          reason: "no custom password policy: the AWS default applies",
        },
      ];
    }
    throw err;
  }
  return [judgePasswordPolicy(policy, ctx.settings.password)];
}

/**
 * IAM_PASSWORD_POLICY's evaluation with its parameters: every requirement must be met; a policy
 * without expiry fails a MaxPasswordAge requirement, one without reuse prevention fails
 * PasswordReusePrevention. https://docs.aws.amazon.com/config/latest/developerguide/iam-password-policy.html
 */
export function judgePasswordPolicy(policy: PasswordPolicy, want: PasswordRequirements): ControlOutcome {
  const failures: string[] = [];
  if ((policy.MinimumPasswordLength ?? 0) < want.minimumLength) {
    failures.push(`minimum length ${policy.MinimumPasswordLength ?? 0} < ${want.minimumLength}`);
  }
  if (want.requireUppercase && !policy.RequireUppercaseCharacters)
    failures.push("upper-case letters not required");
  if (want.requireLowercase && !policy.RequireLowercaseCharacters)
    failures.push("lower-case letters not required");
  if (want.requireNumbers && !policy.RequireNumbers) failures.push("digits not required");
  if (want.requireSymbols && !policy.RequireSymbols) failures.push("symbols not required");
  const reuse = policy.PasswordReusePrevention ?? 0;
  if (reuse < want.reusePrevention) {
    failures.push(
      reuse === 0
        ? `password reuse not prevented (need the last ${want.reusePrevention})`
        : `reuse prevention ${reuse} < ${want.reusePrevention}`,
    );
  }
  const age = policy.ExpirePasswords ? (policy.MaxPasswordAge ?? 0) : 0;
  if (age === 0 || age > want.maxAgeDays) {
    failures.push(
      age === 0
        ? `passwords never expire (need at most ${want.maxAgeDays} days)`
        : `maximum age ${age} days > ${want.maxAgeDays}`,
    );
  }
  return failures.length === 0
    ? {
        control: "password-policy",
        status: "COMPLIANT",
        reason: `meets IAM_PASSWORD_POLICY with ${want.minimumLength}+ characters, all classes, reuse ${want.reusePrevention}, expiry ${want.maxAgeDays} days`,
      }
    : { control: "password-policy", status: "NON_COMPLIANT", reason: failures.join("; ") };
}
