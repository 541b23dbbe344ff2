import { OrgwardenError } from "@orgwarden/core";
import { asList, type PolicyDocument, type Statement, statementsOf } from "./policy-document.js";
import type { PolicyTemplate } from "./policy-library.js";

/**
 * The services whose resources RCPs restrict, by IAM service prefix, with the page of each: an RCP
 * statement on any other service's actions would restrict nothing, and AWS refuses it.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services
 */
export const RCP_SERVICES: Readonly<Record<string, { name: string; page: string }>> = {
  s3: {
    name: "Amazon S3",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html",
  },
  sts: {
    name: "AWS STS",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html",
  },
  kms: {
    name: "AWS KMS",
    page: "https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html",
  },
  sqs: {
    name: "Amazon SQS",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html",
  },
  secretsmanager: {
    name: "AWS Secrets Manager",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html",
  },
  ecr: {
    name: "Amazon ECR (since 2025)",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html",
  },
  aoss: {
    name: "Amazon OpenSearch Serverless (since 2025)",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonopensearchserverless.html",
  },
  dynamodb: {
    name: "Amazon DynamoDB",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html",
  },
  logs: {
    name: "Amazon CloudWatch Logs (since 2026)",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html",
  },
  "cognito-idp": {
    name: "Amazon Cognito user pools (since 2026)",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitouserpools.html",
  },
  "cognito-identity": {
    name: "Amazon Cognito identity pools (since 2026)",
    page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncognitoidentity.html",
  },
};

/**
 * Refuses what AWS refuses in the template's policy type, before any AWS call (exit 2). An RCP: only
 * Deny (Allow is RCPFullAWSAccess's alone), Principal "*" (the condition keys say whom), no
 * NotPrincipal and no NotAction, and actions of the services RCPs support, named by service (an
 * Action of "*" alone is RCPFullAWSAccess's too). An SCP names no principal.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 */
export function refuseUnsupportedElements(template: PolicyTemplate, document: PolicyDocument): void {
  const rcp = template.type === "RESOURCE_CONTROL_POLICY";
  for (const [i, st] of statementsOf(document).entries()) {
    const problem = rcp ? rcpProblem(st) : scpProblem(st);
    if (!problem) continue;
    const label = st.Sid ? `${st.Sid} (#${i + 1})` : `#${i + 1}`;
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${template.file}: statement ${label}: ${problem}, which AWS refuses in ${rcp ? "an RCP" : "an SCP"}`,
      {
        hint: `Fix the template (see --policy-dir); AWS's syntax page: ${rcp ? "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html" : "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html"}. Nothing was changed.`,
        details: { template: template.name, statement: st.Sid ?? i + 1, problem },
      },
    );
  }
}

function rcpProblem(st: Statement): string | undefined {
  if (st.Effect === "Allow") return `"Effect": "Allow" (RCPs only deny; Allow is RCPFullAWSAccess's alone)`;
  if (st.NotPrincipal !== undefined) return "a NotPrincipal element";
  if (st.Principal !== "*") {
    return st.Principal === undefined
      ? `no "Principal": "*"`
      : `the Principal ${JSON.stringify(st.Principal)} (only "*": conditions say whom)`;
  }
  if (st.NotAction !== undefined) return "a NotAction element";
  if (asList(st.Action).includes("*")) {
    return `"Action": "*" (RCPFullAWSAccess's alone; name the services' actions)`;
  }
  const unsupported = asList(st.Action).filter((a) => !Object.hasOwn(RCP_SERVICES, serviceOf(a)));
  if (unsupported.length > 0) {
    return `the action${unsupported.length === 1 ? "" : "s"} ${unsupported.join(", ")} of a service RCPs do not support (they support ${Object.keys(RCP_SERVICES).join(", ")})`;
  }
  return undefined;
}

function scpProblem(st: Statement): string | undefined {
  if (st.Principal !== undefined) return "a Principal element";
  if (st.NotPrincipal !== undefined) return "a NotPrincipal element";
  return undefined;
}

/** The service prefix of an action, lower case ("s3" of "s3:GetObject"; a wildcard in it is kept). */
function serviceOf(action: string): string {
  const colon = action.indexOf(":");
  return (colon < 0 ? action : action.slice(0, colon)).toLowerCase();
}
