import { describeAwsError } from "@orgwarden/core";
import {
  auditRootCredentials,
  canManageRootCredentials,
  describeRootAccessFeatures,
  judgeRootCredentials,
  ROOT_TASKS,
  type RootAccessFeatures,
  type RootCredentials,
  type RootSessions,
} from "@orgwarden/root";
import type { ControlOutcome } from "./report-model.js";

/** What the report knows about one account's root user from centralized root access. */
export type RootAudit =
  | { kind: "audited"; credentials: RootCredentials }
  | { kind: "management"; reason: string }
  | { kind: "not-enabled"; reason: string }
  | { kind: "failed"; reason: string };

/** Centralized root access for a report: the organization's features (read once) and a root audit per account. */
export interface RootAccessReading {
  managementAccountId: string;
  /** false when the root audit is turned off (--no-root-audit): the account summary is used. */
  audits: boolean;
  features(): Promise<RootAccessFeatures>;
  /** Never rejects: a failure is a `failed` audit with the reason. */
  audit(accountId: string): Promise<RootAudit>;
}

/**
 * Reads the features on first need and audits member accounts with an AssumeRoot session under
 * IAMAuditRootUserCredentials, only when RootCredentialsManagement is on.
 */
export function rootAccessReading(input: {
  sessions: RootSessions;
  readFeatures: () => Promise<RootAccessFeatures>;
  /** false: never open an AssumeRoot session (each is an event in CloudTrail); the summary is used. */
  audit?: boolean;
}): RootAccessReading {
  let features: Promise<RootAccessFeatures> | undefined;
  const reading: RootAccessReading = {
    managementAccountId: input.sessions.managementAccountId,
    audits: input.audit !== false,
    features() {
      features ??= input.readFeatures();
      return features;
    },
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
        if (input.audit === false) {
          return {
            kind: "not-enabled",
            reason: "root audit turned off (--no-root-audit, report.rootAudit: false)",
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

/**
 * root-credentials-centralized: an organization-wide setting, judged on the management account's
 * row; each member's row carries the same status and names where it is set.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user-access-management
 */
export function judgeCentralizedRootAccess(
  features: RootAccessFeatures,
  accountId: string,
  managementAccountId: string,
): ControlOutcome {
  const on = canManageRootCredentials(features);
  const state = describeRootAccessFeatures(features);
  const where =
    accountId === managementAccountId
      ? ""
      : `organization-wide, set in management account ${managementAccountId}: `;
  return {
    control: "root-credentials-centralized",
    status: on ? "COMPLIANT" : "NON_COMPLIANT",
    reason: on
      ? `${where}centralized root access is on (${state})`
      : `${where}centralized root access is off (${state}): run orgwarden root enable`,
  };
}

/**
 * root-credentials-present: from the root audit when centralized root access is on; otherwise from
 * the account summary's AccountPasswordPresent/AccessKeysPresent/SigningCertificatesPresent, and
 * INSUFFICIENT_DATA when the summary does not report all three.
 */
export function judgeRootCredentialsPresent(
  audit: RootAudit,
  summary: Record<string, number | undefined> | undefined,
): ControlOutcome {
  const control = "root-credentials-present" as const;
  switch (audit.kind) {
    case "audited":
      return { control, ...judgeRootCredentials(audit.credentials) };
    case "management":
      return { control, status: "NOT_APPLICABLE", reason: audit.reason };
    case "failed":
      return { control, status: "ERROR", reason: `auditing the root user failed: ${audit.reason}` };
    case "not-enabled": {
      const keys = {
        AccountPasswordPresent: "a password",
        AccountAccessKeysPresent: "access keys",
        AccountSigningCertificatesPresent: "signing certificates",
      } as const;
      const values = Object.keys(keys).map((k) => summary?.[k]);
      if (values.some((v) => v === undefined)) {
        return { control, status: "INSUFFICIENT_DATA", reason: `not audited: ${audit.reason}` };
      }
      const present = Object.entries(keys)
        .filter(([k]) => (summary?.[k] ?? 0) > 0)
        .map(([, what]) => what);
      return present.length
        ? {
            control,
            status: "NON_COMPLIANT",
            reason: `the account summary reports root ${present.join(", ")}: remove them with centralized root access (orgwarden root remove-credentials); ${audit.reason}`,
          }
        : {
            control,
            status: "COMPLIANT",
            reason: "the account summary reports no root password, access keys or signing certificates",
          };
    }
  }
}
