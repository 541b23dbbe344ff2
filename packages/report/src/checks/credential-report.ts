import {
  GenerateCredentialReportCommand,
  GetCredentialReportCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { isAwsError, OrgwardenError, pollUntil } from "@orgwarden/core";
import { parse as parseCsv } from "csv-parse/sync";

/**
 * The credential report's rows by column name, parsed as CSV (quoted cells included). A user name
 * may hold commas (IAM allows them in names) and a report that does not quote it has extra cells:
 * the name is then both the first cells and the end of the ARN, so the row is put back together.
 */
export function credentialReportRecords(csv: string): Array<Record<string, string>> {
  const rows = parseCsv(csv, {
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];
  const header = rows.shift() ?? [];
  for (const c of ["user", "arn", "password_enabled", "mfa_active"]) {
    if (!header.includes(c)) throw new Error(`the credential report has no ${c} column`);
  }
  if (header[0] !== "user" || header[1] !== "arn")
    throw new Error("the credential report does not start with user,arn");
  return rows.map((cells) => {
    let fixed = cells;
    if (cells.length > header.length) {
      // user,arn,user_creation_time,…: the ARN is the first cell starting "arn:", the creation time
      // the first ISO 8601 cell after it; whatever lies between belongs to the name or the ARN.
      const arnAt = cells.findIndex((c, i) => i > 0 && c.startsWith("arn:"));
      const timeAt = cells.findIndex((c, i) => i > arnAt && /^\d{4}-\d{2}-\d{2}T/.test(c));
      if (arnAt > 0 && timeAt > arnAt) {
        fixed = [
          cells.slice(0, arnAt).join(","),
          cells.slice(arnAt, timeAt).join(","),
          ...cells.slice(timeAt),
        ];
      }
    }
    return Object.fromEntries(header.map((h, i) => [h, fixed[i] ?? ""]));
  });
}

/**
 * Generates (AWS makes a new one at most every 4 hours) and reads the IAM credential report. After
 * asking for it, orgwarden polls GetCredentialReport itself: one round trip fewer than asking
 * GenerateCredentialReport again until it says COMPLETE.
 */
export async function credentialReport(
  iam: IAMClient,
  timeoutMs: number,
): Promise<{ content: string; generatedAt: Date | undefined }> {
  const gen = await iam.send(new GenerateCredentialReportCommand({}));
  // Not COMPLETE yet: wait once before the first read.
  let waitFirst = gen.State !== "COMPLETE";
  return pollUntil(
    async () => {
      if (waitFirst) {
        waitFirst = false;
        return undefined;
      }
      try {
        const out = await iam.send(new GetCredentialReportCommand({}));
        return {
          content: new TextDecoder().decode(out.Content ?? new Uint8Array()),
          generatedAt: out.GeneratedTime,
        };
      } catch (err) {
        if (!isAwsError(err, ...REPORT_NOT_READY, ...REPORT_MISSING)) throw err;
        // Not there (or expired between the two calls): ask for it again, then keep polling.
        if (isAwsError(err, ...REPORT_MISSING)) await iam.send(new GenerateCredentialReportCommand({}));
        return undefined;
      }
    },
    {
      timeoutMs,
      firstDelayMs: 100,
      maxDelayMs: 4_000,
      timedOut: () =>
        new OrgwardenError(
          "AWS_ERROR",
          `the IAM credential report was not ready after ${timeoutMs / 1000} s`,
          {
            hint: "IAM generates the report asynchronously; run again in a minute.",
          },
        ),
    },
  );
}

const REPORT_NOT_READY = ["ReportInProgress", "CredentialReportNotReadyException"];
const REPORT_MISSING = [
  "ReportNotPresent",
  "CredentialReportNotPresentException",
  "CredentialReportExpiredException",
  "ReportExpired",
];
