import type { KeyValue } from "../request-keys.js";

/**
 * One `iam:SimulateCustomPolicy` request as orgwarden sends it: the SCPs of one account's path, an
 * identity policy that allows everything (so only the SCPs decide), every action and resource asked
 * for with one request context.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 */
export interface SimulationCall {
  /** SCP documents (JSON text) level by level: the root first, the account last. */
  levels: string[][];
  actions: string[];
  /** Every action is decided on every resource: a call holds only pairs the guard asks for. */
  resources: string[];
  context: ContextEntry[];
}

/** A request context key as the API takes it (`ContextEntry`). */
export interface ContextEntry {
  name: string;
  type: ContextKeyType;
  values: string[];
}

type ScalarKeyType = "string" | "boolean" | "numeric" | "ip" | "date";
export type ContextKeyType = ScalarKeyType | `${ScalarKeyType}List`;

/** AWS's decision on one action and resource (`EvalResourceDecision`, or `EvalDecision`). */
export type AwsDecision = "allowed" | "explicitDeny" | "implicitDeny";

export interface SimulationAnswer {
  action: string;
  resource: string;
  decision: AwsDecision;
  /** `OrganizationsDecisionDetail.AllowedByOrganizations`, where AWS returns it. */
  allowedByOrganizations: boolean | undefined;
}

/**
 * What the SCPs decided, from AWS's answer: `AllowedByOrganizations` where AWS gives it for this
 * request, else the decision. The identity policy of the call allows everything, but a request
 * across accounts without a resource policy is still denied, by no SCP (and no caller account can
 * be named for a role: the API's CallerArn takes IAM users only).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_OrganizationsDecisionDetail.html
 */
export function scpEffectOf(
  answer: Pick<SimulationAnswer, "decision" | "allowedByOrganizations">,
): "ALLOW" | "DENY" {
  return (answer.allowedByOrganizations ?? answer.decision === "allowed") ? "ALLOW" : "DENY";
}

/** Sends one call (all its pages): a decision per action and resource, and the requests it took. */
export type PolicySimulator = (
  call: SimulationCall,
) => Promise<{ answers: SimulationAnswer[]; pages: number }>;

/**
 * The identity policy of every simulation: it allows everything, so a denial can only come from
 * the SCPs (AWS evaluates SCPs before identity policies, and the two must both allow).
 */
export const ALLOW_EVERYTHING = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});

/** Keys whose values the policy language compares as other than strings, by lower-cased name. */
const TYPED_KEYS: ReadonlyMap<string, ScalarKeyType> = new Map<string, ScalarKeyType>([
  ["aws:sourceip", "ip"],
  ["aws:multifactorauthpresent", "boolean"],
  ["aws:securetransport", "boolean"],
  ["aws:viaawsservice", "boolean"],
  ["aws:principalisawsservice", "boolean"],
  ["aws:assumedroot", "boolean"],
  ["aws:multifactorauthage", "numeric"],
  ["aws:epochtime", "numeric"],
  ["aws:currenttime", "date"],
  ["aws:tokenissuetime", "date"],
]);

/**
 * The request's condition keys as context entries: a key the policy language types (an address, a
 * Boolean, a number, a date) with its type, the rest as strings; several values as that type's list.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html
 */
export function contextEntries(keys: Readonly<Record<string, KeyValue>>): ContextEntry[] {
  return Object.entries(keys)
    .map(([name, value]): ContextEntry => {
      const type = TYPED_KEYS.get(name.toLowerCase()) ?? "string";
      if (typeof value !== "string") return { name, type: `${type}List`, values: [...value] };
      return { name, type, values: [value] };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
