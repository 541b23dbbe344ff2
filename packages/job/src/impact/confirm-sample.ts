import type { CallTuple } from "@orgwarden/activity";
import { askAwsSimulator, type ChangeVerdict, type PolicyLevel, scpEffectOf } from "@orgwarden/scp";
import { awsVerification } from "../session/scp-plan-inputs.js";
import type { JobSession } from "../session/session.js";
import type { AwsCheckSettings } from "../settings/scp-settings.js";
import { type OrganizationSetting, tupleRequest } from "./tuple-request.js";

/** How many judged calls of each kind AWS's policy simulator re-decides. */
export const AWS_SAMPLE = 25;

/** AWS's policy simulator on a sample of the calls: the newly denied ones and as many left allowed. */
export interface ImpactAwsCheck {
  mode: AwsCheckSettings["mode"];
  /** Calls sent (after the change), and how many AWS decided the same way. */
  asked: number;
  agreed: number;
  calls: number;
  disagreements: Array<{
    principalArn: string;
    action: string;
    account: string;
    region: string;
    orgwarden: "ALLOW" | "DENY";
    aws: "ALLOW" | "DENY";
  }>;
  /** Why AWS was not asked (off, no permission, an endpoint without the API). */
  unavailable?: string;
}

/**
 * Re-decides a sample with AWS's simulator on the path after the change: up to AWS_SAMPLE calls the
 * change newly denies and as many it leaves allowed. A disagreement is shown, not resolved: the
 * table stays orgwarden's (the simulator takes no principal, so it cannot be asked every call).
 */
export async function confirmSample(
  session: JobSession,
  check: AwsCheckSettings,
  judged: ReadonlyArray<{ tuple: CallTuple; verdict: ChangeVerdict; tags?: Record<string, string> }>,
  after: ReadonlyMap<string, PolicyLevel[]>,
  org: OrganizationSetting,
): Promise<ImpactAwsCheck> {
  const result: ImpactAwsCheck = { mode: check.mode, asked: 0, agreed: 0, calls: 0, disagreements: [] };
  if (check.mode === "off") return { ...result, unavailable: "--verify-with-aws off" };
  const verification = awsVerification(session, check).verifyWithAws;
  if (!verification) return result;
  const pick = (kind: ChangeVerdict["kind"]) =>
    judged
      .filter((j) => j.verdict.kind === kind && j.tuple.principalKind !== "federated-user")
      .slice(0, AWS_SAMPLE);
  const sample = [...pick("newly-denied"), ...pick("still-allowed")];
  if (sample.length === 0) return result;
  const asked = sample.map((j) => ({
    levels: after.get(j.tuple.account) as PolicyLevel[],
    request: tupleRequest(j.tuple, org, j.tags),
  }));
  const { verdicts, calls } = await askAwsSimulator(asked, verification);
  result.calls = calls;
  for (const [i, v] of verdicts.entries()) {
    if (!v.asked) {
      result.unavailable ??= v.reason;
      continue;
    }
    const j = sample[i] as (typeof sample)[number];
    const ours = j.verdict.kind === "newly-denied" ? "DENY" : "ALLOW";
    const theirs = scpEffectOf(v) === "DENY" ? "DENY" : "ALLOW";
    result.asked += 1;
    if (ours === theirs) result.agreed += 1;
    else
      result.disagreements.push({
        principalArn: j.tuple.principalArn,
        action: j.tuple.action,
        account: j.tuple.account,
        region: j.tuple.region,
        orgwarden: ours,
        aws: theirs,
      });
  }
  return result;
}
