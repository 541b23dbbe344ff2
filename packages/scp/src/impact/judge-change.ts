import { evaluateScps, type PolicyLevel, type ProbeRequest, type ScpDecision } from "../evaluate-scps.js";
import { type DecidingStatement, explainDecision } from "../explain-decision.js";
import type { KeyValue } from "../request-keys.js";
import { type RequestUnknowns, UNNAMED_RESOURCE } from "./request-unknowns.js";

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
 * key the events cannot show takes another value (`variants`, see unobservableKeyVariants, each
 * tried alone), or when what this request leaves open takes another (`unknowns`, see
 * requestUnknowns), is undetermined rather than guessed either way.
 */
export function judgeChange(
  before: readonly PolicyLevel[],
  after: readonly PolicyLevel[],
  request: ProbeRequest,
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
  unknowns: RequestUnknowns = {},
): ChangeVerdict {
  const was = evaluateScps(before, request);
  if (was.effect === "DENY") return { kind: "already-denied", before: was };
  const now = evaluateScps(after, request);
  const turns = (varied: ProbeRequest) =>
    // The change newly denies the varied request, or no longer does.
    (evaluateScps(before, varied).effect === "ALLOW" && evaluateScps(after, varied).effect === "DENY") !==
    (now.effect === "DENY");
  const flips = [
    ...keyFlips(request, variants, turns),
    ...openFlips(request, unknowns, turns),
    ...resourceFlips(request, unknowns, turns),
  ];
  if (flips.length > 0) {
    return {
      kind: "undetermined",
      keys: [...new Set(flips.flatMap((f) => f.keys))],
      asRecorded: now,
      statement: deciding(after, request, now, flips),
    };
  }
  if (now.effect === "ALLOW") return { kind: "still-allowed" };
  return { kind: "newly-denied", after: now, statement: explainDecision(after, request, now) };
}

interface Flip {
  /** What the verdict hangs on: the keys that took another value. */
  keys: string[];
  /** The first request that turns the verdict around. */
  varied: ProbeRequest;
}

/** Each key alone: the first of its values that turns the verdict around. */
function keyFlips(
  request: ProbeRequest,
  variants: ReadonlyMap<string, ReadonlyArray<string | undefined>>,
  turns: (varied: ProbeRequest) => boolean,
): Flip[] {
  const flips: Flip[] = [];
  for (const [key, values] of variants) {
    for (const value of values) {
      const varied = withKeys(request, [[key, value]]);
      if (varied !== request && turns(varied)) {
        flips.push({ keys: [key], varied });
        break;
      }
    }
  }
  return flips;
}

/**
 * The open keys together, every combination of their values, those that change fewer keys first:
 * the first that turns the verdict around, with the keys it changed.
 */
function openFlips(
  request: ProbeRequest,
  unknowns: RequestUnknowns,
  turns: (varied: ProbeRequest) => boolean,
): Flip[] {
  const open = [...(unknowns.keys ?? [])];
  if (open.length === 0) return [];
  let combinations: Array<Array<[string, string | undefined]>> = [[]];
  for (const [key, values] of open)
    combinations = combinations.flatMap((c) =>
      values.map((v) => [...c, [key, v] as [string, string | undefined]]),
    );
  const changed = (c: Array<[string, string | undefined]>) =>
    c.filter(([key, value]) => keyValue(request, key) !== value).map(([key]) => key);
  const ordered = combinations
    .map((c) => ({ c, keys: changed(c) }))
    .filter((x) => x.keys.length > 0)
    .sort((a, b) => a.keys.length - b.keys.length);
  for (const { c, keys } of ordered) {
    const varied = withKeys(request, c);
    if (turns(varied)) return [{ keys, varied }];
  }
  return [];
}

/** The first resource tried that turns the verdict around. */
function resourceFlips(
  request: ProbeRequest,
  unknowns: RequestUnknowns,
  turns: (varied: ProbeRequest) => boolean,
): Flip[] {
  for (const resource of unknowns.resources ?? []) {
    const varied = { ...request, resource };
    if (turns(varied)) return [{ keys: [UNNAMED_RESOURCE], varied }];
  }
  return [];
}

function keyValue(request: ProbeRequest, key: string): KeyValue | undefined {
  const lower = key.toLowerCase();
  const found = Object.keys(request.keys).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : request.keys[found];
}

/** The request with each key set to its value (undefined: taken out); the request itself when nothing changes. */
function withKeys(
  request: ProbeRequest,
  values: ReadonlyArray<readonly [string, string | undefined]>,
): ProbeRequest {
  if (values.every(([key, value]) => keyValue(request, key) === value)) return request;
  const named = new Set(values.map(([key]) => key.toLowerCase()));
  const keys: Record<string, KeyValue> = {};
  for (const [k, v] of Object.entries(request.keys)) if (!named.has(k.toLowerCase())) keys[k] = v;
  for (const [key, value] of values) if (value !== undefined) keys[key] = value;
  return { ...request, keys };
}

/** The statement that decides: the recorded request's when it is denied, else the one a flipped request meets. */
function deciding(
  after: readonly PolicyLevel[],
  request: ProbeRequest,
  now: ScpDecision,
  flips: readonly Flip[],
): DecidingStatement | undefined {
  if (now.effect === "DENY") return explainDecision(after, request, now);
  for (const { varied } of flips) {
    const d = evaluateScps(after, varied);
    if (d.effect === "DENY") return explainDecision(after, varied, d);
  }
  return undefined;
}
