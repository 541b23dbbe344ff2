import { OrgwardenError } from "@orgwarden/core";
import { evaluateScps, type PolicyLevel, type ProbeRequest, type ScpDecision } from "../evaluate-scps.js";
import { type Decide, describeDecision } from "../lockout-guard.js";
import type { Probe } from "../probes.js";
import { type AwsVerification, SETTING_HINT, sendCalls } from "./send-calls.js";
import { type AskedRequest, batchRequests, requestKeyer } from "./simulation-batches.js";
import { type AwsDecision, type SimulationAnswer, scpEffectOf } from "./simulation-call.js";

/** A probe request on which AWS's decision is not orgwarden's. */
export interface AwsDisagreement {
  probeId: string;
  probe: string;
  /** The last level of the path: the account (or OU) whose SCPs were sent. */
  at: string;
  action: string;
  resource: string;
  region: string | undefined;
  ours: "ALLOW" | "DENY";
  /** orgwarden's deciding policy and statement, or how it allowed. */
  oursDetail: string;
  aws: AwsDecision;
  /** From OrganizationsDecisionDetail; AWS names no SCP statement (MatchedStatements leaves SCPs out). */
  allowedByOrganizations: boolean | undefined;
  /** Whose decision the guard took: the one that fails the probe (a deny for what must be allowed). */
  guardTook: "orgwarden" | "aws";
}

/** What the plan says of AWS's check of the guard. */
export interface AwsConfirmation {
  mode: AwsVerification["mode"];
  /** False when AWS could not be asked (`unavailable` says why); the guard then stands on its own. */
  ran: boolean;
  /** Distinct probe requests the guard decided (path × request). */
  requests: number;
  /** Those sent to AWS and answered. */
  answered: number;
  agreed: number;
  /** SimulateCustomPolicy requests made, pages included. */
  calls: number;
  notSent: Array<{ reason: string; requests: number }>;
  disagreements: AwsDisagreement[];
  unavailable?: string;
}

/** Records every request the guard decides, for AWS to decide it too. */
export class AskedRequests {
  readonly #asked = new Map<string, AskedRequest & { probe: Probe }>();
  readonly #keyOf = requestKeyer();

  readonly decide: Decide = (levels, request, probe) => {
    const key = this.#keyOf.request(levels, request);
    if (!this.#asked.has(key)) this.#asked.set(key, { levels, request, probe });
    return evaluateScps(levels, request);
  };

  get all(): Array<AskedRequest & { probe: Probe }> {
    return [...this.#asked.values()];
  }
}

/**
 * Sends every request the guard decided to AWS's policy simulator, batched (one call per path,
 * context and resource set), paced, and compares each answer with orgwarden's. Returns the summary
 * and the guard's new decider: the stricter of the two engines for what each probe expects.
 * In `auto`, a simulator that cannot be reached is a note; in `on`, a refusal (exit 2).
 */
export async function confirmWithAws(
  asked: ReadonlyArray<AskedRequest & { probe: Probe }>,
  verification: AwsVerification,
): Promise<{ confirmation: AwsConfirmation; decide: Decide | undefined }> {
  const keyOf = requestKeyer();
  // SCPs never apply to service-linked roles (the evaluator exempts them); the simulator cannot be
  // told the caller is one (it takes no role as caller), so their requests are not sent.
  const exempt = (a: AskedRequest) => {
    const d = evaluateScps(a.levels, a.request);
    return d.effect === "ALLOW" && d.exempt === "service-linked-role";
  };
  const skipped = asked.filter(exempt);
  const sent = asked.filter((a) => !exempt(a));
  const notSent =
    skipped.length > 0
      ? [
          {
            reason:
              "service-linked roles: SCPs do not apply to them, and the simulator takes no role as caller",
            requests: skipped.length,
          },
        ]
      : [];
  const batches = batchRequests(sent, keyOf);
  const { answers, calls, failure } = await sendCalls(batches, verification, "confirm the lockout guard");
  const base = { mode: verification.mode, requests: asked.length, calls, notSent };
  if (failure) {
    return {
      confirmation: {
        ...base,
        ran: false,
        answered: 0,
        agreed: 0,
        disagreements: [],
        unavailable: failure.reason,
      },
      decide: undefined,
    };
  }

  const disagreements: AwsDisagreement[] = [];
  const awsDecisions = new Map<string, SimulationAnswer>();
  let answered = 0;
  for (const a of sent) {
    const key = keyOf.request(a.levels, a.request);
    const answer = answers.get(key);
    if (!answer) continue;
    answered++;
    const ours = evaluateScps(a.levels, a.request);
    if (ours.effect === scpEffectOf(answer)) continue;
    awsDecisions.set(key, answer);
    disagreements.push(disagreement(a.levels, a.request, a.probe, ours, answer));
  }
  const unanswered = sent.length - answered;
  if (unanswered > 0) {
    if (verification.mode === "on") {
      throw new OrgwardenError(
        "REFUSED",
        `--verify-with-aws on: AWS's policy simulator returned no decision for ${unanswered} of the lockout guard's ${sent.length} requests`,
        { hint: `${SETTING_HINT} Nothing was changed.` },
      );
    }
    notSent.push({ reason: "AWS returned no decision for them", requests: unanswered });
  }
  const confirmation: AwsConfirmation = {
    ...base,
    ran: true,
    answered,
    agreed: answered - disagreements.length,
    disagreements,
  };
  return { confirmation, decide: disagreements.length > 0 ? stricterOfBoth(awsDecisions) : undefined };
}

/**
 * The guard's decider once AWS disagreed somewhere: orgwarden's decision, except where AWS's fails
 * the probe and orgwarden's does not (AWS denies what must be allowed, or allows what must be denied).
 */
function stricterOfBoth(aws: ReadonlyMap<string, SimulationAnswer>): Decide {
  const keyOf = requestKeyer();
  return (levels, request, probe) => {
    const ours = evaluateScps(levels, request);
    const answer = aws.get(keyOf.request(levels, request));
    if (!answer) return ours;
    const theirs = awsDecision(levels, answer);
    return guardTakesAws(probe, ours, theirs) ? theirs : ours;
  };
}

function guardTakesAws(probe: Probe, ours: ScpDecision, theirs: ScpDecision): boolean {
  if (ours.effect === theirs.effect) return false;
  return probe.expect === "DENY" ? theirs.effect === "ALLOW" : theirs.effect === "DENY";
}

function awsDecision(levels: readonly PolicyLevel[], answer: SimulationAnswer): ScpDecision {
  const at = levels.at(-1)?.nodePath ?? "";
  return scpEffectOf(answer) === "ALLOW"
    ? { effect: "ALLOW", engine: "aws" }
    : {
        effect: "DENY",
        by: "aws-simulator",
        decision: answer.decision === "explicitDeny" ? "explicitDeny" : "implicitDeny",
        nodePath: at,
      };
}

function disagreement(
  levels: readonly PolicyLevel[],
  request: ProbeRequest,
  probe: Probe,
  ours: ScpDecision,
  answer: SimulationAnswer,
): AwsDisagreement {
  const theirs = awsDecision(levels, answer);
  const region = request.keys["aws:RequestedRegion"];
  return {
    probeId: probe.id,
    probe: probe.label,
    at: levels.at(-1)?.nodePath ?? "",
    action: request.action,
    resource: request.resource,
    region: typeof region === "string" ? region : undefined,
    ours: ours.effect,
    oursDetail: ours.effect === "DENY" ? describeDecision(ours) : "allowed by every level",
    aws: answer.decision,
    allowedByOrganizations: answer.allowedByOrganizations,
    guardTook: guardTakesAws(probe, ours, theirs) ? "aws" : "orgwarden",
  };
}
