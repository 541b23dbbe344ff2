import {
  accountsUnder,
  ancestorIds,
  findTarget,
  type Inventory,
  MANAGED_PREFIX,
  type ScpSummary,
  type Target,
} from "@orgwarden/core";
import type { EvaluatedPolicy, PolicyLevel } from "./evaluate-scps.js";
import type { AccountPathGroup } from "./lockout-guard.js";
import type { PolicyDocument } from "./policy-document.js";
import type { PolicyReader } from "./policy-reader.js";

/** Reads the SCPs attached directly at one root, OU or account. */
export type LevelOf = (nodeId: string) => Promise<PolicyLevel>;

/**
 * A reader of levels: managed policies as `override` gives them (the library's rendering, for the
 * state after a change), the rest as AWS has them.
 */
export function levelReader(
  inventory: Inventory,
  reader: PolicyReader,
  override: (summary: ScpSummary) => PolicyDocument | undefined = () => undefined,
): LevelOf {
  return async (nodeId) => {
    const policies = await Promise.all(
      (inventory.scpAttachments.get(nodeId) ?? []).map(async (id): Promise<EvaluatedPolicy> => {
        const summary = inventory.scps.get(id);
        const name = summary?.name ?? id;
        const rendered = summary && override(summary);
        const document = rendered ?? (await reader.document(id, name));
        // Managed means tagged managed-by=orgwarden: a look-alike name alone is someone else's policy.
        const managed =
          rendered !== undefined ||
          (name.startsWith(MANAGED_PREFIX) && summary !== undefined && (await reader.isManaged(summary)));
        return { name, document, managed };
      }),
    );
    return { nodeId, nodePath: findTarget(inventory, nodeId)?.path ?? nodeId, policies };
  };
}

/** The levels from the root down to the target, the target's own last. */
export function pathLevels(inventory: Inventory, targetId: string, levelOf: LevelOf): Promise<PolicyLevel[]> {
  return Promise.all([...ancestorIds(inventory, targetId), targetId].map(levelOf));
}

/** Active member accounts at or below the target: the accounts an SCP there reaches. */
export function reachedAccounts(inventory: Inventory, target: Target): string[] {
  const accounts = target.kind === "account" ? [target.account] : accountsUnder(inventory, target.id);
  return accounts.filter((a) => a.state === "ACTIVE" && !a.isManagement).map((a) => a.id);
}

/**
 * The paths below the target, one per distinct set of SCPs: the target's levels, then each
 * intermediate OU and the account itself. Active member accounts only (SCPs never apply to the
 * management account); an empty OU is evaluated at its own level.
 */
export async function accountPathGroups(
  inventory: Inventory,
  target: Target,
  targetLevels: PolicyLevel[],
  levelOf: LevelOf,
): Promise<AccountPathGroup[]> {
  const accountIds = reachedAccounts(inventory, target);
  if (target.kind === "account" || accountIds.length === 0) return [{ levels: targetLevels, accountIds }];
  const groups = new Map<string, { nodes: string[]; accountIds: string[] }>();
  for (const id of accountIds) {
    const ancestors = ancestorIds(inventory, id);
    const below = [...ancestors.slice(ancestors.indexOf(target.id) + 1), id];
    const key = below.map((n) => (inventory.scpAttachments.get(n) ?? []).join(",")).join("|");
    const g = groups.get(key) ?? { nodes: below, accountIds: [] };
    g.accountIds.push(id);
    groups.set(key, g);
  }
  return Promise.all(
    [...groups.values()].map(async (g) => ({
      accountIds: g.accountIds,
      levels: [...targetLevels, ...(await Promise.all(g.nodes.map(levelOf)))],
    })),
  );
}

/** Every root, OU and account a policy is attached to directly. */
export function targetsOfPolicy(inventory: Inventory, policyId: string): string[] {
  return [...inventory.scpAttachments.entries()].filter(([, ids]) => ids.includes(policyId)).map(([t]) => t);
}
