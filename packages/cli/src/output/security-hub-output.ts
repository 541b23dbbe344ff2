import { type AccountClients, OrgwardenError } from "@orgwarden/core";
import { importFindingsToSecurityHub, type Report, type SecurityHubImportResult } from "@orgwarden/report";
import type { CommandContext } from "../context.js";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The region of --security-hub-region (or report.securityHub.region), checked before any AWS call. */
export function securityHubRegion(raw: string | undefined, home: string, option: string): string {
  const region = raw ?? home;
  if (!REGION.test(region))
    throw new OrgwardenError("INVALID_INPUT", `${option}: "${region}" is not a region name`, {
      hint: "Give the region whose Security Hub receives the findings, e.g. us-east-1.",
    });
  return region;
}

/** Imports the report into Security Hub and says on stderr what went in and what did not. */
export async function sendToSecurityHub(
  ctx: CommandContext,
  report: Report,
  clients: AccountClients,
  region: string,
): Promise<SecurityHubImportResult> {
  const result = await importFindingsToSecurityHub({
    report,
    clients,
    region,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
  });
  const err = ctx.io.stderr;
  err.write(
    `orgwarden: Security Hub (${region}): ${result.imported} findings imported into ${result.accounts} account(s), ${result.resolved} passed ones resolved${result.skipped.length ? `; ${result.skipped.length} suspended account(s) skipped` : ""}\n`,
  );
  for (const f of result.failed)
    err.write(
      `orgwarden: Security Hub: account ${f.accountId}: ${f.message}${f.hint ? `\n  hint: ${f.hint}` : ""}\n`,
    );
  return result;
}
