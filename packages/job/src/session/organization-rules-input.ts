import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { Inventory, OrgAccount } from "@orgwarden/core";
import type { OrganizationRulesInput } from "@orgwarden/rules";
import type { JobSession } from "./session.js";

/**
 * What organization rules need: Config in the management account, and every account outside the
 * scope excluded (an organization rule otherwise goes everywhere).
 */
export function organizationRulesInput(
  session: JobSession,
  inventory: Inventory,
  inScope: readonly OrgAccount[],
  what: Pick<OrganizationRulesInput, "rules" | "settings" | "regions">,
): OrganizationRulesInput {
  const ids = new Set(inScope.map((a) => a.id));
  return {
    ...what,
    configIn: (region) =>
      session.factory.create(ConfigServiceClient, {
        scope: "operator",
        credentials: session.operatorCredentials,
        region,
      }),
    homeRegion: session.options.region,
    partition: inventory.partition,
    excludedAccounts: inventory.accounts.filter((a) => !ids.has(a.id)).map((a) => a.id),
    logger: session.logger,
  };
}
