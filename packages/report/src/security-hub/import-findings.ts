import type { AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import {
  type AccountClients,
  type Clock,
  DEFAULT_CONCURRENCY,
  fanOut,
  type Logger,
  RequestPace,
  silentLogger,
} from "@orgwarden/core";
import { asffFinding } from "../formats/format-asff.js";
import { type Report, type ReportRow, type ReportRows, rowsByAccount } from "../report-model.js";

/** BatchImportFindings and BatchUpdateFindings take at most 100 findings a request. */
export const SECURITY_HUB_BATCH = 100;
/**
 * BatchImportFindings: 10 requests per second per account and region, bursts of 30
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/Welcome.html). orgwarden stays at 10,
 * without the burst.
 */
export const SECURITY_HUB_RATE = 10;

export interface SecurityHubImportInput {
  report: Report;
  /** Sessions in each account: a finding is imported by the account it is about (see below). */
  clients: Pick<AccountClients, "get" | "release">;
  /** The region whose Security Hub receives every finding. */
  region: string;
  /** Accounts imported at once. */
  concurrency?: number;
  /** Requests per second in one account (default 10). */
  rate?: number;
  /** What paces the requests (tests pass a manual clock). */
  clock?: Clock;
  now?: () => Date;
  logger?: Logger;
  /** Called after each account, imported or not. */
  onProgress?: (done: number, total: number) => void;
}

export interface SecurityHubImportFailure {
  accountId: string;
  /** not-enabled: Security Hub is off in the account and region (InvalidAccess); the others are said one by one. */
  cause: "not-enabled" | "refused" | "failed";
  /** Findings of the account that did not get in. */
  findings: number;
  message: string;
  hint?: string;
}

export interface SecurityHubImportResult {
  region: string;
  /** Accounts whose findings were all imported. */
  accounts: number;
  /** Findings created or updated. */
  imported: number;
  /** PASSED findings whose workflow was set to RESOLVED. */
  resolved: number;
  /** BatchImportFindings requests made. */
  importRequests: number;
  /** Suspended accounts (every row SKIPPED): no session, nothing imported. */
  skipped: string[];
  failed: SecurityHubImportFailure[];
}

/** What to do for accounts whose Security Hub is off ("InvalidAccess", "not subscribed"). */
export function enableSecurityHubHint(region: string): string {
  return `Enable Security Hub in ${region} in those accounts, or for the organization from its Security Hub administrator (auto-enable then covers accounts that join).`;
}

/**
 * Each account's rows as it asks for them, reading the rows once: accounts ask in about the order of
 * the rows (one fan-out starts them in turn), and the runs of accounts read past on the way wait
 * until they ask. Accounts not `wanted` are read past.
 */
function accountRowsInTurn(
  rows: ReportRows,
  wanted: (accountId: string) => boolean,
): (accountId: string) => ReportRow[] {
  const runs = rowsByAccount(rows);
  const readPast = new Map<string, ReportRow[]>();
  return (accountId) => {
    const early = readPast.get(accountId);
    if (early) {
      readPast.delete(accountId);
      return early;
    }
    for (let next = runs.next(); !next.done; next = runs.next()) {
      const id = (next.value[0] as ReportRow).accountId;
      if (id === accountId) return next.value;
      if (wanted(id)) readPast.set(id, next.value);
    }
    return [];
  };
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Imports every row of the report into AWS Security Hub as an ASFF finding. With the default
 * product ARN, "the identifier of the account that you are calling BatchImportFindings from needs to
 * be the same as the AwsAccountId attribute for the finding"
 * (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html), so each
 * account's findings are imported by that account (through orgwarden's member role; the management
 * account's with the operator's credentials), where the account's Security Hub — and the Security Hub
 * administrator of the organization — shows them. Batches of 100, at most `rate` requests a second per
 * account. A re-run updates the same finding ids; a finding that passes gets its workflow set to
 * RESOLVED with BatchUpdateFindings, since providers cannot set Workflow through BatchImportFindings.
 */
export async function importFindingsToSecurityHub(
  input: SecurityHubImportInput,
): Promise<SecurityHubImportResult> {
  const logger = input.logger ?? silentLogger();
  const importedAt = (input.now?.() ?? new Date()).toISOString();
  // One read for what each account has; the rows themselves are read again account by account as
  // each account's import starts, so at most `concurrency` accounts' findings are in memory.
  const tally = new Map<string, { rows: number; suspended: boolean }>();
  for (const row of input.report.rows) {
    const t = tally.get(row.accountId) ?? { rows: 0, suspended: true };
    t.rows += 1;
    if (row.status !== "SKIPPED") t.suspended = false;
    tally.set(row.accountId, t);
  }
  const skipped = [...tally.entries()].filter(([, t]) => t.suspended).map(([id]) => id);
  const accounts = [...tally.entries()].filter(([, t]) => !t.suspended).map(([id]) => ({ id }));
  const rowsOf = accountRowsInTurn(input.report.rows, (id) => tally.get(id)?.suspended === false);
  const result: SecurityHubImportResult = {
    region: input.region,
    accounts: 0,
    imported: 0,
    resolved: 0,
    importRequests: 0,
    skipped,
    failed: [],
  };

  // The Security Hub client is loaded here, not with the package: it is 370 kB of code that the
  // commands which never import findings should not load at start.
  const { BatchImportFindingsCommand, BatchUpdateFindingsCommand, SecurityHubClient } = await import(
    "@aws-sdk/client-securityhub"
  );
  const results = await fanOut(
    accounts,
    async ({ id }) => {
      // Before anything is awaited: accounts start in the order of the rows.
      const findings = rowsOf(id).map((r) => asffFinding(r, { hubRegion: input.region, importedAt }));
      const hub = input.clients.get(SecurityHubClient, id, input.region);
      // Evenly spaced (no burst): never more than `rate` requests in any second.
      const pace = new RequestPace(input.rate ?? SECURITY_HUB_RATE, 1, 1, input.clock);
      const failed: Array<{ id: string; reason: string }> = [];
      const imported: AwsSecurityFinding[] = [];
      for (const batch of chunks(findings, SECURITY_HUB_BATCH)) {
        const out = await pace.run(() => hub.send(new BatchImportFindingsCommand({ Findings: batch })));
        result.importRequests += 1;
        const bad = new Map(
          (out.FailedFindings ?? []).map((f) => [f.Id, `${f.ErrorCode}: ${f.ErrorMessage}`]),
        );
        for (const f of batch) {
          const reason = bad.get(f.Id);
          if (reason) failed.push({ id: f.Id as string, reason });
          else imported.push(f);
        }
      }
      let resolved = 0;
      const passed = imported.filter((f) => f.Compliance?.Status === "PASSED");
      for (const batch of chunks(passed, SECURITY_HUB_BATCH)) {
        const out = await pace.run(() =>
          hub.send(
            new BatchUpdateFindingsCommand({
              FindingIdentifiers: batch.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn })),
              Workflow: { Status: "RESOLVED" },
            }),
          ),
        );
        resolved += out.ProcessedFindings?.length ?? 0;
        for (const u of out.UnprocessedFindings ?? [])
          failed.push({ id: u.FindingIdentifier?.Id ?? "?", reason: `${u.ErrorCode}: ${u.ErrorMessage}` });
      }
      input.clients.release(id);
      return { imported: imported.length, resolved, failed };
    },
    {
      concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
      logger,
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  );

  for (const r of results) {
    if (!r.ok) {
      const notEnabled = /InvalidAccess|not subscribed/i.test(
        `${r.error.details?.awsError ?? ""} ${r.error.message}`,
      );
      result.failed.push({
        accountId: r.account.id,
        cause: notEnabled ? "not-enabled" : "failed",
        findings: tally.get(r.account.id)?.rows ?? 0,
        message: r.error.message,
        hint: notEnabled
          ? enableSecurityHubHint(input.region)
          : (r.error.hint ?? "Check that orgwarden's role may call securityhub:BatchImportFindings there."),
      });
      continue;
    }
    result.imported += r.value.imported;
    result.resolved += r.value.resolved;
    if (r.value.failed.length === 0) {
      result.accounts += 1;
      continue;
    }
    const first = r.value.failed[0] as { id: string; reason: string };
    const notEnabled = /InvalidAccess/i.test(first.reason);
    result.failed.push({
      accountId: r.account.id,
      cause: notEnabled ? "not-enabled" : "refused",
      findings: r.value.failed.length,
      message: `${r.value.failed.length} finding(s) refused, e.g. ${first.id}: ${first.reason}`,
      hint: notEnabled
        ? enableSecurityHubHint(input.region)
        : "See the error code of each refused finding in the BatchImportFindings API reference.",
    });
  }
  for (const f of result.failed)
    logger.warn(
      { accountId: f.accountId, cause: f.cause, findings: f.findings, err: f.message },
      "findings not imported",
    );
  logger.info(
    {
      region: input.region,
      accounts: result.accounts,
      imported: result.imported,
      resolved: result.resolved,
      failed: result.failed.length,
    },
    "security hub import done",
  );
  return result;
}
