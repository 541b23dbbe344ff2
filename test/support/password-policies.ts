/** An account password policy that meets IAM_PASSWORD_POLICY's defaults (14, all classes, 24, 90 days). */
export const STRONG_PASSWORD_POLICY = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  PasswordReusePrevention: 24,
  MaxPasswordAge: 90,
};
