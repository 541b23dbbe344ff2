import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { describeAwsError, type Logger } from "@orgwarden/core";
import {
  changesSummary,
  compareReports,
  parseReportJson,
  type Report,
  type ReportChanges,
  SNS_MAX_MESSAGE_BYTES,
} from "@orgwarden/report";
import type { RunConfig } from "../config/run-config.js";
import { writeFileAtomic } from "../files/write-file-atomic.js";
import type { JobSession } from "../session/session.js";

/**
 * "What changed since the last run": the last run's latest.json (in report.outputDir; the scheduled
 * task downloads it from S3 before the run) against this run's report, written as changes.json and
 * changes.txt, and published to SNS when something got worse.
 */
export function readPreviousReport(outputDir: string, logger: Logger): Report | undefined {
  const file = join(outputDir, "latest.json");
  if (!existsSync(file)) return undefined;
  try {
    const { shard: _shard, ...report } = parseReportJson(readFileSync(file, "utf8"), file);
    return report;
  } catch (err) {
    logger.warn({ file, err: (err as Error).message }, "the last run's report cannot be read: no comparison");
    return undefined;
  }
}

/** The comparison, when the last run was of the same organization. */
export function changesSinceLastRun(
  previous: Report | undefined,
  report: Report,
  scpDrift: ReportChanges["scpDrift"],
  logger: Logger,
): ReportChanges | undefined {
  if (!previous) return undefined;
  if (previous.organizationId !== report.organizationId) {
    logger.warn(
      { previous: previous.organizationId, now: report.organizationId },
      "the last run's report is of another organization: no comparison",
    );
    return undefined;
  }
  return compareReports(previous, report, scpDrift);
}

export function writeChanges(outputDir: string, changes: ReportChanges, reportUrl?: string): string[] {
  const json = join(outputDir, "changes.json");
  const text = join(outputDir, "changes.txt");
  writeFileAtomic(json, `${JSON.stringify(changes, null, 2)}\n`, { what: "changes.json" });
  writeFileAtomic(text, changesSummary(changes, reportUrl ? { reportUrl } : {}), { what: "changes.txt" });
  return [json, text];
}

/**
 * Publishes the summary (never the report: at most SNS's 256 KB, with a link to the report) to
 * notify.snsTopicArn. Returns false, after saying why, when the publish failed.
 */
export async function publishChanges(
  ctx: JobSession,
  notify: NonNullable<RunConfig["notify"]>,
  changes: ReportChanges,
  notice: (line: string) => void,
): Promise<boolean> {
  const region = notify.snsTopicArn.split(":")[3] as string;
  const sns = ctx.factory.create(SNSClient, {
    scope: "operator",
    credentials: ctx.operatorCredentials,
    region,
  });
  const message = changesSummary(changes, {
    ...(notify.reportUrl ? { reportUrl: notify.reportUrl } : {}),
    maxBytes: SNS_MAX_MESSAGE_BYTES,
  });
  const parts = [
    changes.becameNonCompliant.length ? `${changes.becameNonCompliant.length} new NON_COMPLIANT` : "",
    changes.newScpDrift.length ? "new SCP drift" : "",
  ].filter(Boolean);
  // SNS subjects: at most 100 printable ASCII characters.
  const subject = `orgwarden: ${changes.organizationId} got worse: ${parts.join(", ")}`.slice(0, 100);
  try {
    await sns.send(new PublishCommand({ TopicArn: notify.snsTopicArn, Subject: subject, Message: message }));
    ctx.logger.info({ topic: notify.snsTopicArn, bytes: Buffer.byteLength(message) }, "changes published");
    return true;
  } catch (err) {
    const e = describeAwsError(err, "SNS");
    ctx.logger.warn({ topic: notify.snsTopicArn, err: e.message }, "changes not published");
    notice(
      `could not publish the changes to ${notify.snsTopicArn}: ${e.message}\n  hint: ${e.hint ?? "Check that the topic exists and that orgwarden may sns:Publish to it."}`,
    );
    return false;
  }
}
