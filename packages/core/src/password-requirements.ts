/**
 * The password policy an account must have: the parameters of AWS Config's IAM_PASSWORD_POLICY rule,
 * with the rule's own defaults (upper, lower, digits and symbols required, at least 14 characters,
 * 24 passwords remembered, expiry after at most 90 days). The direct check and the deployed rule get
 * the same values, so both sources judge an account alike.
 * https://docs.aws.amazon.com/config/latest/developerguide/iam-password-policy.html
 */
export interface PasswordRequirements {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  /** PasswordReusePrevention: at least this many previous passwords cannot be reused. */
  reusePrevention: number;
  /** MaxPasswordAge: passwords must expire after at most this many days. */
  maxAgeDays: number;
}

export const DEFAULT_PASSWORD_REQUIREMENTS: PasswordRequirements = {
  minimumLength: 14,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  reusePrevention: 24,
  maxAgeDays: 90,
};
