import type { RecordedDenial } from "@orgwarden/activity";
import type { ScpDecision } from "@orgwarden/scp";
import type { PolicyRef } from "./rollout-state.js";

/** Whether a denial recorded during a stage's soak counts against the stage, and why, in words. */
export interface DenialVerdict {
  counted: boolean;
  why: string;
}

/** The stage's account path, decided without and with the policies the stage attached. */
export interface StageDecisions {
  before: ScpDecision;
  after: ScpDecision;
}

/**
 * The counting rule. A denial whose message names a policy counts when that policy is one the
 * stage attached (AWS's enhanced messages name the SCP's ARN, ending in its id) and the request is
 * allowed on the account's path without the stage's policies (else it was denied already: shown,
 * not counted); any other policy
 * (Control Tower's aws-guardrails-*, Landing Zone Accelerator's, an AWS-managed SCP, …) is someone
 * else's guardrail: shown, never counted. A message that names another kind of policy (an identity
 * or resource policy) is not an SCP's. A message that names no policy counts when orgwarden's
 * evaluator says the request is allowed on the account's path without the stage's policies and
 * denied by one of them with them. `decide` is called only for the stage's policies or no policy
 * (undefined: the account's path is unknown; a message naming the stage's policy then counts).
 */
export function judgeDenial(
  denial: RecordedDenial | undefined,
  attached: readonly PolicyRef[],
  policyName: (id: string) => string | undefined,
  decide: () => StageDecisions | undefined,
): DenialVerdict {
  if (denial?.policyArn) {
    const id = denial.policyArn.slice(denial.policyArn.lastIndexOf("/") + 1);
    const ours = attached.find((p) => p.id === id);
    if (ours) {
      // AWS names one deciding policy: with the old variant still attached beside the new one, a
      // request the old one denies anyway may name the new one. Not a denial the stage caused.
      const before = decide()?.before;
      if (before?.effect === "DENY") {
        return {
          counted: false,
          why: `the message names ${ours.name} (${id}), but it was denied already without the stage's policy (${describeDecision(before)})`,
        };
      }
      return { counted: true, why: `the message names ${ours.name} (${id}), attached by this stage` };
    }
    const name = policyName(id);
    return {
      counted: false,
      why: `the message names another policy: ${name ? `${name} (${id})` : denial.policyArn}`,
    };
  }
  if (denial?.policyType && denial.policyType !== "service-control-policy") {
    return { counted: false, why: `denied by ${denial.policyType.replace(/-/g, " ")}, not an SCP` };
  }
  const decided = decide();
  if (!decided) return { counted: false, why: "the caller's account is not under the stage's target" };
  const { before, after } = decided;
  const names = new Set(attached.map((p) => p.name));
  const byOurs = after.effect === "DENY" && after.by === "explicit-deny" && names.has(after.policy);
  if (byOurs && before.effect === "ALLOW") {
    return {
      counted: true,
      why: `the message names no policy; orgwarden's evaluator: denied by ${after.policy}${after.sid ? ` (${after.sid})` : ""}, allowed without it`,
    };
  }
  if (before.effect === "DENY") {
    return {
      counted: false,
      why: `the message names no policy; orgwarden's evaluator: denied without this stage's policies too (${describeDecision(before)})`,
    };
  }
  return {
    counted: false,
    why:
      after.effect === "ALLOW"
        ? "the message names no policy; orgwarden's evaluator: the SCPs allow it (another kind of policy denied it)"
        : `the message names no policy; orgwarden's evaluator: ${describeDecision(after)}`,
  };
}

function describeDecision(d: ScpDecision): string {
  if (d.effect === "ALLOW") return "allowed";
  if (d.by === "explicit-deny") return `denied by ${d.policy}${d.sid ? ` (${d.sid})` : ""} at ${d.nodePath}`;
  if (d.by === "no-allow") return `no SCP at ${d.nodePath} allows it`;
  return `AWS's simulator denies it at ${d.nodePath}`;
}
