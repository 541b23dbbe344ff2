import type { Inventory, ScpSummary, Target } from "@orgwarden/core";
import type { EvaluatedPolicy } from "./evaluate-scps.js";
import { type PolicyDocument, sameDocument } from "./policy-document.js";
import { type PolicyKind, policiesOf, SCP_KIND } from "./policy-kind.js";
import type { PolicyReader } from "./policy-reader.js";
import { parseManagedName, type RenderedPolicy } from "./render-policy.js";
import type { ScpStep } from "./scp-plan.js";

export interface PolicySteps {
  steps: ScpStep[];
  /** Policy ids attached to the target now. */
  attached: string[];
  newAttachments: number;
  /** Policies the plan attaches to the target, as they will be. */
  targetLevelNew: EvaluatedPolicy[];
  updated: Array<{ policy: RenderedPolicy; existing: ScpSummary; current: PolicyDocument }>;
  /** Other variants of the same library policies attached to the target: detached by this plan. */
  replaced: Array<{ policy: RenderedPolicy; existing: ScpSummary; current: PolicyDocument }>;
  /** Names of attached policies that look like variants but lack the managed tag. */
  unmanagedVariants: string[];
}

/** Create, update, attach or leave each policy: the writes, decided by reading what AWS has. */
export async function planPolicySteps(
  inventory: Inventory,
  target: Target,
  policies: readonly RenderedPolicy[],
  reader: PolicyReader,
  kind: PolicyKind = SCP_KIND,
): Promise<PolicySteps> {
  const steps: ScpStep[] = [];
  const { status, policies: known, attachments } = policiesOf(inventory, kind);
  // Enabling attaches the type's full-access policy everywhere first, so nothing is denied by it.
  if (status !== "ENABLED")
    steps.push({ kind: "enable-policy-type", rootId: inventory.rootId, policyType: kind.type });
  const attached = attachments.get(target.id) ?? [];
  const out: PolicySteps = {
    steps,
    attached,
    newAttachments: 0,
    targetLevelNew: [],
    updated: [],
    replaced: [],
    unmanagedVariants: [],
  };
  const detaches: ScpStep[] = [];
  const attach = (policy: RenderedPolicy, policyId: string | undefined) => {
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
    const current = await reader.document(existing.id, existing.name);
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
      const current = await reader.document(other.id, other.name);
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
