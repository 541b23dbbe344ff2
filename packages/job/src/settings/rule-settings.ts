import { OrgwardenError } from "@orgwarden/core";
import { DEFAULT_RULE_SETTINGS, type RuleDefinition, type RuleSettings, selectRules } from "@orgwarden/rules";
import {
  guardDutyCentralAccount,
  iamPolicyName,
  PASSWORD_MIN_LENGTH,
  parseNumber,
} from "../config/field-rules.js";
import type { RunConfig } from "../config/run-config.js";
import { workRegions } from "./connection-settings.js";
import { parseChoice } from "./parse-choice.js";

/** Flags that set the values the Config rules and the direct checks judge by. */
export interface RuleFlags {
  mfaPolicyName?: string;
  passwordMinLength?: string;
  /** --guardduty-central-account (commander's name for it): guardduty-enabled-centralized's CentralMonitoringAccount. */
  guarddutyCentralAccount?: string;
}

/**
 * The rules family's one merge: the MFA policy name and the password requirements, for deploy-rules,
 * rules list, report and run alike: flags win, then orgwarden.yaml (`mfaPolicyName`,
 * `passwordPolicy`), then the defaults. (Where the rules go: workRegions.)
 */
export function ruleSettings(flags: RuleFlags, config?: RunConfig): RuleSettings {
  const settings: RuleSettings = structuredClone(DEFAULT_RULE_SETTINGS);
  if (config) {
    settings.mfaPolicyName = config.mfaPolicyName;
    settings.password = { ...config.passwordPolicy };
    if (config.guardDutyCentralAccount !== undefined)
      settings.guardDutyCentralAccount = centralAccount(config.guardDutyCentralAccount);
  }
  if (flags.guarddutyCentralAccount !== undefined) {
    if (!guardDutyCentralAccount.safeParse(flags.guarddutyCentralAccount).success)
      throw new OrgwardenError(
        "INVALID_INPUT",
        `--guardduty-central-account: "${flags.guarddutyCentralAccount}" is not a list of 12-digit account ids`,
        {
          hint: "Give GuardDuty's central (delegated administrator) account, e.g. 123456789012, several separated by commas, or none.",
        },
      );
    settings.guardDutyCentralAccount = centralAccount(flags.guarddutyCentralAccount);
  }
  if (flags.mfaPolicyName !== undefined) {
    if (!iamPolicyName.safeParse(flags.mfaPolicyName).success) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `--mfa-policy-name: "${flags.mfaPolicyName}" is not an IAM policy name`,
        { hint: "Up to 128 letters, digits and +=,.@_- (the name, not the ARN)." },
      );
    }
    settings.mfaPolicyName = flags.mfaPolicyName;
  }
  if (flags.passwordMinLength !== undefined) {
    const n = parseNumber(flags.passwordMinLength, PASSWORD_MIN_LENGTH);
    if (n === undefined) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `--password-min-length must be a whole number from ${PASSWORD_MIN_LENGTH.min} to ${PASSWORD_MIN_LENGTH.max}, not "${flags.passwordMinLength}"`,
      );
    }
    settings.password.minimumLength = n;
  }
  return settings;
}

/** "none" names no central account: CentralMonitoringAccount is left out. */
function centralAccount(value: string): string {
  return value === "none" ? "" : value;
}

/** deploy-rules' flags, in the forms of a `rules:` entry of orgwarden.yaml. */
export interface RuleDeploymentFlags extends RuleFlags {
  ou?: string;
  /** --rule, repeatable: the entry's `rules`. */
  rule?: string[];
  regions?: string;
  mode?: string;
  ensureIamPolicy?: boolean;
  /** Delete the managed rules instead (no field in the file: run only deploys). */
  remove?: boolean;
}

/** Where Config rules go and how: one `rules:` entry, or deploy-rules' flags. */
export interface RuleDeployment {
  /** The OU, root or account as given (id or path); undefined: every account. */
  ou: string | undefined;
  mode: "accounts" | "organization";
  rules: RuleDefinition[];
  /** Regional rules go here; IAM (global) rules to the home region only. */
  regions: string[];
  settings: RuleSettings;
  ensureIamPolicy: boolean;
  remove: boolean;
}

/**
 * The rule deployment family's one merge, for deploy-rules (flags) and each `rules:` entry of run
 * (the file): a flag wins, then the entry, then the default (every account, accounts mode, the
 * default rules, or every rule of the catalogue for --remove without --rule). The regions: the
 * entry's own, else workRegions. The rule names are looked up here, before any AWS call.
 */
export function ruleDeployment(
  flags: RuleDeploymentFlags,
  config: RunConfig | undefined,
  home: string,
  catalog: Map<string, RuleDefinition>,
  entry?: RunConfig["rules"][number],
): RuleDeployment {
  const remove = flags.remove ?? false;
  const names = flags.rule?.length ? flags.rule : (entry?.rules ?? []);
  return {
    ou: flags.ou ?? entry?.ou,
    mode:
      flags.mode === undefined
        ? (entry?.mode ?? "accounts")
        : parseChoice("mode", flags.mode, ["accounts", "organization"] as const),
    rules: remove && names.length === 0 ? [...catalog.values()] : selectRules(catalog, names),
    regions:
      flags.regions === undefined && entry?.regions
        ? [...entry.regions]
        : workRegions(flags.regions, config, home),
    settings: ruleSettings(flags, config),
    ensureIamPolicy: flags.ensureIamPolicy ?? entry?.ensureIamPolicy ?? false,
    remove,
  };
}
