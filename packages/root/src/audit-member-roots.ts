import { fanOut, type Logger, type OrgAccount } from "@orgwarden/core";
import { auditRootCredentials, judgeRootCredentials, type RootCredentials } from "./root-credentials.js";
import { canManageRootCredentials, type RootAccessFeatures } from "./root-features.js";
import { ROOT_TASKS, type RootSessions } from "./root-sessions.js";

export type RootStatus = "COMPLIANT" | "NON_COMPLIANT" | "NOT_APPLICABLE" | "SKIPPED" | "ERROR";

/** One member account's root user, as `root status` shows it. */
export interface RootStatusRow {
  account: OrgAccount;
  status: RootStatus;
  reason: string;
  /** Present when the audit ran. */
  credentials?: RootCredentials;
}

/**
 * Why an account is outside centralized root access, or undefined when it can be audited: AWS does
 * not allow AssumeRoot on the management account, and a suspended account cannot be acted on.
 */
export function outOfRootScope(
  account: OrgAccount,
  managementAccountId: string,
): { status: "NOT_APPLICABLE" | "SKIPPED"; reason: string } | undefined {
  if (account.id === managementAccountId || account.isManagement) {
    return {
      status: "NOT_APPLICABLE",
      reason:
        "management account: out of scope (AWS does not allow sts:AssumeRoot on it); protect its root user with MFA",
    };
  }
  if (account.state !== "ACTIVE") return { status: "SKIPPED", reason: `account is ${account.state}` };
  return undefined;
}

export const NOT_ENABLED_REASON =
  "not audited: centralized root credentials management is off (run orgwarden root enable)";

export interface AuditMemberRootsInput {
  accounts: readonly OrgAccount[];
  features: RootAccessFeatures;
  sessions: RootSessions;
  concurrency?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Audits every member account's root user with an AssumeRoot session under
 * IAMAuditRootUserCredentials, in parallel. An account whose session is refused is an ERROR row with
 * the reason; the others go on.
 */
export async function auditMemberRoots(input: AuditMemberRootsInput): Promise<RootStatusRow[]> {
  const enabled = canManageRootCredentials(input.features);
  const inScope = input.accounts.filter(
    (a) => enabled && !outOfRootScope(a, input.sessions.managementAccountId),
  );
  const audits = new Map(
    (
      await fanOut(
        inScope,
        (account) => input.sessions.withIam(account.id, ROOT_TASKS.audit, auditRootCredentials),
        {
          ...(input.concurrency ? { concurrency: input.concurrency } : {}),
          ...(input.logger ? { logger: input.logger } : {}),
          ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        },
      )
    ).map((r) => [r.account.id, r]),
  );
  return input.accounts.map((account): RootStatusRow => {
    const out = outOfRootScope(account, input.sessions.managementAccountId);
    if (out) return { account, ...out };
    const audit = audits.get(account.id);
    if (!audit) return { account, status: "SKIPPED", reason: NOT_ENABLED_REASON };
    if (!audit.ok) {
      const e = audit.error;
      return { account, status: "ERROR", reason: e.hint ? `${e.message} (${e.hint})` : e.message };
    }
    return { account, ...judgeRootCredentials(audit.value), credentials: audit.value };
  });
}
