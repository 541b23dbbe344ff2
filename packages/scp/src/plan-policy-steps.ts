import { findTarget, type Inventory, OrgwardenError, type ScpSummary, type Target } from "@orgwarden/core";
import { targetsOfPolicy } from "./effective-policies.js";
import { diffPolicies } from "./policy-diff.js";
import { sameDocument } from "./policy-document.js";
import { enabledView, kindNoun, type PolicyKind, policiesOf, SCP_KIND } from "./policy-kind.js";
import { PolicyReader } from "./policy-reader.js";
import { checkPolicySizes } from "./quota-checks.js";
import { parseManagedName, type RenderedPolicy } from "./render-policy.js";
import { checkTarget, requireEveryAttachment, targetNotes } from "./resolve-target.js";
import type { PlanScpInput, PolicyReplacement, PolicyUpdate, ScpStep, WrittenPolicy } from "./scp-plan.js";

/**
 * A policy the engine writes: a library template's rendering (RenderedPolicy, whose document the
 * evaluator reads) or a declarative parameter set's (any JSON object).
 */
export interface PlannedPolicy extends WrittenPolicy {
  /** The library policy or family it is a variant of: what an older variant on the target shares. */
  name: string;
  document: unknown;
  size: number;
}

export interface PolicySteps<P extends PlannedPolicy = RenderedPolicy> {
  steps: ScpStep[];
  /** Policy ids attached to the target now. */
  attached: string[];
  newAttachments: number;
  /** Policies the plan attaches to the target, as they will be. */
  targetLevelNew: Array<{ name: string; document: P["document"]; managed: true }>;
  updated: Array<{ policy: P; existing: ScpSummary; current: P["document"] }>;
  /** Other variants of the same library policies attached to the target: detached by this plan. */
  replaced: Array<{ policy: P; existing: ScpSummary; current: P["document"] }>;
  /** Names of attached policies that look like variants but lack the managed tag. */
  unmanagedVariants: string[];
}

/**
 * Create, update, attach or leave each SCP or RCP: the writes, decided by reading what AWS has. The
 * documents AWS has are read as the evaluator judges them (one it cannot judge refuses the plan).
 */
export function planPolicySteps(
  inventory: Inventory,
  target: Target,
  policies: readonly RenderedPolicy[],
  reader: PolicyReader,
  kind: PolicyKind = SCP_KIND,
): Promise<PolicySteps> {
  return planStepsOf(inventory, target, policies, reader, kind, (id, name) => reader.document(id, name));
}

/**
 * Create, update, attach or leave each policy of any kind, its documents read by `read` (a
 * management policy's as plain JSON): the writes, decided by reading what AWS has.
 */
export async function planStepsOf<P extends PlannedPolicy>(
  inventory: Inventory,
  target: Target,
  policies: readonly P[],
  reader: PolicyReader,
  kind: PolicyKind,
  read: (id: string, name: string) => Promise<P["document"]>,
): Promise<PolicySteps<P>> {
  const steps: ScpStep[] = [];
  const { status, policies: known, attachments } = policiesOf(inventory, kind);
  // Enabling first: an authorization type's full-access policy is attached everywhere, so nothing is
  // denied by it; a management type's enabling attaches nothing.
  if (status !== "ENABLED")
    steps.push({ kind: "enable-policy-type", rootId: inventory.rootId, policyType: kind.type });
  const attached = attachments.get(target.id) ?? [];
  const out: PolicySteps<P> = {
    steps,
    attached,
    newAttachments: 0,
    targetLevelNew: [],
    updated: [],
    replaced: [],
    unmanagedVariants: [],
  };
  const detaches: ScpStep[] = [];
  const attach = (policy: P, policyId: string | undefined) => {
    steps.push({ kind: "attach-policy", policyName: policy.managedName, policyId, targetId: target.id });
    out.newAttachments += 1;
    out.targetLevelNew.push({ name: policy.managedName, document: policy.document, managed: true });
  };
  for (const policy of policies) {
    const existing = findByName(known, policy.managedName);
    if (!existing) {
      steps.push({ kind: "create-policy", policy });
      attach(policy, undefined);
      continue;
    }
    await reader.requireManaged(existing);
    const current = await read(existing.id, existing.name);
    const drifted = !sameDocument(current, policy.document);
    if (drifted) {
      steps.push({ kind: "update-policy", policy, policyId: existing.id });
      out.updated.push({ policy, existing, current });
    }
    // Parameters recorded in the tags (and the description) follow the library: a policy created
    // before they were recorded, or whose tags were edited, gets them back.
    const stale = staleTags(await reader.tags(existing.id), policy.tags);
    if (stale.set.length > 0 || stale.remove.length > 0) {
      steps.push({ kind: "tag-policy", policy, policyId: existing.id, removeKeys: stale.remove });
    }
    if (!attached.includes(existing.id)) attach(policy, existing.id);
    else if (!drifted) {
      steps.push({
        kind: "nothing-to-do",
        policyName: policy.managedName,
        reason: "attached, content up to date",
      });
    }
  }
  // Other variants of the same library policies on this target: the new parameters replace them.
  for (const policy of policies) {
    for (const id of attached) {
      const other = known.get(id);
      if (!other || other.name === policy.managedName) continue;
      if (parseManagedName(other.name)?.name !== policy.name) continue;
      if (!(await reader.isManaged(other))) {
        out.unmanagedVariants.push(other.name);
        continue;
      }
      const current = await read(other.id, other.name);
      out.replaced.push({ policy, existing: other, current });
      detaches.push({
        kind: "detach-policy",
        policyName: other.name,
        policyId: other.id,
        targetId: target.id,
      });
    }
  }
  steps.push(...detaches);
  return out;
}

function findByName(policies: ReadonlyMap<string, ScpSummary>, name: string): ScpSummary | undefined {
  for (const p of policies.values()) if (p.name === name) return p;
  return undefined;
}

/** orgwarden:* tags to set (missing or different) and to remove (no longer rendered). */
function staleTags(
  current: ReadonlyArray<{ Key?: string; Value?: string }>,
  wanted: ReadonlyArray<{ Key: string; Value: string }>,
): { set: string[]; remove: string[] } {
  const now = new Map(current.map((t) => [t.Key ?? "", t.Value ?? ""]));
  const want = new Map(wanted.map((t) => [t.Key, t.Value]));
  return {
    set: [...want].filter(([k, v]) => now.get(k) !== v).map(([k]) => k),
    remove: [...now.keys()].filter((k) => k.startsWith("orgwarden:") && !want.has(k)),
  };
}

/** What every apply plan takes, whatever the kind: the target, its policies, and whether the root may be it. */
export interface TargetStepsInput<P extends PlannedPolicy> extends PlanScpInput {
  policies: readonly P[];
  allowRoot?: boolean;
  /** How the caller's user allows the root (a flag, or a config field): the refusal names it. */
  allowRootHint?: string;
}

/** The start of an apply plan: the organization it is planned on, the target, its steps and notes so far. */
export interface TargetSteps<P extends PlannedPolicy> {
  /** The organization as the plan's enable step leaves it (the inventory itself when none). */
  inventory: Inventory;
  target: Target;
  reader: PolicyReader;
  planned: PolicySteps<P>;
  notes: string[];
}

/**
 * The start of every apply plan, whatever the kind (the kind says what differs): the target checked
 * on the organization as the enable step leaves it (a plan that enables the type starts with that
 * step), all features on, each policy within the size quota, then the steps that create, update,
 * tag, attach and replace, and a note for each look-alike variant someone else owns. Reads AWS,
 * writes nothing. The attachment quota is the caller's next check (fitAttachmentQuota), after the
 * notes of its kind.
 */
export async function planTargetSteps<P extends PlannedPolicy>(
  input: TargetStepsInput<P>,
  kind: PolicyKind,
  read: (reader: PolicyReader, id: string, name: string) => Promise<P["document"]>,
): Promise<TargetSteps<P>> {
  const { quotas } = input;
  requireEveryAttachment(input.inventory, kind);
  // A plan that enables the type is planned (quotas, the guard) on the organization the enable
  // step leaves: an authorization type's full-access policy on every root, OU and account.
  const enabling = policiesOf(input.inventory, kind).status !== "ENABLED";
  const inventory = enabling ? enabledView(input.inventory, kind) : input.inventory;
  const target = checkTarget(inventory, input.targetId, input.allowRoot ?? false, input.allowRootHint, kind);
  const notes = [...targetNotes(inventory, target, kind), ...(quotas.notes ?? []).map((n) => `quotas: ${n}`)];
  if (inventory.featureSet !== "ALL") {
    throw new OrgwardenError(
      "REFUSED",
      `the organization has only consolidated billing features: ${kindNoun(kind)} are unavailable`,
      { hint: `Enable all features in AWS Organizations, then run apply-${kind.family} again.` },
    );
  }
  checkPolicySizes(input.policies, quotas, kind);
  const reader = new PolicyReader(input.organizations);
  const planned = await planStepsOf(inventory, target, input.policies, reader, kind, (id, name) =>
    read(reader, id, name),
  );
  if (enabling)
    planned.steps.unshift({ kind: "enable-policy-type", rootId: inventory.rootId, policyType: kind.type });
  for (const v of planned.unmanagedVariants) {
    notes.push(
      `${v} is attached to the target and named like an orgwarden policy, but is not tagged managed-by=orgwarden: left as it is (see \`orgwarden ${kind.family} status\`)`,
    );
  }
  return { inventory, target, reader, planned, notes };
}

/**
 * What a reviewer reads of the plan's updates (each with every other target it changes too) and
 * of the variants it replaces on the target: the documents' line diffs.
 */
export function describeRewrites<P extends PlannedPolicy>(
  inventory: Inventory,
  target: Target,
  planned: Pick<PolicySteps<P>, "updated" | "replaced">,
  kind: PolicyKind,
): { updates: PolicyUpdate[]; replacements: PolicyReplacement[] } {
  return {
    updates: planned.updated.map((u) => ({
      policy: u.existing.name,
      policyId: u.existing.id,
      diff: diffPolicies(u.current, u.policy.document),
      alsoAttachedTo: targetsOfPolicy(inventory, u.existing.id, kind)
        .filter((t) => t !== target.id)
        .map((t) => findTarget(inventory, t)?.path ?? t),
    })),
    replacements: planned.replaced.map((r) => ({
      from: r.existing.name,
      fromId: r.existing.id,
      to: r.policy.managedName,
      diff: diffPolicies(r.current, r.policy.document),
    })),
  };
}
