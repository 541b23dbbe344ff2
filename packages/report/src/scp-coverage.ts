import { ancestorIds, type ControlId, type Inventory, type OrgAccount } from "@orgwarden/core";
import { MANAGED_PREFIX, parseManagedName } from "@orgwarden/scp";
import type { ControlOutcome } from "./report-model.js";

const SCP_CONTROL_POLICIES: Array<{ control: ControlId; policy: string }> = [
  { control: "scp-require-mfa", policy: `${MANAGED_PREFIX}require-mfa` },
  { control: "scp-deny-root", policy: `${MANAGED_PREFIX}deny-root-user` },
];

/**
 * SCP coverage from the inventory alone (no AWS call): a control is COMPLIANT when its managed
 * policy is attached to the account, an OU on its path, or the root. SCPs never apply to the
 * management account, so it is NOT_APPLICABLE there.
 */
export function scpCoverage(inventory: Inventory, account: OrgAccount): ControlOutcome[] {
  return SCP_CONTROL_POLICIES.map(({ control, policy }) => {
    const base = { control, resourceType: "AWS::Organizations::Policy", resourceId: policy };
    if (account.isManagement) {
      return {
        ...base,
        status: "NOT_APPLICABLE" as const,
        reason: "SCPs do not affect the management account",
      };
    }
    if (inventory.scpPolicyType !== "ENABLED") {
      return {
        ...base,
        status: "NON_COMPLIANT" as const,
        reason: "SCPs are not enabled in the organization",
      };
    }
    const path = [...ancestorIds(inventory, account.id), account.id];
    // Any variant counts (orgwarden-<policy> or orgwarden-<policy>-<variant>): each OU may have its own parameters.
    const library = policy.slice(MANAGED_PREFIX.length);
    const isVariant = (id: string) => parseManagedName(inventory.scps.get(id)?.name ?? "")?.name === library;
    const where = path.find((node) => (inventory.scpAttachments.get(node) ?? []).some(isVariant));
    if (where === undefined) {
      return {
        ...base,
        status: "NON_COMPLIANT" as const,
        reason: `${policy} is not attached to the account, its OUs or the root`,
      };
    }
    const at = where === account.id ? "the account" : (inventory.units.get(where)?.path ?? where);
    const policyId = (inventory.scpAttachments.get(where) ?? []).find(isVariant) ?? policy;
    const name = inventory.scps.get(policyId)?.name ?? policy;
    return {
      ...base,
      resourceId: policyId,
      status: "COMPLIANT" as const,
      reason: `${name} attached at ${at}`,
    };
  });
}
