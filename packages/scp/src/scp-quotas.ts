/**
 * SCP quotas. AWS documents 5,120 characters per SCP and 5 SCPs attached directly per root, OU or
 * account; third-party reports say both doubled in May 2026. They are settings, not constants:
 * raise them (config file or flags) when Service Quotas says your organization has more.
 */
export interface ScpQuotas {
  maxPolicySize: number;
  maxPoliciesPerTarget: number;
}

export const DEFAULT_SCP_QUOTAS: ScpQuotas = { maxPolicySize: 5120, maxPoliciesPerTarget: 5 };
