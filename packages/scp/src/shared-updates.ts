import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Inventory, Target } from "@orgwarden/core";
import { targetsOfPolicy } from "./effective-policies.js";
import { planPolicySteps } from "./plan-policy-steps.js";
import { type PolicyKind, SCP_KIND } from "./policy-kind.js";
import { PolicyReader } from "./policy-reader.js";
import type { RenderedPolicy } from "./render-policy.js";

/**
 * The other roots, OUs and accounts a change reaches: apply-scp updates a managed policy in place
 * when its rendering changed (a new template version), and every target it is attached to gets the
 * new document. Their ids, in inventory order; reads AWS, writes nothing.
 */
export async function targetsOfUpdatedPolicies(
  inventory: Inventory,
  target: Target,
  planned: readonly RenderedPolicy[],
  organizations: OrganizationsClient,
  kind: PolicyKind = SCP_KIND,
): Promise<string[]> {
  const steps = await planPolicySteps(inventory, target, planned, new PolicyReader(organizations), kind);
  const others = new Set<string>();
  for (const u of steps.updated) {
    for (const t of targetsOfPolicy(inventory, u.existing.id, kind)) if (t !== target.id) others.add(t);
  }
  return [...others];
}
