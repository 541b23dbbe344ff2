import { type EvaluationResult, IAMClient, SimulateCustomPolicyCommand } from "@aws-sdk/client-iam";
import type { ClientFactory, Credentials } from "@orgwarden/core";
import {
  ALLOW_EVERYTHING,
  type AwsDecision,
  type PolicySimulator,
  type SimulationAnswer,
} from "./simulation-call.js";

/** Results per page: the API's maximum, so a call is one request whenever it can be. */
const MAX_ITEMS = 1000;

/**
 * AWS's policy simulator through `iam:SimulateCustomPolicy`, with the operator's credentials (a
 * read-only, free IAM API; IAM is global). The SCP path goes in `OrderedOrganizationPolicyInputList`
 * (root first, account last); no `CallerArn` (the API takes IAM users only, never an assumed role):
 * the principal is the `aws:PrincipalArn` context entry. Retries and back-off on throttling are the
 * client factory's (backed off per scope).
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 */
export function iamPolicySimulator(factory: ClientFactory, credentials: Credentials): PolicySimulator {
  // The factory's attempts: IAM throttles per account, and a plan sends many calls; a throttled call
  // is retried with back-off and holds back the operator's other calls meanwhile.
  const client = factory.create(IAMClient, { scope: "operator", credentials });
  return async (call) => {
    const answers: SimulationAnswer[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(
        new SimulateCustomPolicyCommand({
          PolicyInputList: [ALLOW_EVERYTHING],
          OrderedOrganizationPolicyInputList: call.levels.map((documents) => ({
            ServiceControlPolicyInputList: documents,
          })),
          ActionNames: call.actions,
          ResourceArns: call.resources,
          ContextEntries: call.context.map((c) => ({
            ContextKeyName: c.name,
            ContextKeyType: c.type,
            ContextKeyValues: c.values,
          })),
          MaxItems: MAX_ITEMS,
          ...(marker ? { Marker: marker } : {}),
        }),
      );
      pages++;
      for (const result of page.EvaluationResults ?? []) answers.push(...answersOf(result, call.resources));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    return { answers, pages };
  };
}

/**
 * One action's result, per resource: `ResourceSpecificResults` where AWS gives them (its
 * `EvalResourceName` is then the resource type's template), else the top-level decision for the
 * one resource asked.
 */
function answersOf(result: EvaluationResult, resources: readonly string[]): SimulationAnswer[] {
  const action = result.EvalActionName ?? "";
  // The top-level detail covers every resource of the call: an allow holds for each, a deny only
  // for the one resource when there is one (else each resource's own decision says it).
  const top = result.OrganizationsDecisionDetail?.AllowedByOrganizations;
  const allowedByOrganizations = top === true || resources.length === 1 ? top : undefined;
  const specific = result.ResourceSpecificResults ?? [];
  if (specific.length > 0) {
    return specific.map((r) => ({
      action,
      resource: r.EvalResourceName ?? "",
      decision: decisionOf(r.EvalResourceDecision),
      allowedByOrganizations,
    }));
  }
  const named = result.EvalResourceName;
  const resource = named && resources.includes(named) ? named : resources.length === 1 ? resources[0] : named;
  return [
    { action, resource: resource ?? "*", decision: decisionOf(result.EvalDecision), allowedByOrganizations },
  ];
}

function decisionOf(value: string | undefined): AwsDecision {
  if (value === "allowed" || value === "explicitDeny") return value;
  // implicitDeny, and anything AWS adds later: not an allow.
  return "implicitDeny";
}
