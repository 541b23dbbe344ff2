/**
 * The control ids of the report contract (DESIGN.md), shared by the Config rule catalog, the direct
 * checks and the SCP coverage so that the three sources line up side by side.
 * `iam-user-no-policies` is orgwarden's addition for the IAM_USER_NO_POLICIES_CHECK rule.
 */
export const CONTROL_IDS = [
  "root-mfa",
  "root-hardware-mfa",
  "root-access-keys",
  "password-policy",
  "iam-user-mfa",
  "mfa-policy-in-use",
  "scp-require-mfa",
  "scp-deny-root",
  "rcp-identity-perimeter",
  "rcp-secure-transport",
  "rcp-confused-deputy",
  "rcp-trusted-oidc",
  "rcp-exempt-resource",
  "cloudtrail-enabled",
  "guardduty-enabled",
  "config-recorder",
  "iam-user-no-policies",
  "mfa-exempt-user",
  "root-credentials-centralized",
  "root-credentials-present",
  "policy-slots",
  "effective-policy-valid",
  "s3-account-public-access-block",
  "imdsv2-default",
  "ebs-snapshot-block-public-access",
  "ami-block-public-access",
  "serial-console-disabled",
  "vpc-block-public-access",
] as const;

export type ControlId = (typeof CONTROL_IDS)[number];

/** The per-row statuses of the report (DESIGN.md). */
export const COMPLIANCE_STATUSES = [
  "COMPLIANT",
  "NON_COMPLIANT",
  "NOT_APPLICABLE",
  "INSUFFICIENT_DATA",
  "ERROR",
  "SKIPPED",
] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];
