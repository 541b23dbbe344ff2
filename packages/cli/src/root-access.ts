import { IAMClient } from "@aws-sdk/client-iam";
import { RootSessions, readRootAccessFeatures } from "@orgwarden/root";
import type { CommandContext } from "./context.js";

/**
 * Centralized root access as the operator (the management account) sees it: IAM and Organizations
 * clients, the feature reader, and AssumeRoot sessions on member accounts.
 */
export function rootAccessClients(ctx: CommandContext, managementAccountId: string) {
  const iam = ctx.factory.create(IAMClient, { scope: "operator", credentials: ctx.operatorCredentials });
  const organizations = ctx.factory.organizations(ctx.operatorCredentials);
  const sessions = new RootSessions({
    factory: ctx.factory,
    operatorCredentials: ctx.operatorCredentials,
    managementAccountId,
    logger: ctx.logger,
  });
  return { iam, organizations, sessions, readFeatures: () => readRootAccessFeatures({ organizations, iam }) };
}
