import type { AccountClients } from "@orgwarden/core";
import {
  enableSecurityHubHint,
  importFindingsToSecurityHub,
  type Report,
  type SecurityHubImportResult,
} from "@orgwarden/report";
import { type JobHooks, NO_PROGRESS } from "../session/job-deps.js";
import type { JobSession } from "../session/session.js";

/** Failures said one by one; the log has every one. */
const SHOWN = 10;

/**
 * Imports the report into Security Hub (each account its own findings) and says what went in and
 * what did not: Security Hub off is one cause for many accounts, said once with what to do.
 */
export async function importReportToSecurityHub(
  session: JobSession,
  report: Report,
  clients: AccountClients,
  region: string,
  hooks: JobHooks = {},
): Promise<SecurityHubImportResult> {
  const progress = hooks.progress?.("security hub") ?? NO_PROGRESS;
  const result = await importFindingsToSecurityHub({
    report,
    clients,
    region,
    concurrency: session.options.concurrency,
    logger: session.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const say = hooks.notice ?? (() => {});
  say(
    `Security Hub (${region}): ${result.imported} findings imported into ${result.accounts} account(s), ${result.resolved} passed ones resolved${result.skipped.length ? `; ${result.skipped.length} suspended account(s) skipped` : ""}`,
  );
  const off = result.failed.filter((f) => f.cause === "not-enabled").map((f) => f.accountId);
  if (off.length)
    say(
      `Security Hub is not enabled in ${region} in ${off.length} account(s): ${off.slice(0, SHOWN).join(", ")}${off.length > SHOWN ? `, and ${off.length - SHOWN} more (the log names them)` : ""}\n  hint: ${enableSecurityHubHint(region)}`,
    );
  const others = result.failed.filter((f) => f.cause !== "not-enabled");
  for (const f of others.slice(0, SHOWN))
    say(`Security Hub: account ${f.accountId}: ${f.message}${f.hint ? `\n  hint: ${f.hint}` : ""}`);
  if (others.length > SHOWN)
    say(`Security Hub: ${others.length - SHOWN} more account(s) failed (the log names them)`);
  return result;
}
