import { type AccountClients, isRegionName, OrgwardenError } from "@orgwarden/core";
import {
  enableSecurityHubHint,
  importFindingsToSecurityHub,
  type Report,
  type SecurityHubImportResult,
} from "@orgwarden/report";
import type { CommandContext } from "../context.js";
import { progressReporter } from "./progress.js";

/** The region of --security-hub-region (or report.securityHub.region), checked before any AWS call. */
export function securityHubRegion(raw: string | undefined, home: string, option: string): string {
  const region = raw ?? home;
  if (!isRegionName(region))
    throw new OrgwardenError("INVALID_INPUT", `${option}: "${region}" is not a region name`, {
      hint: "Give the region whose Security Hub receives the findings, e.g. us-east-1.",
    });
  return region;
}

/** Failures said one by one on stderr; the log has every one. */
const SHOWN = 10;

/** Imports the report into Security Hub and says on stderr what went in and what did not. */
export async function sendToSecurityHub(
  ctx: CommandContext,
  report: Report,
  clients: AccountClients,
  region: string,
): Promise<SecurityHubImportResult> {
  const progress = progressReporter(ctx.io, "security hub", ctx.options.quiet);
  const result = await importFindingsToSecurityHub({
    report,
    clients,
    region,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const err = ctx.io.stderr;
  err.write(
    `orgwarden: Security Hub (${region}): ${result.imported} findings imported into ${result.accounts} account(s), ${result.resolved} passed ones resolved${result.skipped.length ? `; ${result.skipped.length} suspended account(s) skipped` : ""}\n`,
  );
  // Security Hub off is one cause for many accounts: said once, with what to do.
  const off = result.failed.filter((f) => f.cause === "not-enabled").map((f) => f.accountId);
  if (off.length)
    err.write(
      `orgwarden: Security Hub is not enabled in ${region} in ${off.length} account(s): ${off.slice(0, SHOWN).join(", ")}${off.length > SHOWN ? `, and ${off.length - SHOWN} more (the log names them)` : ""}\n  hint: ${enableSecurityHubHint(region)}\n`,
    );
  const others = result.failed.filter((f) => f.cause !== "not-enabled");
  for (const f of others.slice(0, SHOWN))
    err.write(
      `orgwarden: Security Hub: account ${f.accountId}: ${f.message}${f.hint ? `\n  hint: ${f.hint}` : ""}\n`,
    );
  if (others.length > SHOWN)
    err.write(
      `orgwarden: Security Hub: ${others.length - SHOWN} more account(s) failed (the log names them)\n`,
    );
  return result;
}
