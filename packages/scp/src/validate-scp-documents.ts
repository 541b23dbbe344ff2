import { AccessAnalyzerClient, paginateValidatePolicy } from "@aws-sdk/client-accessanalyzer";
import type { AuthorizationPolicyType, ClientFactory, Credentials } from "@orgwarden/core";
import { skipReason } from "./skip-reason.js";

export interface PolicyFinding {
  policy: string;
  findingType: "ERROR" | "SECURITY_WARNING" | "WARNING" | "SUGGESTION";
  issueCode: string;
  details: string;
}

export interface PolicyValidation {
  /** False when Access Analyzer could not be reached; `note` says why. */
  ran: boolean;
  findings: PolicyFinding[];
  note?: string;
}

/**
 * AWS's own checks of every document the plan would write: IAM Access Analyzer's ValidatePolicy with
 * the SERVICE_CONTROL_POLICY or RESOURCE_CONTROL_POLICY type. An ERROR finding refuses the plan; the
 * others are shown.
 * https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ValidatePolicy.html
 */
export async function validateScpDocuments(input: {
  documents: ReadonlyArray<{ name: string; content: string }>;
  factory: ClientFactory;
  credentials: Credentials;
  /** SERVICE_CONTROL_POLICY (the default) or RESOURCE_CONTROL_POLICY: Access Analyzer checks either. */
  policyType?: AuthorizationPolicyType;
}): Promise<PolicyValidation> {
  if (input.documents.length === 0) return { ran: true, findings: [] };
  const client = input.factory.create(AccessAnalyzerClient, {
    scope: "operator",
    credentials: input.credentials,
    maxAttempts: 3,
  });
  const findings: PolicyFinding[] = [];
  try {
    for (const doc of input.documents) {
      const pages = paginateValidatePolicy(
        { client },
        { policyType: input.policyType ?? "SERVICE_CONTROL_POLICY", policyDocument: doc.content },
      );
      for await (const page of pages) {
        for (const f of page.findings ?? []) {
          findings.push({
            policy: doc.name,
            findingType: f.findingType as PolicyFinding["findingType"],
            issueCode: f.issueCode ?? "",
            details: f.findingDetails ?? "",
          });
        }
      }
    }
  } catch (err) {
    return {
      ran: false,
      findings: [],
      note: `IAM Access Analyzer could not validate the policies (${skipReason(err, "access-analyzer:ValidatePolicy")}): skipped`,
    };
  }
  return { ran: true, findings };
}
