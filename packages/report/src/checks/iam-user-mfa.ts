import type { ControlOutcome } from "../report-model.js";
import type { CheckContext } from "./account-check.js";
import { credentialReport, credentialReportRecords } from "./credential-report.js";

/** iam-user-mfa: every IAM user with a console password has MFA, read from the credential report. */
export async function checkConsoleUsersMfa(ctx: CheckContext): Promise<ControlOutcome[]> {
  const report = await credentialReport(ctx.clients.iam, ctx.settings.credentialReportTimeoutMs ?? 60_000);
  // The report can be up to four hours old: its rows are as of its GeneratedTime, not of this run.
  const at = report.generatedAt ? { evaluatedAt: report.generatedAt } : {};
  return [{ ...judgeConsoleUsersMfa(report.content), ...at }];
}

/**
 * MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS over the credential report, parsed as the RFC 4180 CSV it is
 * (a user name may hold a comma or a quote). The root row belongs to the root-mfa control.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */
export function judgeConsoleUsersMfa(csv: string): ControlOutcome {
  const records = credentialReportRecords(csv);
  const consoleUsers = records.filter(
    (r) => r.user !== "<root_account>" && (r.password_enabled ?? "").toLowerCase() === "true",
  );
  const withoutMfa = consoleUsers
    .filter((r) => (r.mfa_active ?? "").toLowerCase() !== "true")
    .map((r) => r.user ?? "")
    .sort();
  if (consoleUsers.length === 0)
    return {
      control: "iam-user-mfa",
      status: "NOT_APPLICABLE",
      reason: "no IAM user has a console password",
    };
  if (withoutMfa.length === 0) {
    return {
      control: "iam-user-mfa",
      status: "COMPLIANT",
      reason: `all ${consoleUsers.length} console user(s) have MFA`,
    };
  }
  return {
    control: "iam-user-mfa",
    status: "NON_COMPLIANT",
    reason: `console users without MFA: ${withoutMfa.map((u) => JSON.stringify(u)).join(" ")}`,
    resourceType: "AWS::IAM::User",
    resourceId: withoutMfa.join(" "),
  };
}
