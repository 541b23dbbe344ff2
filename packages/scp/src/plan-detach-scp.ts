import { MANAGED_PREFIX, OrgwardenError, requireTarget, type ScpSummary } from "@orgwarden/core";
import { targetsOfPolicy } from "./effective-policies.js";
import { policiesOf, SCP_KIND } from "./policy-kind.js";
import { PolicyReader } from "./policy-reader.js";
import { parseManagedName } from "./render-policy.js";
import {
  checkTarget,
  describeTarget,
  reachedAccounts,
  requireEveryAttachment,
  targetNotes,
} from "./resolve-target.js";
import { finishPlan, namesOf, type PlanScpInput, type ScpPlan, type ScpStep } from "./scp-plan.js";

export interface PlanDetachInput extends Omit<PlanScpInput, "targetId"> {
  /** The root, OU or account to detach from; absent: only delete unused policies (deleteUnused). */
  targetId: string | undefined;
  /**
   * Library names (every variant attached to the target), or managed names with a variant suffix
   * (that variant only); empty means every orgwarden policy attached to the target.
   */
  policyNames: string[];
  /** Also delete every orgwarden-managed policy of the kind that no root, OU or account has attached afterwards. */
  deleteUnused?: boolean;
}

/**
 * What detach-scp (detach-rcp, detach-s3-policy, …) would do. Only orgwarden-managed policies are
 * ever detached or deleted.
 */
export async function planDetachScp(input: PlanDetachInput): Promise<ScpPlan> {
  const { inventory } = input;
  const kind = input.kind ?? SCP_KIND;
  requireEveryAttachment(inventory, kind);
  const target =
    input.targetId === undefined
      ? requireTarget(inventory, inventory.rootId)
      : checkTarget(inventory, input.targetId, true, undefined, kind);
  const reader = new PolicyReader(input.organizations);
  const { policies, attachments } = policiesOf(inventory, kind);
  const attached = input.targetId === undefined ? [] : (attachments.get(target.id) ?? []);
  const attachedManaged = attached.flatMap((id) => {
    const p = policies.get(id);
    return p && parseManagedName(p.name) ? [p] : [];
  });
  const steps: ScpStep[] = [];
  const notes = input.targetId === undefined ? [] : targetNotes(inventory, target, kind);
  const chosen = new Map<string, ScpSummary>();
  if (input.targetId !== undefined) {
    const everything = input.policyNames.length === 0;
    const wanted = everything ? attachedManaged.map((p) => p.name) : input.policyNames;
    for (const raw of wanted) {
      // A library name (require-mfa) means every variant of it; a full name (orgwarden-…) that one.
      const exact = raw.startsWith(MANAGED_PREFIX);
      const asked = parseManagedName(exact ? raw : `${MANAGED_PREFIX}${raw}`);
      const matches = attachedManaged.filter((p) =>
        exact ? p.name === raw : parseManagedName(p.name)?.name === asked?.name,
      );
      if (matches.length === 0) {
        const exists = [...policies.values()].some((p) => parseManagedName(p.name)?.name === asked?.name);
        steps.push({
          kind: "nothing-to-do",
          policyName: raw,
          reason: exists ? "not attached to the target" : "no such policy in the organization",
        });
      }
      for (const m of matches) chosen.set(m.id, m);
    }
  }
  for (const policy of [...chosen.values()]) {
    if (input.policyNames.length === 0 && !(await reader.isManaged(policy))) {
      // Not asked for by name: a look-alike someone else owns is left alone.
      chosen.delete(policy.id);
      notes.push(
        (await reader.isServiceManaged(policy))
          ? `${policy.name} (${policy.id}) is tagged ManagedBy=service-access (an AWS service's): left attached`
          : `${policy.name} (${policy.id}) is not tagged managed-by=orgwarden: left attached`,
      );
      continue;
    }
    await reader.requireManaged(policy);
    steps.push({ kind: "detach-policy", policyName: policy.name, policyId: policy.id, targetId: target.id });
  }
  const detached = chosen.size;
  const after = attached.length - detached;
  // SCPs and RCPs: every target keeps one (its full-access policy); a management type needs none.
  if (input.targetId !== undefined && after < 1 && kind.fullAccess !== undefined) {
    throw new OrgwardenError(
      "REFUSED",
      `detaching would leave ${describeTarget(target)} with no ${kind.short} at all`,
      {
        hint: `Attach ${kind.fullAccess} (or your allow-list policy) to the target first: every target keeps at least one ${kind.short}.`,
      },
    );
  }
  if (input.deleteUnused) {
    for (const policy of policies.values()) {
      if (!parseManagedName(policy.name)) continue;
      const stillAttached = targetsOfPolicy(inventory, policy.id, kind).filter(
        (t) => !(t === target.id && chosen.has(policy.id)),
      );
      if (stillAttached.length > 0) continue;
      if (!(await reader.isManaged(policy))) {
        notes.push(
          (await reader.isServiceManaged(policy))
            ? `${policy.name} (${policy.id}) is attached nowhere but is tagged ManagedBy=service-access (an AWS service's): not deleted`
            : `${policy.name} (${policy.id}) is attached nowhere but is not tagged managed-by=orgwarden: not deleted`,
        );
        continue;
      }
      steps.push({ kind: "delete-policy", policyName: policy.name, policyId: policy.id });
    }
  }
  return finishPlan("detach", target, steps, {
    policyType: kind.type,
    sizes: [],
    attachments: {
      before: attached.length,
      after,
      limit: input.quotas.maxPoliciesPerTarget,
      names: namesOf(inventory, attached, kind),
    },
    quotaSources: input.quotas.sources,
    affected:
      input.targetId === undefined
        ? []
        : [
            {
              targetId: target.id,
              path: target.path,
              kind: target.kind,
              accounts: reachedAccounts(inventory, target, kind).length,
              reason: "target",
              policies: steps.flatMap((s) => (s.kind === "detach-policy" ? [s.policyName] : [])),
            },
          ],
    updates: [],
    replacements: [],
    lockout: undefined,
    sharedPolicyChecks: [],
    validation: undefined,
    notes,
  });
}
