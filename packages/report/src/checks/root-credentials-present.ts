import { judgeRootCredentials } from "@orgwarden/root";
import type { ControlOutcome } from "../report-model.js";
import type { RootAccessCheckContext } from "./account-check.js";
import type { RootAudit } from "./root-access.js";

/** root-credentials-present in the registry's shape: the root audit, or the account summary without it. */
export async function checkRootCredentialsPresent(ctx: RootAccessCheckContext): Promise<ControlOutcome[]> {
  const a = await ctx.rootAudit;
  // The summary is only the fallback when the audit cannot run (its failure is an ERROR).
  const s = a.kind === "not-enabled" ? await ctx.accountSummary() : undefined;
  return [judgeRootCredentialsPresent(a, s)];
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
