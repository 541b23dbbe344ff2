import { type ExtraStandIn, sendJson, sendQuery, sendQueryError } from "@orgwarden/emulator";
import {
  DECISIONS,
  type Decision,
  IamError,
  type PlantedDecision,
  simulateCustomPolicy,
} from "./simulate-custom-policy.js";

/**
 * The end-to-end tests' stand-in for IAM's policy simulator, which moto does not implement:
 * `iam:SimulateCustomPolicy` is answered by simulate-custom-policy.ts; every other request passes on
 * to moto. Every moto of the tests has one (moto-pool.ts, emulator-org.ts).
 *
 * Control path (not AWS): PUT /orgwarden-standin/simulate-policy with JSON changes the fields it
 * names (`mode`: "simulate" or "access-denied", where every call answers 403 AccessDenied;
 * `throttleEvery`: every Nth call answers Throttling, 0 never; `plantDecision`: the matching pairs
 * get that decision instead of the simulator's, null removes it); GET returns the state and the
 * counts. POST /moto-api/reset restores the defaults and zeroes the counts.
 */
export const SIMULATE_POLICY_STANDIN = "simulate-policy";

export interface SimulatePolicyState {
  mode: "simulate" | "access-denied";
  throttleEvery: number;
  plantDecision: PlantedDecision | null;
  /** SimulateCustomPolicy requests received, throttled and refused ones included. */
  calls: number;
  /** (action, resource) pairs decided. */
  evaluations: number;
  throttled: number;
}

export type SimulatePolicyChange = Partial<
  Pick<SimulatePolicyState, "mode" | "throttleEvery" | "plantDecision">
>;

const IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";

function initialState(): SimulatePolicyState {
  return { mode: "simulate", throttleEvery: 0, plantDecision: null, calls: 0, evaluations: 0, throttled: 0 };
}

/** The stand-in for startMoto's `standIns`; one per server, as its state is that server's. */
export function simulatePolicyStandIn(): ExtraStandIn {
  let state = initialState();
  // The simulation is deterministic: the same request (a plan, then its apply) is answered once.
  // Bounded, as one worker's emulator serves many test files.
  const answered = new Map<string, { result: string; evaluations: number }>();
  return {
    name: SIMULATE_POLICY_STANDIN,
    async handle(r, res, callerAccount) {
      if (r.service !== "iam" || r.action !== "SimulateCustomPolicy") return false;
      state.calls++;
      if (state.throttleEvery > 0 && state.calls % state.throttleEvery === 0) {
        state.throttled++;
        sendQueryError(res, IAM_NS, 400, "Throttling", "Rate exceeded");
        return true;
      }
      try {
        const account = await callerAccount();
        if (state.mode === "access-denied")
          throw new IamError(
            403,
            "AccessDenied",
            `User: arn:aws:iam::${account}:root is not authorized to perform: iam:SimulateCustomPolicy on resource: * because no identity-based policy allows the iam:SimulateCustomPolicy action`,
          );
        const key = `${account}\n${JSON.stringify(state.plantDecision)}\n${r.body.toString()}`;
        let answer = answered.get(key);
        if (!answer) {
          answer = await simulateCustomPolicy(r.form, account, state.plantDecision);
          if (answered.size >= 5_000) answered.clear();
          answered.set(key, answer);
        }
        const { result, evaluations } = answer;
        state.evaluations += evaluations;
        sendQuery(res, IAM_NS, "SimulateCustomPolicy", result);
      } catch (err) {
        if (!(err instanceof IamError)) throw err;
        sendQueryError(res, IAM_NS, err.status, err.code, err.message);
      }
      return true;
    },
    control(method, body, res) {
      if (method === "PUT") {
        try {
          state = { ...state, ...readChange(body.toString()) };
        } catch (err) {
          sendJson(res, { error: (err as Error).message }, "rest-json", 400);
          return;
        }
      } else if (method !== "GET") {
        sendJson(res, { error: `${method} is not supported: GET or PUT` }, "rest-json", 405);
        return;
      }
      sendJson(res, state, "rest-json");
    },
    reset() {
      state = initialState();
    },
  };
}

/** Sets the stand-in on the emulator at `endpoint` (PUT /orgwarden-standin/simulate-policy). */
export async function setSimulatePolicy(endpoint: string, change: SimulatePolicyChange): Promise<void> {
  const res = await fetch(`${endpoint}/orgwarden-standin/${SIMULATE_POLICY_STANDIN}`, {
    method: "PUT",
    body: JSON.stringify(change),
  });
  if (!res.ok)
    throw new Error(`the simulate-policy stand-in refused ${JSON.stringify(change)}: ${await res.text()}`);
}

/** The stand-in's state and counts on the emulator at `endpoint`. */
export async function simulatePolicyState(endpoint: string): Promise<SimulatePolicyState> {
  const res = await fetch(`${endpoint}/orgwarden-standin/${SIMULATE_POLICY_STANDIN}`);
  return (await res.json()) as SimulatePolicyState;
}

function readChange(text: string): SimulatePolicyChange {
  const change = JSON.parse(text || "{}") as Record<string, unknown>;
  for (const key of Object.keys(change))
    if (!["mode", "throttleEvery", "plantDecision"].includes(key)) throw new Error(`unknown field ${key}`);
  const { mode, throttleEvery, plantDecision } = change;
  if (mode !== undefined && mode !== "simulate" && mode !== "access-denied")
    throw new Error(`mode must be "simulate" or "access-denied", not ${JSON.stringify(mode)}`);
  if (throttleEvery !== undefined && !(Number.isInteger(throttleEvery) && (throttleEvery as number) >= 0))
    throw new Error(`throttleEvery must be an integer 0 or more, not ${JSON.stringify(throttleEvery)}`);
  if (plantDecision !== undefined && plantDecision !== null) {
    const p = plantDecision as Partial<PlantedDecision>;
    if (typeof p.action !== "string" || !DECISIONS.includes(p.decision as Decision))
      throw new Error(`plantDecision needs an action and a decision (${DECISIONS.join(", ")})`);
    if (p.principalArn !== undefined && typeof p.principalArn !== "string")
      throw new Error("plantDecision.principalArn must be a string");
  }
  return change as SimulatePolicyChange;
}
