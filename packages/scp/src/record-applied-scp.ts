import type { Inventory } from "@orgwarden/core";
import type { AppliedScp } from "./apply-scp.js";
import type { ScpPlan } from "./scp-plan.js";

/**
 * Brings the in-memory inventory up to date with a plan that was just applied, so later phases of
 * the same run (another OU's plan, the report's SCP coverage) see it without walking the tree again.
 */
export function recordAppliedScp(inventory: Inventory, plan: ScpPlan, applied: AppliedScp): void {
  for (const step of plan.steps) {
    switch (step.kind) {
      case "enable-policy-type":
        inventory.scpPolicyType = "ENABLED";
        break;
      case "create-policy": {
        const id = applied.policyIds[step.policy.managedName];
        if (id) {
          inventory.scps.set(id, {
            id,
            name: step.policy.managedName,
            arn: "",
            description: step.policy.description,
            awsManaged: false,
          });
        }
        break;
      }
      case "attach-policy": {
        const id = step.policyId ?? applied.policyIds[step.policyName];
        if (!id) break;
        const list = inventory.scpAttachments.get(step.targetId) ?? [];
        if (!list.includes(id)) list.push(id);
        inventory.scpAttachments.set(step.targetId, list);
        break;
      }
      case "detach-policy": {
        const list = inventory.scpAttachments.get(step.targetId) ?? [];
        inventory.scpAttachments.set(
          step.targetId,
          list.filter((p) => p !== step.policyId),
        );
        break;
      }
      case "delete-policy":
        inventory.scps.delete(step.policyId);
        break;
      default:
        break;
    }
  }
}
