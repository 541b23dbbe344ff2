import { evaluateScps, type PolicyLevel, type ProbeRequest, type ScpDecision } from "../evaluate-scps.js";
import { type DecidingStatement, explainDecision } from "../explain-decision.js";
import type { KeyValue } from "../request-keys.js";

/** What a change of SCPs does to one recorded request. */
export type ChangeVerdict =
  /** Allowed before and after (or no SCP applies: a service-linked role). */
  | { kind: "still-allowed" }
  /** Denied already: the change is not what stops it. */
  | { kind: "already-denied"; before: ScpDecision }
  /** Allowed as the organization is, denied after the change, whatever the keys events cannot show. */
  | { kind: "newly-denied"; after: ScpDecision; statement: DecidingStatement | undefined }
  /**
   * The answer after the change hangs on a key the events cannot show (`keys`): denied as recorded
   * and allowed with some value of them, or the other way round.
   */
  | {
      kind: "undetermined";
      keys: string[];
      /** The verdict after the change for the request as recorded (the keys absent). */
      asRecorded: ScpDecision;
      statement: DecidingStatement | undefined;
    };

/**
 * Judges one recorded request on an account's SCP path as it is (`before`) and as the change would
 * leave it (`after`). Only a request the change newly denies matters; a verdict that flips when a
 * key the events cannot show takes another value (`variants`, see unobservableKeyVariants) is
 * undetermined rather than guessed either way.
 */
export function judgeChange(
  before: readonly PolicyLevel[],
  after: readonly PolicyLevel[],
  request: ProbeRequest,
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
): ChangeVerdict {
  const was = evaluateScps(before, request);
  if (was.effect === "DENY") return { kind: "already-denied", before: was };
  const now = evaluateScps(after, request);
  const flips = flippingValues(before, after, request, now.effect, variants);
  if (flips.length > 0) {
    return {
      kind: "undetermined",
      keys: flips.map((f) => f.key),
      asRecorded: now,
      statement: deciding(after, request, now, flips),
    };
  }
  if (now.effect === "ALLOW") return { kind: "still-allowed" };
  return { kind: "newly-denied", after: now, statement: explainDecision(after, request, now) };
}

interface Flip {
  key: string;
  /** The first value (undefined: absent) that turns the verdict around. */
  value: string | undefined;
}

/** The keys one of whose values turns the change's verdict (allowed before, `effect` after) around. */
function flippingValues(
  before: readonly PolicyLevel[],
  after: readonly PolicyLevel[],
  request: ProbeRequest,
  effect: ScpDecision["effect"],
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
): Flip[] {
  const flips: Flip[] = [];
  for (const [key, values] of variants) {
    for (const value of values) {
      const varied = withKey(request, key, value);
      if (varied === request) continue;
      // The change newly denies the varied request, or no longer does.
      const newlyDenied =
        evaluateScps(before, varied).effect === "ALLOW" && evaluateScps(after, varied).effect === "DENY";
      if (newlyDenied !== (effect === "DENY")) {
        flips.push({ key, value });
        break;
      }
    }
  }
  return flips;
}

function withKey(request: ProbeRequest, key: string, value: string | undefined): ProbeRequest {
  const lower = key.toLowerCase();
  const present = Object.keys(request.keys).find((k) => k.toLowerCase() === lower);
  if (value === undefined && present === undefined) return request;
  const keys: Record<string, KeyValue> = {};
  for (const [k, v] of Object.entries(request.keys)) if (k.toLowerCase() !== lower) keys[k] = v;
  if (value !== undefined) keys[key] = value;
  return { ...request, keys };
}

/** The statement that decides: the recorded request's when it is denied, else the one a flipped value meets. */
function deciding(
  after: readonly PolicyLevel[],
  request: ProbeRequest,
  now: ScpDecision,
  flips: readonly Flip[],
): DecidingStatement | undefined {
  if (now.effect === "DENY") return explainDecision(after, request, now);
  for (const { key, value } of flips) {
    const varied = withKey(request, key, value);
    const d = evaluateScps(after, varied);
    if (d.effect === "DENY") return explainDecision(after, varied, d);
  }
  return undefined;
}
