import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Inventory, Target } from "@orgwarden/core";
import { effectiveAfterApply, levelReader, readAccountPathGroups } from "./effective-policies.js";
import type { AccountPathGroup } from "./lockout-guard.js";
import { planPolicySteps } from "./plan-policy-steps.js";
import { PolicyReader } from "./policy-reader.js";
import type { RenderedPolicy } from "./render-policy.js";

/**
 * The SCP paths at and below a target, one per distinct set of SCPs (see accountPathGroups): as
 * they are, or as apply-scp would leave them after attaching `planned` at the target (the same
 * steps: a managed policy updated to its rendering, another variant of it on the target detached).
 * Reads AWS, writes nothing; `reader` shares its documents with the caller's other readings (the
 * paths before and after one change read each policy once).
 */
export async function simulationPaths(
  inventory: Inventory,
  target: Target,
  organizations: OrganizationsClient,
  planned: readonly RenderedPolicy[] = [],
  reader: PolicyReader = new PolicyReader(organizations),
): Promise<AccountPathGroup[]> {
  if (planned.length === 0) return readAccountPathGroups(inventory, target, levelReader(inventory, reader));
  const steps = await planPolicySteps(inventory, target, planned, reader);
  const after = await effectiveAfterApply(inventory, target, reader, {
    rendered: planned,
    attached: steps.targetLevelNew,
    detached: steps.replaced.map((r) => r.existing.name),
  });
  return after.groups;
}
