import { describeAwsError } from "@orgwarden/core";
import {
  auditRootCredentials,
  canManageRootCredentials,
  describeRootAccessFeatures,
  ROOT_TASKS,
  type RootAccessFeatures,
  type RootCredentials,
  type RootSessions,
} from "@orgwarden/root";

/** What the report knows about one account's root user from centralized root access. */
export type RootAudit =
  | { kind: "audited"; credentials: RootCredentials }
  | { kind: "management"; reason: string }
  | { kind: "not-enabled"; reason: string }
  | { kind: "failed"; reason: string };

/** Centralized root access for a report: the organization's features (read once) and a root audit per account. */
export interface RootAccessReading {
  managementAccountId: string;
  /** false unless the root audit was asked for (--root-audit): the account summary is used. */
  audits: boolean;
  features(): Promise<RootAccessFeatures>;
  /** Never rejects: a failure is a `failed` audit with the reason. */
  audit(accountId: string): Promise<RootAudit>;
  /** Forgets the account's root sessions: its evaluation is over (RootSessions.forget). */
  forget(accountId: string): void;
}

/**
 * Reads the features on first need and, when asked (`audit: true`), audits member accounts with an
 * AssumeRoot session under IAMAuditRootUserCredentials, only when RootCredentialsManagement is on.
 * Without it the root controls are judged from iam:GetAccountSummary, whose SummaryMap carries
 * AccountPasswordPresent, AccountAccessKeysPresent, AccountSigningCertificatesPresent and
 * AccountMFAEnabled (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountSummary.html).
 */
export function rootAccessReading(input: {
  sessions: RootSessions;
  readFeatures: () => Promise<RootAccessFeatures>;
  /** true: audit in an AssumeRoot session (each is an event in CloudTrail); else the summary is used. */
  audit?: boolean;
}): RootAccessReading {
  let features: Promise<RootAccessFeatures> | undefined;
  const reading: RootAccessReading = {
    managementAccountId: input.sessions.managementAccountId,
    audits: input.audit === true,
    features() {
      features ??= input.readFeatures();
      return features;
    },
    forget: (accountId) => input.sessions.forget(accountId),
    async audit(accountId) {
      if (accountId === reading.managementAccountId) {
        return {
          kind: "management",
          reason:
            "management account: centralized root access covers member accounts only (AWS does not allow sts:AssumeRoot on it); see root-mfa",
        };
      }
      try {
        const f = await reading.features();
        if (input.audit !== true) {
          return {
            kind: "not-enabled",
            reason:
              "not audited in an AssumeRoot session (report --root-audit, report.rootAudit: true, to audit)",
          };
        }
        if (!canManageRootCredentials(f)) {
          return {
            kind: "not-enabled",
            reason: `centralized root access is not enabled (${describeRootAccessFeatures(f)}): run orgwarden root enable to audit root credentials`,
          };
        }
        return {
          kind: "audited",
          credentials: await input.sessions.withIam(accountId, ROOT_TASKS.audit, auditRootCredentials),
        };
      } catch (err) {
        const e = describeAwsError(err, "IAM");
        return { kind: "failed", reason: e.hint ? `${e.message} (${e.hint})` : e.message };
      }
    },
  };
  return reading;
}
