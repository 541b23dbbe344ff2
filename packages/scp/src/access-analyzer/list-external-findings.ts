import {
  AccessAnalyzerClient,
  type AnalyzerSummary,
  paginateListAnalyzers,
  paginateListFindings,
} from "@aws-sdk/client-accessanalyzer";
import type { ClientFactory, Credentials } from "@orgwarden/core";
import { skipReason } from "../skip-reason.js";

/** One active external-access finding: who outside the zone of trust can do what on which resource. */
export interface ExternalFinding {
  id: string;
  resource: string;
  resourceType: string;
  /** The account that owns the resource. */
  account: string;
  /** As Access Analyzer gives it: {"AWS": "arn:…" | "123456789012" | "*"}, {"Federated": …}, {"Service": …}. */
  principal: Readonly<Record<string, string>>;
  actions: readonly string[];
  isPublic: boolean;
}

export interface ExternalFindings {
  /** The analyzer read, e.g. "organization analyzer org-analyzer"; undefined when none was. */
  analyzer: string | undefined;
  findings: ExternalFinding[];
  /** Why no finding was read, when none was. */
  note?: string;
}

/**
 * The active external-access findings of the organization's analyzer (or, without one, of the
 * operator's account analyzer), with IAM Access Analyzer's ListAnalyzers and ListFindings, which
 * give each finding's principal and actions. The findings do not take RCPs into account: they stay
 * after an RCP is attached, and the plan says which of them it would stop.
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindings.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-findings.html
 */
export async function listExternalFindings(input: {
  factory: ClientFactory;
  credentials: Credentials;
}): Promise<ExternalFindings> {
  const client = input.factory.create(AccessAnalyzerClient, {
    scope: "operator",
    credentials: input.credentials,
    maxAttempts: 3,
  });
  let analyzer: AnalyzerSummary | undefined;
  try {
    for (const type of ["ORGANIZATION", "ACCOUNT"] as const) {
      for await (const page of paginateListAnalyzers({ client }, { type })) {
        analyzer ??= page.analyzers?.find((a) => a.status === "ACTIVE" && a.arn);
      }
      if (analyzer) break;
    }
  } catch (err) {
    return {
      analyzer: undefined,
      findings: [],
      note: `IAM Access Analyzer's analyzers could not be listed (${skipReason(err, "access-analyzer:ListAnalyzers")}): external-access findings not checked`,
    };
  }
  if (!analyzer?.arn) {
    return {
      analyzer: undefined,
      findings: [],
      note: "no active IAM Access Analyzer analyzer of the organization (or of this account): external-access findings not checked",
    };
  }
  const label = `${analyzer.type === "ORGANIZATION" ? "organization" : "account"} analyzer ${analyzer.name}`;
  const findings: ExternalFinding[] = [];
  try {
    for await (const page of paginateListFindings(
      { client },
      { analyzerArn: analyzer.arn, filter: { status: { eq: ["ACTIVE"] } } },
    )) {
      for (const f of page.findings ?? []) {
        if (!f.id || !f.resource || !f.resourceOwnerAccount) continue;
        findings.push({
          id: f.id,
          resource: f.resource,
          resourceType: f.resourceType ?? "",
          account: f.resourceOwnerAccount,
          principal: f.principal ?? {},
          actions: f.action ?? [],
          isPublic: f.isPublic ?? false,
        });
      }
    }
  } catch (err) {
    return {
      analyzer: label,
      findings: [],
      note: `the findings of ${label} could not be read (${skipReason(err, "access-analyzer:ListFindings")}): external-access findings not checked`,
    };
  }
  return { analyzer: label, findings };
}
