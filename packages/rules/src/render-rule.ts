import {
  DEFAULT_MFA_POLICY_NAME,
  DEFAULT_PASSWORD_REQUIREMENTS,
  OrgwardenError,
  type PasswordRequirements,
  replacePlaceholders,
} from "@orgwarden/core";
import { managedRuleName, type RuleDefinition } from "./rule-catalog.js";

/** Values from the config file (or flags) that the catalog's ${placeholders} may use. */
export interface RuleSettings {
  mfaPolicyName: string;
  /** The same values the direct password-policy check uses. */
  password: PasswordRequirements;
  /**
   * GUARDDUTY_ENABLED_CENTRALIZED's CentralMonitoringAccount in every region, as the user named it:
   * comma-separated 12-digit ids, or "" for none. Unset: GuardDuty's delegated administrator of each
   * region (guardDutyAdmins).
   */
  guardDutyCentralAccount?: string;
  /** GuardDuty's delegated administrator per region, as read from the organization (withGuardDutyAdmins). */
  guardDutyAdmins?: Readonly<Record<string, string>>;
}

export const DEFAULT_RULE_SETTINGS: RuleSettings = {
  mfaPolicyName: DEFAULT_MFA_POLICY_NAME,
  password: DEFAULT_PASSWORD_REQUIREMENTS,
};

/** The rule as PutConfigRule takes it, for one account. */
export interface RenderedRule {
  definition: RuleDefinition;
  configRuleName: string;
  /** Parameters with empty values dropped; AWS booleans are lower-case strings. */
  inputParameters: Record<string, string>;
  /** True when a parameter differs per account (an organization rule cannot carry it). */
  perAccount: boolean;
}

export function renderRule(
  rule: RuleDefinition,
  settings: RuleSettings,
  where: { accountId: string; partition?: string; region?: string },
): RenderedRule {
  const values: Record<string, string> = {
    AccountId: where.accountId,
    Partition: where.partition ?? "aws",
    MfaPolicyName: settings.mfaPolicyName,
    PasswordMinimumLength: String(settings.password.minimumLength),
    PasswordRequireUppercase: String(settings.password.requireUppercase),
    PasswordRequireLowercase: String(settings.password.requireLowercase),
    PasswordRequireNumbers: String(settings.password.requireNumbers),
    PasswordRequireSymbols: String(settings.password.requireSymbols),
    PasswordReusePrevention: String(settings.password.reusePrevention),
    PasswordMaxAge: String(settings.password.maxAgeDays),
    GuardDutyCentralAccount:
      settings.guardDutyCentralAccount ??
      (where.region !== undefined ? settings.guardDutyAdmins?.[where.region] : undefined) ??
      "",
  };
  let perAccount = false;
  const inputParameters: Record<string, string> = {};
  for (const [key, template] of Object.entries(rule.inputParameters)) {
    const value = replacePlaceholders(template, (name) => {
      if (!(name in values)) {
        throw new OrgwardenError("INVALID_INPUT", `${rule.file}: unknown placeholder \${${name}} in ${key}`, {
          hint: `Placeholders are ${Object.keys(values).join(", ")}.`,
        });
      }
      if (name === "AccountId") perAccount = true;
      return values[name] as string;
    });
    if (value !== "") inputParameters[key] = value;
  }
  if (JSON.stringify(inputParameters).length > 1024) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${rule.name}: InputParameters are over AWS's 1,024 characters`,
    );
  }
  return {
    definition: rule,
    configRuleName: managedRuleName(rule.name),
    inputParameters,
    perAccount,
  };
}
