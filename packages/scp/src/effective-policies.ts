import {
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
import { type PolicyKind, policiesOf, SCP_KIND } from "./policy-kind.js";
import type { PolicyReader } from "./policy-reader.js";
import { parseManagedName, type RenderedPolicy } from "./render-policy.js";
import { reachedAccounts } from "./resolve-target.js";

/** The roots, OUs and accounts whose SCPs are in effect at the target: from the root down, the target last. */
export function pathNodeIds(inventory: Inventory, targetId: string): string[] {
  return [...ancestorIds(inventory, targetId), targetId];
}

/** An SCP attached somewhere: its id, with the inventory's summary of it (undefined if it has none). */
export interface AttachedPolicy {
  id: string;
  summary: ScpSummary | undefined;
}

/** One root, OU or account on a path, and the SCPs attached to it directly. */
export interface AttachedLevel {
  nodeId: string;
  policies: AttachedPolicy[];
}

/** The policies of a kind (SCPs by default) attached directly at one root, OU or account, as the inventory has them. */
export function attachedAt(
  inventory: Inventory,
  nodeId: string,
  kind: PolicyKind = SCP_KIND,
): AttachedPolicy[] {
  const { policies, attachments } = policiesOf(inventory, kind);
  return (attachments.get(nodeId) ?? []).map((id) => ({ id, summary: policies.get(id) }));
}

/**
 * The SCPs in effect at a root, OU or account, level by level from the root down (the target's own
 * last), as the inventory has them: no AWS call and no document read. There is no AWS API for the
 * policies in effect; an SCP applies where it is attached and everywhere below.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export function attachedAlongPath(
  inventory: Inventory,
  targetId: string,
  kind: PolicyKind = SCP_KIND,
): AttachedLevel[] {
  return pathNodeIds(inventory, targetId).map((nodeId) => ({
    nodeId,
    policies: attachedAt(inventory, nodeId, kind),
  }));
}

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
  kind: PolicyKind = SCP_KIND,
): LevelOf {
  return async (nodeId) => {
    const policies = await Promise.all(
      attachedAt(inventory, nodeId, kind).map(async ({ id, summary }): Promise<EvaluatedPolicy> => {
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
  return Promise.all(pathNodeIds(inventory, targetId).map(levelOf));
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
  kind: PolicyKind = SCP_KIND,
): Promise<AccountPathGroup[]> {
  const accountIds = reachedAccounts(inventory, target);
  const { attachments } = policiesOf(inventory, kind);
  if (target.kind === "account" || accountIds.length === 0) return [{ levels: targetLevels, accountIds }];
  const groups = new Map<string, { nodes: string[]; accountIds: string[] }>();
  for (const id of accountIds) {
    const ancestors = ancestorIds(inventory, id);
    const below = [...ancestors.slice(ancestors.indexOf(target.id) + 1), id];
    const key = below.map((n) => (attachments.get(n) ?? []).join(",")).join("|");
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

/** Every root, OU and account a policy (an SCP unless `kind` says otherwise) is attached to directly. */
export function targetsOfPolicy(
  inventory: Inventory,
  policyId: string,
  kind: PolicyKind = SCP_KIND,
): string[] {
  return [...policiesOf(inventory, kind).attachments.entries()]
    .filter(([, ids]) => ids.includes(policyId))
    .map(([t]) => t);
}

/** The target's own path and the paths below it, every level read with `levelOf`. */
export async function readAccountPathGroups(
  inventory: Inventory,
  target: Target,
  levelOf: LevelOf,
  kind: PolicyKind = SCP_KIND,
): Promise<AccountPathGroup[]> {
  return accountPathGroups(inventory, target, await pathLevels(inventory, target.id, levelOf), levelOf, kind);
}

/** Library names (variant suffix removed) of the managed policies on the path. */
export function managedNames(levels: readonly PolicyLevel[]): Set<string> {
  return new Set(
    levels.flatMap((l) =>
      l.policies.filter((p) => p.managed).map((p) => parseManagedName(p.name)?.name ?? p.name),
    ),
  );
}

/** The SCPs in effect on and below an apply's target once the plan's writes are made. */
export interface EffectiveAfterApply {
  /** Reads a level as it will be: managed policies the plan renders as the library renders them. */
  levelOf: LevelOf;
  /** The target's path; its own level with the plan's attachments and without the replaced variants. */
  levels: PolicyLevel[];
  /** Library names of the managed policies in effect on the target. */
  inEffect: Set<string>;
  /** The paths below the target, one per distinct set of SCPs (see accountPathGroups). */
  groups: AccountPathGroup[];
}

/**
 * The policies in effect on the target after the change: inherited ones, plus the target's own
 * with managed policies replaced by the rendered library version.
 */
export async function effectiveAfterApply(
  inventory: Inventory,
  target: Target,
  reader: PolicyReader,
  change: {
    rendered: readonly RenderedPolicy[];
    /** The policies the plan attaches to the target, as they will be. */
    attached: readonly EvaluatedPolicy[];
    /** Names of the policies the plan detaches from the target. */
    detached: readonly string[];
  },
  kind: PolicyKind = SCP_KIND,
): Promise<EffectiveAfterApply> {
  const rendered = new Map(change.rendered.map((p) => [p.managedName, p]));
  const levelOf = levelReader(inventory, reader, (summary) => rendered.get(summary.name)?.document, kind);
  const levels = await pathLevels(inventory, target.id, levelOf);
  const own = levels.at(-1);
  if (own) {
    const gone = new Set(change.detached);
    own.policies = [...own.policies.filter((p) => !gone.has(p.name)), ...change.attached];
  }
  const inEffect = managedNames(levels);
  const groups = await accountPathGroups(inventory, target, levels, levelOf, kind);
  return { levelOf, levels, inEffect, groups };
}
