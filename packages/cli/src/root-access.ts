import { IAMClient } from "@aws-sdk/client-iam";
import { RootSessions, readRootAccessFeatures } from "@orgwarden/root";
import type { CommandContext } from "./context.js";

/**
 * Centralized root access as the operator (the management account) sees it: IAM and Organizations
 * clients, the features (read once, on first need), and AssumeRoot sessions on member accounts.
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
  let features: ReturnType<typeof readRootAccessFeatures> | undefined;
  const readFeatures = () => {
    features ??= readRootAccessFeatures({ organizations, iam });
    return features;
  };
  return { iam, organizations, sessions, readFeatures };
}
