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

/**
 * Runs `task` for every account, at most `concurrency` at a time, and returns one result per
 * account in the order given. A failure in one account is data in its result; the run goes on.
 */
export async function fanOut<A extends { id: string }, T>(
  accounts: readonly A[],
  task: (account: A) => Promise<T>,
  options: FanOutOptions = {},
): Promise<Array<AccountResult<A, T>>> {
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const logger = options.logger ?? silentLogger();
  let done = 0;
  return Promise.all(
    accounts.map((account) =>
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
        options.onProgress?.(done, accounts.length);
        return result;
      }),
    ),
  );
}
