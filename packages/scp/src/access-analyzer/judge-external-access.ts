import { type Inventory, orgPathOf } from "@orgwarden/core";
import { evaluateScps, type PolicyLevel, type ProbeRequest } from "../evaluate-scps.js";
import type { AccountPathGroup } from "../lockout-guard.js";
import type { KeyValue } from "../request-keys.js";
import type { AnalyzerScope, ExternalFinding, ExternalFindings } from "./list-external-findings.js";

/** One finding as the new RCPs would leave it: the actions they stop, and by which policy. */
export interface ExternalAccessVerdict {
  finding: ExternalFinding;
  /** The finding's actions the RCPs on the account's path deny after the change. */
  stopped: string[];
  /** The RCP (and level) that stops the first of them; undefined when none is stopped. */
  stoppedBy: string | undefined;
  /**
   * When the stop holds only for a principal of no trusted organization: a finding names an account,
   * never its organization, and a principal of a trusted organization passes the identity perimeter.
   */
  unless?: string;
}

/** What the plan says about IAM Access Analyzer's external-access findings. */
export interface ExternalAccessReport {
  analyzer: string | undefined;
  scope?: AnalyzerScope;
  /** Active findings on resources of the accounts the change reaches, each judged. */
  verdicts: ExternalAccessVerdict[];
  note?: string;
}

/**
 * Which active external-access findings the RCPs in effect after the change would stop, decided by
 * the evaluator from each finding's principal and actions, as requests to the resource: a public
 * finding as an anonymous caller, an account or role outside the organization with its account and
 * no organization id (a finding names no organization: where a principal of a trusted organization
 * would pass, the verdict says the stop holds only outside it), a federated principal as its provider's
 * token, a service principal without the source keys it may send (the most it can be allowed).
 * Access Analyzer's own findings ignore RCPs: they stay, and this says which of them no longer hold.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
 */
export function judgeExternalAccess(
  read: ExternalFindings,
  groups: readonly AccountPathGroup[],
  inventory: Inventory,
  trustedOrgIds: readonly string[] = [],
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
    // Stopped for an account of no organization: does a principal of a trusted organization pass?
    const passing = trustedOrgIds.filter((org) =>
      stopped.some(
        (action) => evaluateScps(levels, requestOf(finding, action, inventory, org)).effect !== "DENY",
      ),
    );
    const unless =
      passing.length > 0 && finding.principal.AWS && !finding.isPublic
        ? `its account is in ${passing.length === 1 ? "the trusted organization" : "one of the trusted organizations"} ${passing.join(", ")}`
        : undefined;
    verdicts.push({ finding, stopped, stoppedBy, ...(unless ? { unless } : {}) });
  }
  return {
    analyzer: read.analyzer,
    ...(read.scope ? { scope: read.scope } : {}),
    verdicts,
    ...(read.note ? { note: read.note } : {}),
  };
}

/**
 * The plan's note on IAM Access Analyzer's external-access findings: which analyzer was read and
 * whose resources it covers (an account analyzer of the management account covers none the RCPs
 * touch), how many findings the RCPs stop, and which stops hold only outside the trusted
 * organizations.
 */
export function describeExternalAccess(
  report: ExternalAccessReport,
  groups: readonly AccountPathGroup[],
  inventory: Pick<Inventory, "managementAccountId">,
): string {
  const { scope, verdicts } = report;
  const also = report.note ? `; ${report.note}` : "";
  if (!report.analyzer || !scope)
    return report.note ?? "IAM Access Analyzer: external-access findings not checked";
  const reached = new Set(groups.flatMap((g) => g.accountIds));
  if (scope.kind === "account" && scope.account === inventory.managementAccountId) {
    return `IAM Access Analyzer: only the ${report.analyzer} was found, the management account's: it covers that account's own resources, which RCPs never affect, so the external access of the ${reached.size} account${reached.size === 1 ? "" : "s"} the change reaches was not checked. An organization analyzer (in the management account, or Access Analyzer's delegated administrator) covers them${also}`;
  }
  const stopped = verdicts.filter((v) => v.stopped.length > 0);
  const qualified = stopped.filter((v) => v.unless).length;
  const counts = `${verdicts.length} active external-access finding${verdicts.length === 1 ? "" : "s"} on the accounts the change reaches, ${stopped.length} of them stopped by the RCPs after it${qualified > 0 ? ` (${qualified} only if the principal's account is in no trusted organization: a finding names the account, not its organization)` : ""}; Access Analyzer does not take RCPs into account, so its findings stay active`;
  if (scope.kind === "account") {
    const others = [...reached].filter((a) => a !== scope.account).length;
    return `IAM Access Analyzer (${report.analyzer}): it covers account ${scope.account}'s own resources only: ${counts}${others > 0 ? `; the other ${others} account${others === 1 ? "" : "s"} the change reaches were not checked (an organization analyzer covers them)` : ""}${also}`;
  }
  return `IAM Access Analyzer (${report.analyzer}, covering every account of the organization): ${counts}${also}`;
}

function requestOf(
  finding: ExternalFinding,
  action: string,
  inventory: Inventory,
  principalOrgId?: string,
): ProbeRequest {
  const orgPath = orgPathOf(inventory, finding.account);
  return {
    action,
    resource: finding.resource,
    keys: {
      ...callerKeys(finding, action),
      ...(principalOrgId ? { "aws:PrincipalOrgID": principalOrgId } : {}),
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
