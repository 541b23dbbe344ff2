import { IAMClient, paginateListRoles, paginateListUsers } from "@aws-sdk/client-iam";
import type { ClientFactory, Credentials } from "@orgwarden/core";
import type { ListPrincipals } from "./exempt-principals.js";

/**
 * Lists every role and user ARN of an account (iam:ListRoles, iam:ListUsers), with the credentials
 * `credentialsFor` gives for it: the operator's for the management account, the member role's for
 * the others. Used to check that exempt principals exist; a denied call only skips that check.
 */
export function listPrincipalsWith(
  factory: ClientFactory,
  credentialsFor: (accountId: string) => Credentials,
): ListPrincipals {
  return async (accountId) => {
    const client = factory.create(IAMClient, {
      scope: accountId,
      credentials: credentialsFor(accountId),
      maxAttempts: 3,
    });
    const arns: string[] = [];
    for await (const page of paginateListRoles({ client }, {})) {
      for (const r of page.Roles ?? []) if (r.Arn) arns.push(r.Arn);
    }
    for await (const page of paginateListUsers({ client }, {})) {
      for (const u of page.Users ?? []) if (u.Arn) arns.push(u.Arn);
    }
    return arns;
  };
}
