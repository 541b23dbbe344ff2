import { type Inventory, OrgwardenError, type Target } from "@orgwarden/core";
import { kindNoun, type PolicyKind, SCP_KIND } from "./policy-kind.js";
import { describeTarget } from "./resolve-target.js";
import { namesOf, type PlanScpInput, type ScpStep } from "./scp-plan.js";
import type { QuotaSource } from "./scp-quotas.js";

/** Refuses a rendered policy over the size quota of its kind, before anything is read or written. */
export function checkPolicySizes(
  policies: ReadonlyArray<{ managedName: string; size: number }>,
  quotas: PlanScpInput["quotas"],
  kind: PolicyKind = SCP_KIND,
): void {
  for (const p of policies) {
    if (p.size > quotas.maxPolicySize) {
      throw new OrgwardenError(
        "QUOTA_EXCEEDED",
        `${p.managedName} is ${p.size} characters minified, over the ${kind.short} size quota of ${quotas.maxPolicySize} (${sourceLabel(quotas.sources?.maxPolicySize)})`,
        {
          hint:
            kind.category === "management"
              ? "Shorten the exception message, the policy's only free text."
              : kind.family === "rcp"
                ? "Shorten the policy (fewer trusted accounts, organizations or providers), or raise --max-rcp-size if Service Quotas shows a larger limit."
                : "Shorten the policy (fewer exempt principals), or raise --max-scp-size (quotas.maxPolicySize in the config file) if Service Quotas shows a larger limit.",
        },
      );
    }
  }
}

/**
 * The number of SCPs attached to the target once the plan is made, against the per-target quota:
 * at the quota, the plan's steps are reordered (in place) so that each old variant is detached
 * before its replacement is attached; over it, the plan is refused.
 */
export function fitAttachmentQuota(
  inventory: Inventory,
  target: Target,
  planned: { steps: ScpStep[]; attached: string[]; newAttachments: number; replaced: readonly unknown[] },
  quotas: PlanScpInput["quotas"],
  notes: string[],
  kind: PolicyKind = SCP_KIND,
): number {
  const { steps, attached, newAttachments, replaced } = planned;
  const after = attached.length + newAttachments - replaced.length;
  if (
    attached.length + newAttachments > quotas.maxPoliciesPerTarget &&
    after <= quotas.maxPoliciesPerTarget
  ) {
    // At the quota: the old variant has to go before the new one can be attached, but only once
    // the new one exists (created or updated), so a failed create leaves the old one in place.
    const detaches: ScpStep[] = steps.filter((st) => st.kind === "detach-policy");
    const rest: ScpStep[] = steps.filter((st) => st.kind !== "detach-policy");
    const firstAttach = rest.findIndex((st) => st.kind === "attach-policy");
    rest.splice(firstAttach < 0 ? rest.length : firstAttach, 0, ...detaches);
    steps.splice(0, steps.length, ...rest);
    notes.push(
      `the target is at its ${kind.short} quota, so each old variant is detached before its replacement is attached: for a moment neither is in effect`,
    );
  }
  if (after > quotas.maxPoliciesPerTarget) {
    throw new OrgwardenError(
      "QUOTA_EXCEEDED",
      `${describeTarget(target)} has ${attached.length} ${kindNoun(kind, attached.length)} attached directly (${namesOf(inventory, attached, kind).join(", ")}); attaching ${newAttachments} more would make ${after}, over the limit of ${quotas.maxPoliciesPerTarget} (${sourceLabel(quotas.sources?.maxPoliciesPerTarget)})`,
      {
        hint:
          kind.category === "management"
            ? `Detach ${kindNoun(kind)} you no longer need from the target, or attach orgwarden's to a parent OU instead: AWS calls every policy quota a hard limit.`
            : kind.family === "rcp"
              ? "Detach an RCP you no longer need from the target, attach orgwarden's policies to a parent OU instead, or raise --max-rcps-per-target (rcpQuotas.maxPoliciesPerTarget in the config file) if AWS has given you a higher limit."
              : "Detach an SCP you no longer need from the target, attach orgwarden's policies to a parent OU instead, or raise --max-scps-per-target (quotas.maxPoliciesPerTarget in the config file) if Service Quotas shows a higher limit.",
      },
    );
  }
  return after;
}

/** Where a quota's figure came from, in a refusal or a plan. */
export function sourceLabel(source: QuotaSource | undefined): string {
  switch (source) {
    case "service-quotas":
      return "from Service Quotas";
    case "configured":
      return "from the config file or flags";
    case "unpublished":
      return "orgwarden's default: AWS publishes no figure";
    default:
      return "AWS's documented default";
  }
}
