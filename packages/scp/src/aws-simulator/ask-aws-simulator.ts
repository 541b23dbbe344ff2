import { OrgwardenError } from "@orgwarden/core";
import { type AwsVerification, SETTING_HINT, sendCalls } from "./send-calls.js";
import { type AskedRequest, batchRequests, requestKeyer } from "./simulation-batches.js";
import type { AwsDecision } from "./simulation-call.js";

/** AWS's answer to one request, or why it was not asked. */
export type AwsVerdict =
  | { asked: true; decision: AwsDecision; allowedByOrganizations: boolean | undefined }
  | { asked: false; reason: string };

/**
 * Asks AWS's policy simulator each request on its own path, batched and paced as the lockout guard
 * asks. When AWS cannot be asked, `auto` gives every request that reason and `on` refuses (exit 2).
 */
export async function askAwsSimulator(
  asked: readonly AskedRequest[],
  verification: AwsVerification,
): Promise<{ verdicts: AwsVerdict[]; calls: number }> {
  const keyOf = requestKeyer();
  const { answers, calls, failure } = await sendCalls(batchRequests(asked, keyOf), verification, "be asked");
  const undecided = failure
    ? 0
    : asked.filter((a) => !answers.has(keyOf.request(a.levels, a.request))).length;
  if (undecided > 0 && verification.mode === "on") {
    throw new OrgwardenError(
      "REFUSED",
      `--verify-with-aws on: AWS's policy simulator returned no decision for ${undecided} of ${asked.length} requests`,
      { hint: SETTING_HINT },
    );
  }
  const verdicts = asked.map((a): AwsVerdict => {
    if (failure) return { asked: false, reason: failure.reason };
    const answer = answers.get(keyOf.request(a.levels, a.request));
    return answer
      ? { asked: true, decision: answer.decision, allowedByOrganizations: answer.allowedByOrganizations }
      : { asked: false, reason: `AWS returned no decision for ${a.request.action}` };
  });
  return { verdicts, calls };
}
