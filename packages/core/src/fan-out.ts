import pLimit from "p-limit";
import { describeAwsError } from "./aws-error.js";
import type { OrgwardenError } from "./errors.js";
import { type Logger, silentLogger } from "./logger.js";

export const DEFAULT_CONCURRENCY = 16;

export type AccountResult<A, T> =
  | { account: A; ok: true; value: T }
  | { account: A; ok: false; error: OrgwardenError };

export interface FanOutOptions {
  concurrency?: number;
  logger?: Logger;
  /** Called after each account finishes, successfully or not. */
  onProgress?: (done: number, total: number) => void;
}

/** A fan-out that accepts accounts while it runs: work starts as soon as an account is known. */
export interface FanOut<A, T> {
  /** Queues an account; adding the same account id twice is a no-op. */
  add(account: A): void;
  /** Waits for every queued account; one result per account, in the order they were added. */
  settle(): Promise<Array<AccountResult<A, T>>>;
}

/**
 * Runs `task` for each account added, at most `concurrency` at a time. A failure in one account is
 * data in its result; the others go on. Lets the account work overlap the organization walk.
 */
export function createFanOut<A extends { id: string }, T>(
  task: (account: A) => Promise<T>,
  options: FanOutOptions = {},
): FanOut<A, T> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const logger = options.logger ?? silentLogger();
  const queued = new Map<string, Promise<AccountResult<A, T>>>();
  let done = 0;
  return {
    add(account) {
      if (queued.has(account.id)) return;
      queued.set(
        account.id,
        limit(async (): Promise<AccountResult<A, T>> => {
          let result: AccountResult<A, T>;
          try {
            result = { account, ok: true, value: await task(account) };
          } catch (err) {
            const error = describeAwsError(err);
            logger.warn({ accountId: account.id, code: error.code, err: error.message }, "account failed");
            result = { account, ok: false, error };
          }
          done += 1;
          options.onProgress?.(done, queued.size);
          return result;
        }),
      );
    },
    settle() {
      return Promise.all(queued.values());
    },
  };
}

/** Runs `task` for every account and returns one result per account in the order given. */
export async function fanOut<A extends { id: string }, T>(
  accounts: readonly A[],
  task: (account: A) => Promise<T>,
  options: FanOutOptions = {},
): Promise<Array<AccountResult<A, T>>> {
  const run = createFanOut(task, options);
  for (const a of accounts) run.add(a);
  const results = await run.settle();
  const byId = new Map(results.map((r) => [r.account.id, r]));
  return accounts.map((a) => byId.get(a.id) as AccountResult<A, T>);
}
