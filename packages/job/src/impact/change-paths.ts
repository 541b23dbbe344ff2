import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Inventory, Target } from "@orgwarden/core";
import {
  type AccountPathGroup,
  type EvaluatedPolicy,
  type PolicyLevel,
  PolicyReader,
  type RenderedPolicy,
  simulationPaths,
} from "@orgwarden/scp";

/** Each account's SCP path as it is and as the change would leave it, and the accounts in scope. */
export interface ChangePaths {
  accounts: string[];
  before: Map<string, PolicyLevel[]>;
  after: Map<string, PolicyLevel[]>;
}

const FULL_AWS_ACCESS: EvaluatedPolicy = {
  name: "FullAWSAccess",
  document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  managed: false,
};

/**
 * The paths of the target's member accounts, as they are and as apply-scp would leave them (the
 * same steps as its plan: see simulationPaths). With SCPs not enabled, none applies today, and
 * enabling them attaches FullAWSAccess to every root, OU and account.
 * https://docs.aws.amazon.com/organizations/latest/userguide/enable-policy-type.html
 */
export async function changePaths(
  inventory: Inventory,
  target: Target,
  organizations: OrganizationsClient,
  planned: readonly RenderedPolicy[],
): Promise<ChangePaths> {
  const enabled = inventory.scpPolicyType === "ENABLED";
  const management = inventory.managementAccountId;
  // One reader for both: each policy on the paths is described once.
  const reader = new PolicyReader(organizations);
  const beforeGroups = await simulationPaths(inventory, target, organizations, [], reader);
  const afterGroups: AccountPathGroup[] = enabled
    ? await simulationPaths(inventory, target, organizations, planned, reader)
    : beforeGroups.map((g) => ({
        accountIds: g.accountIds,
        levels: g.levels.map((l) => ({
          ...l,
          policies: [
            FULL_AWS_ACCESS,
            ...(l.nodeId === target.id
              ? planned.map((p) => ({ name: p.managedName, document: p.document, managed: true }))
              : []),
          ],
        })),
      }));
  const byAccount = (groups: AccountPathGroup[], levels: (g: AccountPathGroup) => PolicyLevel[]) => {
    const out = new Map<string, PolicyLevel[]>();
    for (const g of groups) for (const id of g.accountIds) if (id !== management) out.set(id, levels(g));
    return out;
  };
  const before = byAccount(beforeGroups, (g) => (enabled ? g.levels : []));
  const after = byAccount(afterGroups, (g) => g.levels);
  return { accounts: [...after.keys()], before, after };
}
