import type { ScpStep } from "@orgwarden/scp";
import { readSoakDenials } from "./read-soak-denials.js";
import type { RolloutOutcome } from "./rollout-events.js";
import type { PolicyRef } from "./rollout-state.js";
import { nowIn, type StageContext, stageAt } from "./stage-context.js";
import { applyStageSteps } from "./stage-writes.js";

/** How far AWS's clock and this machine's may differ: the soak reads from this much before its first write. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * An attached stage until its soak ends: each look reads the denials recorded in its accounts since
 * it was attached and counts them (readSoakDenials). Past --max-new-denials the stage is rolled back
 * at once; once the soak is over (a soak already over is judged at the first look) it passes and the
 * old variants are detached. Waiting, it looks every --poll on the rollout's clock; otherwise it
 * saves the state and returns "soaking". Every stage soaks, even one whose policies were on its
 * target already: the old variants it keeps are detached only after a soak.
 */
export async function soakStage(ctx: StageContext, index: number): Promise<"passed" | RolloutOutcome> {
  const { state, hooks, options } = ctx;
  const { stage, ref } = stageAt(ctx, index);
  // From before the first write, less a clock-skew margin: a denial stamped by AWS's clock a little
  // before ours is still read. Until soakUntil plus CloudTrail's delivery margin: a denial of the
  // soak's last minutes delivered late still counts before the stage passes.
  const readFrom = Date.parse(stage.writesFrom ?? stage.attachedAt ?? "") - CLOCK_SKEW_MS;
  const soakUntil = Date.parse(stage.soakUntil ?? "");
  const passAt = soakUntil + state.deliveryMarginMs;
  for (;;) {
    const now = nowIn(ctx);
    const reading = await readSoakDenials(ctx.session, {
      stage,
      source: ctx.source,
      regions: ctx.regions,
      window: { start: new Date(readFrom), end: now },
      ...(hooks.progress ? { progress: hooks.progress } : {}),
    });
    stage.denials = reading.denials;
    stage.lookedAt = now.toISOString();
    hooks.onEvent({
      kind: "soak",
      stage: ref,
      denials: reading.denials,
      counted: reading.counted,
      limit: state.maxNewDenials,
      failures: reading.failures,
      soakUntil: stage.soakUntil ?? "",
    });
    if (reading.counted > state.maxNewDenials) return rollBackStage(ctx, index, reading.counted);
    if (now.getTime() >= passAt) {
      if (reading.failures.length === 0) return passStage(ctx, index);
      ctx.save();
      hooks.onEvent({ kind: "incomplete", stage: ref, phase: "soak", failures: reading.failures });
      return "incomplete";
    }
    ctx.save();
    if (!options.wait) {
      hooks.onEvent({ kind: "waiting", stage: ref, soakUntil: stage.soakUntil ?? "" });
      return "soaking";
    }
    await options.clock.sleep(Math.min(options.pollMs, passAt - now.getTime()));
  }
}

/** The soak passed: the variants the stage kept attached are detached, one by one, each saved. */
async function passStage(ctx: StageContext, index: number): Promise<"passed"> {
  const { stage, ref } = stageAt(ctx, index);
  const inventory = await ctx.session.inventory();
  const detached: PolicyRef[] = [];
  for (const old of [...stage.pendingDetaches]) {
    await applyStageSteps(
      ctx.session,
      inventory,
      stage.id,
      [detachStep(old, stage.id)],
      (step, done, total) => ctx.hooks.onEvent({ kind: "step", stage: ref, step, done, total }),
    );
    stage.pendingDetaches = stage.pendingDetaches.filter((p) => p.id !== old.id);
    stage.detached.push(old);
    detached.push(old);
    ctx.save();
  }
  stage.status = "passed";
  stage.finishedAt = nowIn(ctx).toISOString();
  ctx.save();
  ctx.hooks.onEvent({ kind: "passed", stage: ref, detached });
  return "passed";
}

/**
 * Past the limit: an old variant detached earlier is attached again first (the target is never
 * without it), then the policies the stage attached are detached. The state keeps the denials.
 */
async function rollBackStage(ctx: StageContext, index: number, counted: number): Promise<"rolled-back"> {
  const { stage, ref } = stageAt(ctx, index);
  const inventory = await ctx.session.inventory();
  const removed = stage.attached.flatMap((a) => (a.id ? [{ name: a.name, id: a.id }] : []));
  const steps: ScpStep[] = [
    ...stage.detached.map(
      (old): ScpStep => ({
        kind: "attach-policy",
        policyName: old.name,
        policyId: old.id,
        targetId: stage.id,
      }),
    ),
    ...removed.map((p) => detachStep(p, stage.id)),
  ];
  await applyStageSteps(ctx.session, inventory, stage.id, steps, (step, done, total) =>
    ctx.hooks.onEvent({ kind: "step", stage: ref, step, done, total }),
  );
  stage.status = "rolled-back";
  stage.finishedAt = nowIn(ctx).toISOString();
  stage.pendingDetaches = [];
  stage.detached = [];
  ctx.save();
  ctx.hooks.onEvent({
    kind: "rolled-back",
    stage: ref,
    counted,
    limit: ctx.state.maxNewDenials,
    detached: removed,
  });
  return "rolled-back";
}

function detachStep(p: PolicyRef, targetId: string): ScpStep {
  return { kind: "detach-policy", policyName: p.name, policyId: p.id, targetId };
}
