import type { Inventory } from "@orgwarden/core";
import type { AppliedScp } from "./apply-scp.js";
import { markPolicyTypeEnabled, policiesOf, policyKindOf } from "./policy-kind.js";
import type { ScpPlan } from "./scp-plan.js";

/**
 * Brings the in-memory inventory up to date with a plan that was just applied, so later phases of
 * the same run (another OU's plan, the report's SCP coverage) see it without walking the tree again.
 */
export function recordAppliedScp(inventory: Inventory, plan: ScpPlan, applied: AppliedScp): void {
  const kind = policyKindOf(plan.policyType);
  const { policies, attachments } = policiesOf(inventory, kind);
  for (const step of plan.steps) {
    switch (step.kind) {
      case "enable-policy-type":
        markPolicyTypeEnabled(inventory, kind);
        break;
      case "create-policy": {
        const id = applied.policyIds[step.policy.managedName];
        if (id) {
          policies.set(id, {
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
        const list = attachments.get(step.targetId) ?? [];
        if (!list.includes(id)) list.push(id);
        attachments.set(step.targetId, list);
        break;
      }
      case "detach-policy": {
        const list = attachments.get(step.targetId) ?? [];
        attachments.set(
          step.targetId,
          list.filter((p) => p !== step.policyId),
        );
        break;
      }
      case "delete-policy":
        policies.delete(step.policyId);
        break;
      default:
        break;
    }
  }
}
