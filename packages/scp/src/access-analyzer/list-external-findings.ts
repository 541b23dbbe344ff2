import {
  AccessAnalyzerClient,
  type AnalyzerSummary,
  paginateListAnalyzers,
  paginateListFindings,
} from "@aws-sdk/client-accessanalyzer";
import { type OrganizationsClient, paginateListDelegatedAdministrators } from "@aws-sdk/client-organizations";
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

/**
 * Whose resources an analyzer reports on: an organization analyzer every account of the
 * organization's (its zone of trust), an account analyzer its own account's alone.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html
 */
export type AnalyzerScope = { kind: "organization"; account: string } | { kind: "account"; account: string };

export interface ExternalFindings {
  /** The analyzer read, e.g. "organization analyzer org-analyzer"; undefined when none was. */
  analyzer: string | undefined;
  scope?: AnalyzerScope;
  findings: ExternalFinding[];
  /** Why no finding was read, when none was, or where the organization's analyzer could not be read. */
  note?: string;
}

export interface ListExternalFindingsInput {
  factory: ClientFactory;
  credentials: Credentials;
  /** The operator's own account: its analyzers are read with its credentials. */
  operatorAccount: string;
  managementAccount: string;
  /** Organizations, for Access Analyzer's delegated administrator (absent: not looked for). */
  organizations?: OrganizationsClient;
  /** Credentials in a member account (orgwarden's role there), to read the delegated administrator's analyzer. */
  credentialsFor?: (account: string) => Promise<Credentials>;
}

const ACCESS_ANALYZER = "access-analyzer.amazonaws.com";

/**
 * The active external-access findings of the organization's analyzer, with IAM Access Analyzer's
 * ListAnalyzers and ListFindings, which give each finding's principal and actions. An organization
 * analyzer lives in the management account or in Access Analyzer's delegated administrator; that
 * one is read through orgwarden's role there. Without one, the operator's account analyzer, which
 * covers its own account only (the plan says so). The findings do not take RCPs into account: they
 * stay after an RCP is attached, and the plan says which of them it would stop.
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListFindings.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-settings.html
 */
export async function listExternalFindings(input: ListExternalFindingsInput): Promise<ExternalFindings> {
  const own = clientFor(input, "operator", input.credentials);
  let orgAnalyzer: AnalyzerSummary | undefined;
  try {
    orgAnalyzer = await activeAnalyzer(own, "ORGANIZATION");
  } catch (err) {
    return unread(
      `IAM Access Analyzer's analyzers could not be listed (${skipReason(err, "access-analyzer:ListAnalyzers")})`,
    );
  }
  if (orgAnalyzer)
    return readFindings(own, orgAnalyzer, { kind: "organization", account: input.operatorAccount });
  const delegated = await fromDelegatedAdministrator(input);
  if (delegated && "findings" in delegated) return delegated;
  let accountAnalyzer: AnalyzerSummary | undefined;
  try {
    accountAnalyzer = await activeAnalyzer(own, "ACCOUNT");
  } catch (err) {
    return unread(
      `IAM Access Analyzer's analyzers could not be listed (${skipReason(err, "access-analyzer:ListAnalyzers")})`,
    );
  }
  const elsewhere = delegated?.where;
  if (!accountAnalyzer) {
    return unread(
      elsewhere ??
        `no active IAM Access Analyzer analyzer of the organization in account ${input.operatorAccount}${input.operatorAccount === input.managementAccount ? " (the management account)" : ""}, nor a delegated administrator's, nor an account analyzer: create an organization analyzer in the management account or Access Analyzer's delegated administrator`,
    );
  }
  const read = await readFindings(own, accountAnalyzer, { kind: "account", account: input.operatorAccount });
  return elsewhere ? { ...read, note: elsewhere } : read;
}

/**
 * The organization analyzer of Access Analyzer's delegated administrator, when it is another account
 * than the operator's: its findings, or where it is and why it could not be read.
 */
async function fromDelegatedAdministrator(
  input: ListExternalFindingsInput,
): Promise<ExternalFindings | { where: string } | undefined> {
  if (!input.organizations || !input.credentialsFor) return undefined;
  let account: string | undefined;
  try {
    for await (const page of paginateListDelegatedAdministrators(
      { client: input.organizations },
      { ServicePrincipal: ACCESS_ANALYZER },
    )) {
      account ??= page.DelegatedAdministrators?.find((d) => d.Id && d.Status !== "SUSPENDED")?.Id;
    }
  } catch (err) {
    return {
      where: `Access Analyzer's delegated administrator could not be looked up (${skipReason(err, "organizations:ListDelegatedAdministrators")}), and the operator's account has no organization analyzer`,
    };
  }
  if (!account || account === input.operatorAccount) return undefined;
  try {
    const client = clientFor(input, account, await input.credentialsFor(account));
    const analyzer = await activeAnalyzer(client, "ORGANIZATION");
    if (!analyzer) return undefined;
    return await readFindings(client, analyzer, { kind: "organization", account });
  } catch (err) {
    return {
      where: `the organization's analyzer is in Access Analyzer's delegated administrator ${account}, which could not be read through orgwarden's role there (${skipReason(err, "access-analyzer:ListAnalyzers")}): run apply-rcp with that account's credentials, or give orgwarden's role access-analyzer:ListAnalyzers and ListFindings there`,
    };
  }
}

function clientFor(
  input: ListExternalFindingsInput,
  scope: string,
  credentials: Credentials,
): AccessAnalyzerClient {
  return input.factory.create(AccessAnalyzerClient, { scope, credentials, maxAttempts: 3 });
}

async function activeAnalyzer(
  client: AccessAnalyzerClient,
  type: "ORGANIZATION" | "ACCOUNT",
): Promise<AnalyzerSummary | undefined> {
  let found: AnalyzerSummary | undefined;
  for await (const page of paginateListAnalyzers({ client }, { type })) {
    found ??= page.analyzers?.find((a) => a.status === "ACTIVE" && a.arn);
  }
  return found;
}

async function readFindings(
  client: AccessAnalyzerClient,
  analyzer: AnalyzerSummary,
  scope: AnalyzerScope,
): Promise<ExternalFindings> {
  const label = `${scope.kind === "organization" ? "organization" : "account"} analyzer ${analyzer.name} of account ${scope.account}`;
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
      scope,
      findings: [],
      note: `the findings of ${label} could not be read (${skipReason(err, "access-analyzer:ListFindings")}): external-access findings not checked`,
    };
  }
  return { analyzer: label, scope, findings };
}

function unread(why: string): ExternalFindings {
  return { analyzer: undefined, findings: [], note: `${why}: external-access findings not checked` };
}
