import { OrgwardenError, RequestPace } from "@orgwarden/core";
import { skipReason } from "../skip-reason.js";
import { type AwsVerification, DEFAULT_VERIFY_CONCURRENCY, DEFAULT_VERIFY_RATE } from "./confirm-with-aws.js";
import { type AskedRequest, batchRequests, requestKeyer } from "./simulation-batches.js";
import type { AwsDecision } from "./simulation-call.js";

/** AWS's answer to one request, or why it was not asked. */
export type AwsVerdict =
  | { asked: true; decision: AwsDecision; allowedByOrganizations: boolean | undefined }
  | { asked: false; reason: string };

/**
 * Asks AWS's policy simulator each request on its own path (one call each, the call the lockout
 * guard would send for it), paced. When AWS cannot be asked, `auto` gives every request that reason
 * and `on` refuses (exit 2), as the guard does.
 */
export async function askAwsSimulator(
  asked: readonly AskedRequest[],
  verification: AwsVerification,
): Promise<{ verdicts: AwsVerdict[]; calls: number }> {
  const keyOf = requestKeyer();
  const pace = new RequestPace(
    verification.rate ?? DEFAULT_VERIFY_RATE,
    verification.concurrency ?? DEFAULT_VERIFY_CONCURRENCY,
  );
  let calls = 0;
  let failure: { reason: string; cause?: unknown } | undefined;
  const verdicts = await Promise.all(
    asked.map((a) =>
      pace.run(async (): Promise<AwsVerdict | undefined> => {
        if (failure) return undefined;
        const [batch] = batchRequests([a], keyOf);
        if (!batch) return undefined;
        try {
          const result = await verification.simulate(batch.call);
          calls += result.pages;
          const action = a.request.action.toLowerCase();
          const answer = result.answers.find((x) => x.action.toLowerCase() === action);
          if (answer) {
            return {
              asked: true,
              decision: answer.decision,
              allowedByOrganizations: answer.allowedByOrganizations,
            };
          }
          failure ??= { reason: `AWS returned no decision for ${a.request.action}` };
        } catch (err) {
          failure ??= { reason: skipReason(err, "iam:SimulateCustomPolicy"), cause: err };
        }
        return undefined;
      }),
    ),
  );
  if (failure) {
    if (verification.mode === "on") {
      throw new OrgwardenError(
        "REFUSED",
        `--verify-with-aws on: AWS's policy simulator could not be asked (${failure.reason})`,
        {
          hint: "Allow iam:SimulateCustomPolicy for orgwarden's credentials (docs/permissions/), or run with --verify-with-aws auto for orgwarden's verdict alone.",
          cause: failure.cause,
        },
      );
    }
    const reason = failure.reason;
    return { verdicts: asked.map(() => ({ asked: false, reason })), calls };
  }
  return { verdicts: verdicts.map((v) => v ?? { asked: false, reason: "not asked" }), calls };
}
