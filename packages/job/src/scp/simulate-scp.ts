import { type Inventory, OrgwardenError, orgPathOf, requireTarget, type Target } from "@orgwarden/core";
import {
  type AccountPathGroup,
  type AwsVerdict,
  askAwsSimulator,
  type ConditionKeyValue,
  describeDecision,
  evaluateScps,
  explainDecision,
  type KeyValue,
  type PolicyTemplate,
  type ProbeRequest,
  type ScpDecision,
  type SimulatedRequest,
  scpEffectOf,
  simulatedRequest,
  simulationPaths,
  type VerifyWithAws,
} from "@orgwarden/scp";
import { awsVerification } from "../session/scp-plan-inputs.js";
import type { JobSession } from "../session/session.js";
import type { SimulateSettings } from "../settings/simulate-settings.js";
import { draftIn, draftScp } from "./plan-scp.js";

/** orgwarden's verdict on one path, with the statement that decided it. */
export interface OrgwardenVerdict {
  effect: "ALLOW" | "DENY";
  /** In words: the deciding policy and statement, or why the SCPs let it through. */
  reason: string;
  /** explicit-deny: a Deny statement; no-allow: a level without an Allow for it. */
  by?: "explicit-deny" | "no-allow";
  /** Why SCPs do not decide at all: a service-linked role, the management account, SCPs disabled. */
  exempt?: "service-linked-role" | "management-account" | "scps-disabled";
  policy?: string;
  sid?: string;
  /** The root, OU or account the deciding policy (or the level without an Allow) is attached to. */
  nodePath?: string;
  /** The undocumented case orgwarden read the stricter way, when the denial hangs on it. */
  assumed?: string;
  /** The deciding statement's condition keys, with the request's value (undefined: absent). */
  conditionKeys: ConditionKeyValue[];
}

/** One distinct set of SCPs at or below the target, and both engines' answer on it. */
export interface SimulationRow {
  /** The levels of the path, root first, as paths (`Root`, `Root/Workloads`, …). */
  levels: string[];
  /** Active member accounts with these SCPs. */
  accounts: number;
  /** The account the request was built for: the path's first account (or the target account). */
  exampleAccount: string | undefined;
  principalArn: string;
  /** The request's condition keys, as sent to both engines. */
  context: Record<string, KeyValue>;
  /** Keys orgwarden assumed (no --context named them). */
  assumed: string[];
  /** Default keys --context took out. */
  removed: string[];
  orgwarden: OrgwardenVerdict;
  /** AWS's answer; `effect` is the SCPs' part of it (AllowedByOrganizations where given). */
  aws: AwsVerdict & { effect?: "ALLOW" | "DENY" };
  /** Undefined when AWS was not asked. */
  agree: boolean | undefined;
  /** Set when the engines disagree: the one that denies. */
  stricter?: "orgwarden" | "aws";
}

export interface ScpSimulation {
  target: { id: string; path: string; kind: Target["kind"] };
  principal: string;
  action: string;
  resource: string;
  /** The policies --with-planned attached, as named in AWS Organizations. */
  withPlanned: string[];
  verifyWithAws: VerifyWithAws;
  /** iam:SimulateCustomPolicy requests made. */
  awsCalls: number;
  rows: SimulationRow[];
  notes: string[];
}

/**
 * `orgwarden scp simulate`: can this principal do this action here, and which SCP decides? The
 * request is judged on every distinct SCP path at and below the target (as it is, or with the
 * --with-planned policies attached as apply-scp would attach them) by orgwarden's evaluator and,
 * unless --verify-with-aws off, by AWS's policy simulator. Reads AWS, writes nothing.
 */
export async function simulateScp(
  session: JobSession,
  settings: SimulateSettings,
  library: Map<string, PolicyTemplate>,
): Promise<ScpSimulation> {
  // Rendered before any AWS call: an unknown policy or a bad parameter stops here.
  const draft = settings.planned && draftScp(library, settings.planned);
  const inventory = await session.inventory();
  const target = requireTarget(inventory, settings.target.ref);
  const notes: string[] = [];
  const planned = draft ? draftIn(draft, inventory.partition).policies : [];
  const enabled = inventory.scpPolicyType === "ENABLED";
  if (!enabled && planned.length > 0) {
    throw new OrgwardenError(
      "REFUSED",
      `SCPs are not enabled in organization ${inventory.organizationId}: --with-planned cannot say what enabling them attaches`,
      {
        hint: "Without --with-planned the answer is ALLOW (no SCP applies); apply-scp enables the SCP policy type, after which FullAWSAccess is attached everywhere.",
      },
    );
  }
  const organizations = session.factory.organizations(session.operatorCredentials);
  const groups = await simulationPaths(inventory, target, organizations, planned);
  const rows = groups.map((group) => judgeLocally(inventory, target, settings, group, enabled, notes));

  const verification =
    settings.awsCheck.mode === "off" ? undefined : awsVerification(session, settings.awsCheck).verifyWithAws;
  const toAsk = rows.filter((r) => r.row.orgwarden.exempt === undefined);
  let awsCalls = 0;
  if (verification && toAsk.length > 0) {
    const asked = await askAwsSimulator(
      toAsk.map((r) => ({ levels: r.levels, request: r.request })),
      verification,
    );
    awsCalls = asked.calls;
    for (const [i, r] of toAsk.entries()) r.row.aws = withEffect(asked.verdicts[i] as AwsVerdict);
    const unavailable = asked.verdicts.find((v) => !v.asked);
    if (unavailable && !unavailable.asked) {
      notes.push(
        `AWS's policy simulator could not be asked (${unavailable.reason}): orgwarden's verdict alone; --verify-with-aws on makes this an error (exit 2)`,
      );
    }
  }
  for (const { row } of rows) {
    if (row.aws.effect === undefined) continue;
    row.agree = row.aws.effect === row.orgwarden.effect;
    if (!row.agree) row.stricter = row.orgwarden.effect === "DENY" ? "orgwarden" : "aws";
  }
  return {
    target: { id: target.id, path: target.path, kind: target.kind },
    principal: settings.principal,
    action: settings.action,
    resource: settings.resource,
    withPlanned: planned.map((p) => p.managedName),
    verifyWithAws: settings.awsCheck.mode,
    awsCalls,
    rows: rows.map((r) => r.row),
    notes,
  };
}

interface JudgedRow {
  row: SimulationRow;
  levels: AccountPathGroup["levels"];
  request: ProbeRequest;
}

/** orgwarden's side of one path: the request built for it, the decision and its statement. */
function judgeLocally(
  inventory: Inventory,
  target: Target,
  settings: SimulateSettings,
  group: AccountPathGroup,
  enabled: boolean,
  notes: string[],
): JudgedRow {
  const exampleAccount = group.accountIds[0] ?? (target.kind === "account" ? target.id : undefined);
  const principalAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(settings.principal)?.[1];
  const account = exampleAccount ?? principalAccount;
  if (account === undefined) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `--principal ${settings.principal} names no account, and ${target.path} has no active member account to put it in`,
      {
        hint: `Give the principal's full ARN, e.g. arn:${inventory.partition}:iam::111122223333:${settings.principal}.`,
      },
    );
  }
  const built = simulatedRequest(
    {
      principal: settings.principal,
      action: settings.action,
      resource: settings.resource,
      region: settings.region,
      partition: inventory.partition,
      overrides: settings.context,
    },
    { organizationId: inventory.organizationId, account, orgPathOf: (id) => orgPathOf(inventory, id) },
  );
  if (principalAccount && group.accountIds.length > 0 && !group.accountIds.includes(principalAccount)) {
    const note = `${built.principalArn} belongs to account ${principalAccount}: on a path without that account the SCPs shown do not govern it (SCPs apply to the principals of the accounts below them); --principal ${built.principalArn.split(":").slice(5).join(":")} asks for that principal in each path's own account`;
    if (!notes.includes(note)) notes.push(note);
  }
  const management =
    (target.kind === "account" && target.account.isManagement) ||
    (principalAccount ?? account) === inventory.managementAccountId;
  const orgwarden = verdictOf(
    group.levels,
    built,
    !enabled ? "scps-disabled" : management ? "management-account" : undefined,
  );
  return {
    levels: group.levels,
    request: built.request,
    row: {
      levels: group.levels.map((l) => l.nodePath),
      accounts: group.accountIds.length,
      exampleAccount,
      principalArn: built.principalArn,
      context: { ...built.request.keys },
      assumed: built.assumed,
      removed: built.removed,
      orgwarden,
      // Replaced by AWS's answer for the rows it is asked about (see simulateScp).
      aws: { asked: false, reason: NOT_ASKED[orgwarden.exempt ?? "off"] },
      agree: undefined,
    },
  };
}

const NOT_ASKED: Record<NonNullable<OrgwardenVerdict["exempt"]> | "off", string> = {
  "service-linked-role":
    "a service-linked role: SCPs do not apply to it, and the simulator takes no role as caller",
  "management-account": "SCPs do not affect the management account",
  "scps-disabled": "SCPs are not enabled in the organization",
  off: "--verify-with-aws off",
};

function verdictOf(
  levels: AccountPathGroup["levels"],
  built: SimulatedRequest,
  exempt: "scps-disabled" | "management-account" | undefined,
): OrgwardenVerdict {
  if (exempt === "scps-disabled") {
    return { effect: "ALLOW", exempt, reason: "SCPs are not enabled in the organization", conditionKeys: [] };
  }
  if (exempt === "management-account") {
    return {
      effect: "ALLOW",
      exempt,
      reason: "SCPs do not affect the management account",
      conditionKeys: [],
    };
  }
  const decision: ScpDecision = evaluateScps(levels, built.request);
  if (decision.effect === "ALLOW") {
    return decision.exempt
      ? {
          effect: "ALLOW",
          exempt: decision.exempt,
          reason: "SCPs do not apply to service-linked roles",
          conditionKeys: [],
        }
      : {
          effect: "ALLOW",
          reason: "every level of the path allows it, and no Deny applies",
          conditionKeys: [],
        };
  }
  if (decision.by === "aws-simulator") throw new Error("orgwarden's evaluator never decides as AWS");
  const statement = explainDecision(levels, built.request, decision);
  return {
    effect: "DENY",
    reason: describeDecision(decision),
    by: decision.by,
    ...(decision.by === "explicit-deny"
      ? { policy: decision.policy, ...(decision.sid ? { sid: decision.sid } : {}) }
      : {}),
    nodePath: decision.nodePath,
    ...(decision.assumed ? { assumed: decision.assumed } : {}),
    conditionKeys: statement?.conditionKeys ?? [],
  };
}

/** AWS's verdict on the SCPs (scpEffectOf). */
function withEffect(v: AwsVerdict): SimulationRow["aws"] {
  if (!v.asked) return v;
  return { ...v, effect: scpEffectOf(v) };
}
