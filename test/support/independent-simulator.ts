// The independent IAM simulator is AGPL-3.0: a devDependency of the repository root, imported only
// from test/ — never from packages/, so it can never reach an installed orgwarden (a test checks it).
import { anonymousPrincipal, runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyLevel, ProbeRequest } from "@orgwarden/scp";

const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

export type IndependentVerdict = "ALLOW" | "DENY" | { error: string };

/**
 * The same request judged by @cloud-copilot/iam-simulate: an identity policy that allows everything,
 * so only the SCPs of the path decide, in the principal's own account.
 */
export async function simulateIndependently(
  levels: readonly PolicyLevel[],
  request: ProbeRequest,
): Promise<IndependentVerdict> {
  const keyEntries = Object.entries(request.keys);
  const principal =
    (keyEntries.find(([k]) => k.toLowerCase() === "aws:principalarn")?.[1] as string | undefined) ??
    "arn:aws:iam::111122223333:role/probe";
  const account = /^arn:[^:]+:iam::(\d{12}):/.exec(principal)?.[1] ?? "111122223333";
  const contextVariables = Object.fromEntries(
    keyEntries.map(([k, v]) => [k, typeof v === "string" ? v : [...v]]),
  );
  const result = await runSimulation(
    {
      identityPolicies: [{ name: "allow-all", policy: ALLOW_ALL }],
      serviceControlPolicies: levels.map((level) => ({
        orgIdentifier: level.nodeId,
        policies: level.policies.map((p) => ({ name: p.name, policy: p.document })),
      })),
      resourceControlPolicies: [],
      request: {
        action: request.action,
        principal,
        resource: { accountId: account, resource: request.resource },
        contextVariables,
      },
    },
    {},
  );
  if (result.resultType === "error") return { error: JSON.stringify(result.errors).slice(0, 300) };
  return result.overallResult === "Allowed" ? "ALLOW" : "DENY";
}

/**
 * One request judged against an identity policy alone (no SCPs): "Allowed", "ImplicitlyDenied",
 * "ExplicitlyDenied", or the simulator's error (e.g. a resource that is not of the action's types).
 */
export async function simulateIdentityPolicy(
  policy: unknown,
  action: string,
  resource: string,
  contextVariables: Record<string, string> = {},
): Promise<string> {
  const result = await runSimulation(
    {
      identityPolicies: [{ name: "under-test", policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: "arn:aws:iam::111122223333:role/orgwarden-task",
        resource: { accountId: "111122223333", resource },
        contextVariables,
      },
    },
    {},
  );
  if (result.resultType === "error") return `error: ${JSON.stringify(result.errors).slice(0, 300)}`;
  return String(result.overallResult);
}

/**
 * A request *to* a member account's resource judged by the simulator with the RCPs of the path:
 * an identity policy and a resource policy that allow everything, no SCP, so only the RCPs decide.
 * The caller is the request's principal, its AWS service, or an anonymous caller.
 */
export async function simulateRcpsIndependently(
  levels: readonly PolicyLevel[],
  request: ProbeRequest,
): Promise<IndependentVerdict> {
  const key = (name: string) =>
    Object.entries(request.keys).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] as
      | string
      | undefined;
  const principal = key("aws:PrincipalArn") ?? key("aws:PrincipalServiceName") ?? anonymousPrincipal;
  // An unsigned request (anonymous, or a web identity's AssumeRoleWithWebIdentity) has no identity policy.
  const signed = typeof principal === "string";
  const contextVariables = Object.fromEntries(
    Object.entries(request.keys).map(([k, v]) => [k, typeof v === "string" ? v : [...v]]),
  );
  const result = await runSimulation(
    {
      identityPolicies: signed ? [{ name: "allow-all", policy: ALLOW_ALL }] : [],
      serviceControlPolicies: [],
      // The simulator adds RCPFullAWSAccess to every level itself.
      resourceControlPolicies: levels.map((level) => ({
        orgIdentifier: level.nodeId,
        policies: level.policies
          .filter((p) => p.name !== "RCPFullAWSAccess")
          .map((p) => ({ name: p.name, policy: p.document })),
      })),
      resourcePolicy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
      },
      request: {
        action: request.action,
        principal,
        resource: { accountId: key("aws:ResourceAccount") ?? "111122223333", resource: request.resource },
        contextVariables,
      },
    },
    {},
  );
  if (result.resultType === "error") return { error: JSON.stringify(result.errors).slice(0, 300) };
  return result.overallResult === "Allowed" ? "ALLOW" : "DENY";
}
