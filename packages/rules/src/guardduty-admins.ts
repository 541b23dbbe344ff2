import type { GuardDutyClient } from "@aws-sdk/client-guardduty";
import {
  type ClientFactory,
  type Credentials,
  collectPages,
  describeAwsError,
  OrgwardenError,
} from "@orgwarden/core";
import type { RuleSettings } from "./render-rule.js";
import type { RuleDefinition } from "./rule-catalog.js";

const PLACEHOLDER = "${GuardDutyCentralAccount}";

/** Whether any of the rules names GuardDuty's central account (guardduty-enabled-centralized). */
export function needsGuardDutyCentralAccount(rules: readonly RuleDefinition[]): boolean {
  return rules.some((r) => Object.values(r.inputParameters).some((v) => v.includes(PLACEHOLDER)));
}

/**
 * GuardDuty's delegated administrator in each region: ListOrganizationAdminAccounts, from the
 * management account, once per region (a delegated administrator is designated region by region).
 * Only ENABLED administrators count; a region without one maps to "" (the rule then checks GuardDuty
 * in the account itself). https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListOrganizationAdminAccounts.html
 */
export async function readGuardDutyAdmins(
  guarddutyIn: (region: string) => GuardDutyClient,
  regions: readonly string[],
): Promise<Record<string, string>> {
  const admins: Record<string, string> = {};
  // Loaded here, not with the package: GuardDuty's client is 230 kB of code that a command which
  // deploys no GuardDuty rule should not load at start.
  const { paginateListOrganizationAdminAccounts } = await import("@aws-sdk/client-guardduty");
  await Promise.all(
    [...new Set(regions)].map(async (region) => {
      try {
        const accounts = await collectPages(
          paginateListOrganizationAdminAccounts({ client: guarddutyIn(region) }, {}),
          (p) => p.AdminAccounts,
        );
        admins[region] = accounts
          .filter((a) => a.AdminStatus === "ENABLED" && a.AdminAccountId)
          .map((a) => a.AdminAccountId as string)
          .sort()
          .join(",");
      } catch (err) {
        const e = describeAwsError(err, "GuardDuty");
        throw new OrgwardenError(
          e.code === "ACCESS_DENIED" ? "ACCESS_DENIED" : e.code,
          `cannot read GuardDuty's delegated administrator in ${region} (guardduty:ListOrganizationAdminAccounts) for guardduty-enabled-centralized's CentralMonitoringAccount: ${e.message}`,
          {
            hint: "Run from the management account with guardduty:ListOrganizationAdminAccounts allowed, or name the central account yourself: guardDutyCentralAccount in the config file or --guardduty-central-account (12-digit ids, comma-separated; none for no central account). Nothing was changed.",
            cause: err,
          },
        );
      }
    }),
  );
  return admins;
}

/**
 * The settings with GuardDuty's delegated administrator of each region, when a selected rule names
 * the central account and the user did not (guardDutyCentralAccount, which wins in every region).
 */
export async function withGuardDutyAdmins(
  settings: RuleSettings,
  rules: readonly RuleDefinition[],
  regions: readonly string[],
  operator: { factory: ClientFactory; credentials: Credentials },
): Promise<RuleSettings> {
  if (settings.guardDutyCentralAccount !== undefined || !needsGuardDutyCentralAccount(rules)) return settings;
  const { GuardDutyClient } = await import("@aws-sdk/client-guardduty");
  const guardDutyAdmins = await readGuardDutyAdmins(
    (region) =>
      operator.factory.create(GuardDutyClient, {
        scope: "operator",
        credentials: operator.credentials,
        region,
      }),
    regions,
  );
  return { ...settings, guardDutyAdmins };
}
