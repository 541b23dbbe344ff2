import { OrgwardenError } from "@orgwarden/core";
import {
  applyScpPlan,
  attachBeside,
  describeTarget,
  documentSha256,
  type RenderedPolicy,
  recordAppliedScp,
  type ScpPlan,
  type ScpStep,
} from "@orgwarden/scp";
import { impactGate } from "../impact/impact-gate.js";
import { measureImpact } from "../impact/measure-impact.js";
import { draftIn, noteDelegation, planScpDraft, type ScpDraft } from "../scp/plan-scp.js";
import { sinceDate } from "../settings/impact-settings.js";
import type { RolloutOutcome } from "./rollout-events.js";
import type { PolicyRef, RolloutStage } from "./rollout-state.js";
import { reconcileAttached } from "./stage-attachments.js";
import { nowIn, type StageContext, stageAt } from "./stage-context.js";
import { applyStageSteps } from "./stage-writes.js";

/**
 * One stage up to its soak: the impact of the change on the target's recorded activity (past
 * --max-new-denials: stopped, nothing applied), the plan with the lockout guard as apply-scp makes
 * it, the confirmation, then the writes. The policies are attached beside what is there: a document
 * whose managed name another document holds gets its own name (attachBeside), so no policy other
 * targets use is updated in place, and another variant on the target stays attached until the soak
 * passed (pending). Returns "attached", or how the stage stopped.
 */
export async function attachStage(ctx: StageContext, index: number): Promise<"attached" | RolloutOutcome> {
  const { session, state, hooks } = ctx;
  const { stage, ref } = stageAt(ctx, index);
  const inventory = await session.inventory();
  const organizations = session.factory.organizations(session.operatorCredentials);
  const bound = draftIn(ctx.draft, inventory.partition);
  const draft: ScpDraft = {
    library: ctx.draft.library,
    settings: { ...ctx.draft.settings, params: bound.params },
    policies: await attachBeside(inventory, bound.policies, organizations),
  };

  // What an earlier attempt left on the target (a write that failed half way, a killed run) is
  // the stage's own: kept in the state, detached if the stage stops now.
  reconcileAttached(inventory, stage);
  const now = nowIn(ctx);
  const since = state.activity.since;
  hooks.onEvent({ kind: "impact-start", stage: ref, since });
  const result = await measureImpact(session, {
    draft,
    target: stage.id,
    window: { start: sinceDate(since, now), end: now },
    since,
    regions: ctx.regions,
    source: ctx.source,
    awsCheck: draft.settings.awsCheck,
    ...(hooks.progress ? { progress: hooks.progress } : {}),
  });
  const gate = impactGate([result], state.maxNewDenials);
  const events = gate.events;
  stage.impact = { at: now.toISOString(), newDenialEvents: events };
  hooks.onEvent({ kind: "impact", stage: ref, result, events, limit: state.maxNewDenials });
  if (gate.verdict === "impact") {
    const detached = await detachOwn(ctx, index);
    stage.status = "stopped-impact";
    ctx.save();
    hooks.onEvent({ kind: "stopped-impact", stage: ref, events, limit: state.maxNewDenials, detached });
    return "stopped-impact";
  }
  if (gate.verdict === "incomplete") {
    ctx.save();
    hooks.onEvent({ kind: "incomplete", stage: ref, phase: "impact", failures: result.coverage.failures });
    return "incomplete";
  }
  if (stage.status !== "pending") startOver(stage);
  ctx.save();

  const plan = await planScpDraft(
    draft,
    { inventory, organizations },
    stage.id,
    await ctx.dependencies(),
    "Roll out to OUs instead: a stage at the organization root reaches every account at once.",
  );
  const staged = keepVariants(plan);
  await noteDelegation(session, staged.plan);
  if (staged.plan.changes > 0) {
    await hooks.confirm(ref, staged.plan);
    // Recorded before the writes: a run killed during them finds these on the target on resume.
    stage.writesFrom = nowIn(ctx).toISOString();
    for (const step of staged.plan.steps) {
      if (step.kind !== "attach-policy" || stage.attached.some((a) => a.name === step.policyName)) continue;
      stage.attached.push({ name: step.policyName, sha256: shaOf(draft.policies, step.policyName) });
    }
    ctx.save();
    const applied = await applyScpPlan(staged.plan, {
      organizations,
      logger: session.logger,
      onStep: (step, done, total) => hooks.onEvent({ kind: "step", stage: ref, step, done, total }),
    });
    recordAppliedScp(inventory, staged.plan, applied);
  }
  const before = new Set(stage.attached.map((a) => a.name));
  // A policy of the stage already on the target (attached by apply-scp, or by an earlier run) is
  // soaked from now like one attached now: its old variant is never detached without a soak.
  for (const policy of draft.policies) {
    if (before.has(policy.managedName)) continue;
    stage.attached.push({ name: policy.managedName, sha256: documentSha256(policy.content) });
  }
  reconcileAttached(inventory, stage);
  const already = stage.attached.every((a) => !before.has(a.name));
  const attachedAt = nowIn(ctx);
  stage.status = "attached";
  stage.attachedAt = attachedAt.toISOString();
  stage.soakUntil = new Date(attachedAt.getTime() + state.soakMs).toISOString();
  stage.pendingDetaches = mergeRefs(stage.pendingDetaches, staged.kept);
  stage.denials = [];
  delete stage.lookedAt;
  ctx.save();
  hooks.onEvent({
    kind: already ? "already-attached" : "attached",
    stage: ref,
    attached: stage.attached.flatMap((a) => (a.id ? [{ name: a.name, id: a.id }] : [])),
    kept: stage.pendingDetaches,
    soakUntil: stage.soakUntil,
  });
  return "attached";
}

/**
 * apply-scp's plan as a rollout applies it: never an update in place (attachBeside gave a changed
 * document its own name, so an update here means that name's policy was edited outside orgwarden),
 * and another variant of a policy on the target kept attached until the soak passed.
 */
function keepVariants(plan: ScpPlan): { plan: ScpPlan; kept: PolicyRef[] } {
  const updated = plan.steps.flatMap((s) => (s.kind === "update-policy" ? [s.policy.managedName] : []));
  if (updated.length > 0) {
    throw new OrgwardenError(
      "REFUSED",
      `${updated.join(", ")} already exists with another document: a rollout never updates a policy in place`,
      {
        hint: "That policy was edited outside orgwarden. Look at it with `orgwarden scp status`; delete or rename it, then resume. Nothing was changed.",
      },
    );
  }
  const kept: PolicyRef[] = [];
  const steps = plan.steps.map((s): ScpStep => {
    if (s.kind !== "detach-policy") return s;
    kept.push({ name: s.policyName, id: s.policyId });
    return {
      kind: "nothing-to-do",
      policyName: s.policyName,
      reason: `${s.policyId} kept attached beside the new policy until the stage's soak passes, then detached`,
    };
  });
  // Both stay attached during the soak: the target must hold one more than apply-scp's plan counts.
  const during = plan.attachments.after + kept.length;
  if (during > plan.attachments.limit) {
    throw new OrgwardenError(
      "QUOTA_EXCEEDED",
      `during the soak ${describeTarget(plan.target)} would hold ${during} SCPs (the new ones beside ${kept.map((k) => k.name).join(", ")}), over the limit of ${plan.attachments.limit}`,
      {
        hint: "Detach an SCP from the target first, or raise the quota (Service Quotas). Nothing was changed.",
      },
    );
  }
  const notes = kept.map(
    (k) =>
      `rollout: ${k.name} (${k.id}) stays attached to the target during the soak; it is detached once the stage passed`,
  );
  return {
    plan: {
      ...plan,
      steps,
      changes: steps.filter((s) => s.kind !== "nothing-to-do").length,
      attachments: { ...plan.attachments, after: during },
      notes: [...plan.notes, ...notes],
    },
    kept,
  };
}

/**
 * A stage stopped on its impact with policies of its own still attached (an earlier attempt's
 * writes): they are detached, each saved, so a stopped stage never leaves its policies enforced.
 */
async function detachOwn(ctx: StageContext, index: number): Promise<PolicyRef[]> {
  const { stage, ref } = stageAt(ctx, index);
  const own = stage.attached.flatMap((a) => (a.id ? [{ name: a.name, id: a.id }] : []));
  if (own.length === 0) return [];
  await applyStageSteps(
    ctx.session,
    await ctx.session.inventory(),
    stage.id,
    own.map((p) => ({ kind: "detach-policy", policyName: p.name, policyId: p.id, targetId: stage.id })),
    (step, done, total) => ctx.hooks.onEvent({ kind: "step", stage: ref, step, done, total }),
  );
  stage.attached = [];
  return own;
}

/** A stage tried again after it stopped on its impact or was rolled back: its last attempt is cleared. */
function startOver(stage: RolloutStage): void {
  stage.status = "pending";
  // stage.attached stays: reconcileAttached left only what is still on the target.
  stage.pendingDetaches = [];
  stage.detached = [];
  stage.denials = [];
  for (const key of ["attachedAt", "soakUntil", "lookedAt", "finishedAt"] as const) delete stage[key];
}

function shaOf(policies: readonly RenderedPolicy[], managedName: string): string {
  const policy = policies.find((p) => p.managedName === managedName);
  if (!policy)
    throw new OrgwardenError("INTERNAL", `the plan attaches ${managedName}, which it did not render`);
  return documentSha256(policy.content);
}

function mergeRefs(a: readonly PolicyRef[], b: readonly PolicyRef[]): PolicyRef[] {
  return [...a, ...b.filter((x) => !a.some((y) => y.id === x.id))];
}
