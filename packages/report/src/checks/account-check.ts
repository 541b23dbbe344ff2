import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { GuardDutyClient } from "@aws-sdk/client-guardduty";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { PasswordRequirements } from "@orgwarden/core";
import type { AuthorizationDetails } from "./authorization-details.js";
import type { RootAccessReading, RootAudit } from "./root-access.js";
import type { TrailJudgement } from "./trails.js";

/** IAM is global; the other services are asked region by region. */
export interface AccountCheckClients {
  iam: IAMClient;
  cloudtrail: (region: string) => CloudTrailClient;
  guardduty: (region: string) => GuardDutyClient;
  config: (region: string) => ConfigServiceClient;
}

export interface AccountCheckSettings {
  accountId: string;
  partition: string;
  mfaPolicyName: string;
  /** The tag key (value "true") that exempts a keys-only user from require-mfa: each such user is a row. */
  mfaExemptTagKey?: string;
  password: PasswordRequirements;
  /**
   * config-recorder's includeConfigServiceLinkedRoleCheck (Security Hub Config.1; default true): the
   * recorder must use AWS Config's service-linked role.
   */
  configServiceLinkedRoleCheck?: boolean;
  /** How long to wait for IAM to generate the credential report. */
  credentialReportTimeoutMs?: number;
  now?: () => Date;
  /** Where trails are listed and global reads are made. */
  homeRegion: string;
  /**
   * The regions regional controls are judged in (the account's enabled regions, or the chosen
   * ones), or why they could not be listed; read while the global checks run.
   */
  regions:
    | readonly string[]
    | Promise<{ regions: readonly string[]; notEnabled?: readonly string[]; error?: string }>;
  /** The management account's organization trails, judged once for the report. */
  organizationTrails?: () => Promise<readonly TrailJudgement[]>;
  /**
   * Centralized root access: adds root-credentials-centralized and root-credentials-present, and
   * makes root-mfa NOT_APPLICABLE when the audit finds no root credentials.
   */
  rootAccess?: RootAccessReading;
}

/** GetAccountSummary's SummaryMap. */
export type SummaryMap = Record<string, number | undefined>;

/** What every check of one account is given: made once per account by checkAccount. */
export interface CheckContext {
  clients: AccountCheckClients;
  settings: AccountCheckSettings;
  /** GetAccountSummary, read on first need and shared by the root controls. */
  accountSummary(): Promise<SummaryMap>;
  /** The account's IAM users and groups (GetAccountAuthorizationDetails), read on first need and shared. */
  authorizationDetails(): Promise<AuthorizationDetails>;
  /** The root audit (an AssumeRoot session) when the report reads centralized root access. */
  rootAudit: Promise<RootAudit> | undefined;
}

/** The context of a centralized root access check: only made when the report reads it. */
export interface RootAccessCheckContext extends CheckContext {
  rootAccess: RootAccessReading;
  rootAudit: Promise<RootAudit>;
}
