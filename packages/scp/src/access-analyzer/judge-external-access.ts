import { type Inventory, orgPathOf } from "@orgwarden/core";
import { evaluateScps, type PolicyLevel, type ProbeRequest } from "../evaluate-scps.js";
import type { AccountPathGroup } from "../lockout-guard.js";
import type { KeyValue } from "../request-keys.js";
import type { ExternalFinding, ExternalFindings } from "./list-external-findings.js";

/** One finding as the new RCPs would leave it: the actions they stop, and by which policy. */
export interface ExternalAccessVerdict {
  finding: ExternalFinding;
  /** The finding's actions the RCPs on the account's path deny after the change. */
  stopped: string[];
  /** The RCP (and level) that stops the first of them; undefined when none is stopped. */
  stoppedBy: string | undefined;
}

/** What the plan says about IAM Access Analyzer's external-access findings. */
export interface ExternalAccessReport {
  analyzer: string | undefined;
  /** Active findings on resources of the accounts the change reaches, each judged. */
  verdicts: ExternalAccessVerdict[];
  note?: string;
}

/**
 * Which active external-access findings the RCPs in effect after the change would stop, decided by
 * the evaluator from each finding's principal and actions, as requests to the resource: a public
 * finding as an anonymous caller, an account or role outside the organization with its account and
 * no organization id (the analyzer's zone of trust is the organization: a principal of a trusted
 * organization would pass where this says it is stopped), a federated principal as its provider's
 * token, a service principal without the source keys it may send (the most it can be allowed).
 * Access Analyzer's own findings ignore RCPs: they stay, and this says which of them no longer hold.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
 */
export function judgeExternalAccess(
  read: ExternalFindings,
  groups: readonly AccountPathGroup[],
  inventory: Inventory,
): ExternalAccessReport {
  const levelsOf = new Map<string, readonly PolicyLevel[]>();
  for (const g of groups) for (const account of g.accountIds) levelsOf.set(account, g.levels);
  const verdicts: ExternalAccessVerdict[] = [];
  for (const finding of read.findings) {
    const levels = levelsOf.get(finding.account);
    if (!levels) continue;
    const stopped: string[] = [];
    let stoppedBy: string | undefined;
    for (const action of finding.actions) {
      const decision = evaluateScps(levels, requestOf(finding, action, inventory));
      if (decision.effect !== "DENY") continue;
      stopped.push(action);
      stoppedBy ??=
        decision.by === "explicit-deny" ? `${decision.policy} at ${decision.nodePath}` : undefined;
    }
    verdicts.push({ finding, stopped, stoppedBy });
  }
  return { analyzer: read.analyzer, verdicts, ...(read.note ? { note: read.note } : {}) };
}

function requestOf(finding: ExternalFinding, action: string, inventory: Inventory): ProbeRequest {
  const orgPath = orgPathOf(inventory, finding.account);
  return {
    action,
    resource: finding.resource,
    keys: {
      ...callerKeys(finding, action),
      "aws:ResourceAccount": finding.account,
      "aws:ResourceOrgID": inventory.organizationId,
      ...(orgPath ? { "aws:ResourceOrgPaths": [orgPath] } : {}),
      "aws:SecureTransport": "true",
    },
  };
}

function callerKeys(finding: ExternalFinding, action: string): Record<string, KeyValue> {
  const { principal } = finding;
  const aws = principal.AWS;
  if (finding.isPublic || aws === "*") return {};
  if (aws) {
    const account = /^\d{12}$/.test(aws) ? aws : (aws.split(":")[4] ?? "");
    const arn = /^\d{12}$/.test(aws) || /:root$/.test(aws) ? `arn:aws:iam::${account}:role/external` : aws;
    return {
      "aws:PrincipalArn": arn,
      "aws:PrincipalAccount": account,
      "aws:PrincipalIsAWSService": "false",
      "aws:ViaAWSService": "false",
    };
  }
  const federated = principal.Federated;
  if (federated && action === "sts:AssumeRoleWithWebIdentity") {
    const provider = federated.includes(":oidc-provider/")
      ? federated.split(":oidc-provider/")[1]
      : federated;
    return { [`${provider}:sub`]: "external", [`${provider}:aud`]: "sts.amazonaws.com" };
  }
  const service = principal.Service;
  if (service) return { "aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": service };
  return {};
}
