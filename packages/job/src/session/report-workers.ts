import { availableParallelism } from "node:os";
import type { RoleAssumer } from "@orgwarden/core";
import type { ReportWorkers } from "@orgwarden/report";
import type { JobSession } from "./session.js";

/**
 * Up to this many accounts a report stays in one thread: two workers cost about 3 s of CPU to start
 * (each loads and compiles the SDK clients), more than such a report's account work saves. A larger
 * organization is evaluated entirely in workers (bench/README.md).
 */
export const WORKERS_AFTER_ACCOUNTS = 100;

/**
 * The report's worker threads: --workers N (from the first account), or by default one per core but
 * one when the organization has more than 100 accounts (none on a single core). This thread takes
 * its share of the accounts beside them: a thread per core, one isolate fewer (bench/README.md).
 */
export function reportWorkers(ctx: JobSession, assumer: RoleAssumer): ReportWorkers {
  const chosen = ctx.options.workers;
  const cores = availableParallelism();
  const operator = ctx.operatorCredentials;
  const { callCounter: _counter, ...factory } = ctx.factory.options;
  return {
    count: chosen ?? Math.min(cores, 8) - 1,
    startAfter: chosen === undefined ? WORKERS_AFTER_ACCOUNTS : 0,
    connection: {
      factory,
      assumer: {
        managementAccountId: assumer.managementAccountId,
        operatorAccountId: assumer.operatorAccountId,
        roleName: assumer.roleName,
        externalId: ctx.options.externalId,
        sessionName: assumer.sessionName,
        partition: assumer.partition,
      },
      logLevel: ctx.logger.level as ReportWorkers["connection"]["logLevel"],
    },
    operatorCredentials: async () => (typeof operator === "function" ? operator() : operator),
    callCounter: ctx.callCounter,
  };
}
