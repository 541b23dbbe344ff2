import { partitionOfRegion } from "@orgwarden/core";
import type { PrincipalKind, SkipReason } from "./observed-call.js";
import { type Fields, fieldsOf, textOf } from "./record-fields.js";

export interface Principal {
  arn: string;
  kind: PrincipalKind;
}

/**
 * Role paths that decide: AWS creates service-linked roles under /aws-service-role/, and SCPs do not
 * affect them (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);
 * IAM Identity Center creates a permission set's role under /aws-reserved/sso.amazonaws.com/ (followed
 * by a region for some), https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html.
 */
const SERVICE_LINKED = ":role/aws-service-role/";
const IDENTITY_CENTER = ":role/aws-reserved/sso.amazonaws.com/";

/**
 * aws:PrincipalArn from a record's userIdentity (types and fields:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html;
 * the key's values: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn):
 * a role session is its role (sessionIssuer.arn, with the role's path), a user its ARN, the root user
 * `arn:<partition>:iam::<account>:root`, a GetFederationToken session its federated user's own ARN
 * (`arn:<partition>:sts::<account>:federated-user/<name>`, userIdentity.arn; "AWS STS federated user
 * principals" on the key's page), not the user that issued it.
 * AWSService never reaches here (parse-record.ts skips it first). Identity Center users, directory
 * users, SAML and web-identity callers are not IAM principals of an account: no SCP decides for them.
 */
export function readPrincipal(identity: Fields, account: string, region: string): Principal | SkipReason {
  const type = identity.type;
  if (type === "AssumedRole") {
    const role = textOf(fieldsOf(fieldsOf(identity.sessionContext)?.sessionIssuer)?.arn);
    if (!role?.includes(":role/")) return "no-principal";
    if (role.includes(SERVICE_LINKED)) return "service-linked-role";
    return { arn: role, kind: role.includes(IDENTITY_CENTER) ? "identity-center-role" : "role" };
  }
  if (type === "IAMUser") {
    const user = textOf(identity.arn);
    return user?.includes(":user/") ? { arn: user, kind: "user" } : "no-principal";
  }
  if (type === "Root") {
    const partition = partitionOf(textOf(identity.arn)) ?? partitionOfRegion(region);
    return { arn: `arn:${partition}:iam::${account}:root`, kind: "root" };
  }
  if (type === "FederatedUser") {
    const federated = textOf(identity.arn);
    return federated?.includes(":federated-user/")
      ? { arn: federated, kind: "federated-user" }
      : "no-principal";
  }
  if (type === "AWSAccount" || type === "Unknown" || type === undefined) return principalOfArn(identity);
  return "no-principal";
}

/**
 * A caller that CloudTrail could not type (AWSAccount: another account's call, often with only a
 * principalId; Unknown) counts only when its ARN is a user's or the root's. A session ARN
 * (`assumed-role/…`) is not enough: it drops the role's path, which SCP conditions match on.
 */
function principalOfArn(identity: Fields): Principal | SkipReason {
  const arn = textOf(identity.arn);
  if (arn?.includes(":user/")) return { arn, kind: "user" };
  if (arn?.startsWith("arn:") && arn.endsWith(":root")) return { arn, kind: "root" };
  return "no-principal";
}

/** `aws`, `aws-us-gov`, `aws-cn`: the second field of an ARN. */
export function partitionOf(arn: string | undefined): string | undefined {
  if (!arn?.startsWith("arn:")) return undefined;
  const end = arn.indexOf(":", 4);
  return end > 4 ? arn.slice(4, end) : undefined;
}
