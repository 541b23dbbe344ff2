import { IAMClient } from "@aws-sdk/client-iam";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { OrganizationIdentity } from "@orgwarden/core";
import { type RootAccessFeatures, RootSessions, readRootAccessFeatures } from "@orgwarden/root";
import type { JobSession } from "./session.js";

/** The organization as root access needs it: whose member accounts, and in which partition. */
export type RootAccessOrganization = Pick<OrganizationIdentity, "managementAccountId" | "partition">;

/**
 * Centralized root access as the operator (the management account) sees it: IAM and Organizations
 * clients, the features (read once, on first need), and AssumeRoot sessions on member accounts.
 */
export interface RootAccessClients {
  iam: IAMClient;
  organizations: OrganizationsClient;
  sessions: RootSessions;
  readFeatures: () => Promise<RootAccessFeatures>;
}

export function rootAccessClients(ctx: JobSession, organization: RootAccessOrganization): RootAccessClients {
  const iam = ctx.factory.create(IAMClient, { scope: "operator", credentials: ctx.operatorCredentials });
  const organizations = ctx.factory.organizations(ctx.operatorCredentials);
  const sessions = new RootSessions({
    factory: ctx.factory,
    operatorCredentials: ctx.operatorCredentials,
    managementAccountId: organization.managementAccountId,
    partition: organization.partition,
    logger: ctx.logger,
  });
  let features: Promise<RootAccessFeatures> | undefined;
  const readFeatures = () => {
    features ??= readRootAccessFeatures({ organizations, iam });
    return features;
  };
  return { iam, organizations, sessions, readFeatures };
}

/** The clients and the features read now: for commands that need the features at once. */
export async function openRootAccess(
  session: JobSession,
  organization: RootAccessOrganization,
): Promise<RootAccessClients & { features: RootAccessFeatures }> {
  const clients = rootAccessClients(session, organization);
  return { ...clients, features: await clients.readFeatures() };
}
