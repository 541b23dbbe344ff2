import { describeRewrites, planTargetSteps } from "../plan-policy-steps.js";
import { policyKindOf } from "../policy-kind.js";
import { fitAttachmentQuota } from "../quota-checks.js";
import { reachedAccounts } from "../resolve-target.js";
import { finishPlan, namesOf, type PlanScpInput, type ScpPlan } from "../scp-plan.js";
import { DECLARATIVE_POLICY_KINDS } from "./declarative-policies.js";
import type { RenderedDeclarativePolicy } from "./declarative-variant.js";

export interface PlanApplyDeclarativeInput extends Omit<PlanScpInput, "kind"> {
  /** One parameter set's policy (renderDeclarativePolicy): its type is the plan's kind. */
  policy: RenderedDeclarativePolicy;
  allowRoot?: boolean;
  /** How the caller's user allows the root: the refusal names it. */
  allowRootHint?: string;
}

/**
 * Works out what apply-s3-policy or apply-ec2-policy would do, reading AWS but writing nothing: the
 * engine's apply plan (planTargetSteps: the target, the enable step when the type is not enabled,
 * the size and attachment quotas, the policy created or updated, tagged and attached, an older
 * variant on the target replaced) for a management kind, which switches the authorization-only
 * parts off (policy-kind.ts): no library, no lockout guard, no IAM validation. What the policy
 * sets, and whom it reaches (the management account and service-linked roles too), are notes.
 */
export async function planApplyDeclarative(input: PlanApplyDeclarativeInput): Promise<ScpPlan> {
  const { policy, quotas } = input;
  const kind = policyKindOf(policy.type);
  const rendering = DECLARATIVE_POLICY_KINDS[policy.type];
  const { inventory, target, planned, notes } = await planTargetSteps(
    { ...input, kind, policies: [policy] },
    kind,
    (reader, id, name) => reader.json(id, name),
  );
  if (planned.steps[0]?.kind === "enable-policy-type")
    notes.push(
      `enabling the ${policy.type} type attaches nothing and changes no setting by itself (orgwarden never disables it)`,
    );
  notes.push(`${rendering.reach} (${rendering.page})`);
  for (const p of rendering.parameters) {
    const value = policy.parameters[p.name];
    if (value !== undefined) notes.push(`sets ${p.path.join(".")} to ${value}: ${p.describes}`);
  }
  const after = fitAttachmentQuota(inventory, target, planned, quotas, notes, kind);
  const { updates, replacements } = describeRewrites(inventory, target, planned, kind);
  return finishPlan("apply", target, planned.steps, {
    policyType: kind.type,
    sizes: [{ name: policy.managedName, size: policy.size, max: quotas.maxPolicySize }],
    attachments: {
      before: planned.attached.length,
      after,
      limit: quotas.maxPoliciesPerTarget,
      names: namesOf(inventory, planned.attached, kind),
    },
    quotaSources: quotas.sources,
    affected: [
      {
        targetId: target.id,
        path: target.path,
        kind: target.kind,
        accounts: reachedAccounts(inventory, target, kind).length,
        reason: "target",
        policies: [policy.managedName],
      },
    ],
    updates,
    replacements,
    lockout: undefined,
    sharedPolicyChecks: [],
    validation: undefined,
    notes,
  });
}
