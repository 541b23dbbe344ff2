import { isAwsError, OrgwardenError, RequestPace } from "@orgwarden/core";
import { skipReason } from "../skip-reason.js";
import { type Batch, pairKey } from "./simulation-batches.js";
import type { PolicySimulator, SimulationAnswer } from "./simulation-call.js";

/** `--verify-with-aws`: `auto` asks AWS when it may (a note when not), `on` requires it, `off` never asks. */
export type VerifyWithAws = "auto" | "on" | "off";

export const DEFAULT_VERIFY_RATE = 40;
export const DEFAULT_VERIFY_CONCURRENCY = 8;
/**
 * Calls that may start at once after a quiet spell: a plan on one SCP path (about 60 calls with every
 * library policy) is not slowed; past it, the rate holds.
 */
const VERIFY_BURST = 100;

/** How orgwarden reaches AWS's policy simulator. */
export interface AwsVerification {
  mode: Exclude<VerifyWithAws, "off">;
  simulate: PolicySimulator;
  /** Calls started per second (default DEFAULT_VERIFY_RATE) and in flight at once. */
  rate?: number;
  concurrency?: number;
}

/** Where a user sets the mode: a flag on apply-scp and scp simulate, a field of the file for run. */
export const SETTING_HINT =
  "--verify-with-aws auto (verifyWithAws: auto in the config file) goes on with orgwarden's evaluator alone where AWS cannot answer.";

export interface SentCalls {
  /** AWS's answer per request key (see requestKeyer). */
  answers: Map<string, SimulationAnswer>;
  /** SimulateCustomPolicy requests made, pages included. */
  calls: number;
  /** Why AWS could not be asked (no call is started after the first failure). */
  failure?: { reason: string; cause: unknown };
}

/**
 * Sends the batches, paced (the rate and concurrency of `verification`), and files each answer under
 * the keys of the requests it decides. In `on`, a failure is a refusal (exit 2) naming `what` could
 * not be done; in `auto` it is returned for the caller to say.
 */
export async function sendCalls(
  batches: readonly Batch[],
  verification: AwsVerification,
  what: string,
): Promise<SentCalls> {
  const rate = verification.rate ?? DEFAULT_VERIFY_RATE;
  const pace = new RequestPace(
    rate,
    verification.concurrency ?? DEFAULT_VERIFY_CONCURRENCY,
    Math.min(VERIFY_BURST, Math.max(1, rate) * 5),
  );
  const answers = new Map<string, SimulationAnswer>();
  let calls = 0;
  let failure: SentCalls["failure"];
  await Promise.all(
    batches.map((batch) =>
      pace.run(async () => {
        if (failure) return;
        try {
          const result = await verification.simulate(batch.call);
          calls += result.pages;
          for (const answer of result.answers) {
            for (const key of batch.answers.get(pairKey(answer.action, answer.resource)) ?? []) {
              answers.set(key, answer);
            }
          }
        } catch (err) {
          failure ??= { reason: skipReason(err, "iam:SimulateCustomPolicy"), cause: err };
        }
      }),
    ),
  );
  if (failure && verification.mode === "on") {
    throw new OrgwardenError(
      "REFUSED",
      `--verify-with-aws on: AWS's policy simulator could not ${what} (${failure.reason})`,
      {
        hint: `${remedy(failure.cause)} ${SETTING_HINT} Nothing was changed.`,
        cause: failure.cause,
      },
    );
  }
  return { answers, calls, ...(failure ? { failure } : {}) };
}

/** What to do about a simulator that could not answer, by why. */
function remedy(cause: unknown): string {
  if (isAwsError(cause, "AccessDenied", "AccessDeniedException"))
    return "Allow iam:SimulateCustomPolicy for orgwarden's credentials (docs/permissions/management-read-only.json).";
  if (isAwsError(cause, "Throttling", "ThrottlingException"))
    return "IAM throttled the calls past their retries: lower --verify-rate (verifyRate in the config file).";
  return "Check that the endpoint is AWS's IAM and reachable.";
}
