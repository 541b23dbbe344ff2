import { type Inventory, requireTarget } from "@orgwarden/core";
import { applyScpPlan, recordAppliedScp, type ScpPlan, type ScpStep } from "@orgwarden/scp";
import type { JobSession } from "../session/session.js";

/**
 * Attaches and detaches a stage's policies after its soak (the old variants detached) or on a roll
 * back (the new ones detached, an old one re-attached), through apply-scp's one apply: each step
 * retried as Organizations' writes are, each safe to repeat (an attach already made, a detach
 * already done, is not an error), and the in-memory organization brought up to date.
 */
export async function applyStageSteps(
  session: JobSession,
  inventory: Inventory,
  targetId: string,
  steps: ScpStep[],
  onStep?: (step: ScpStep, done: number, total: number) => void,
): Promise<void> {
  if (steps.length === 0) return;
  const plan: ScpPlan = {
    action: steps.every((s) => s.kind === "detach-policy") ? "detach" : "apply",
    policyType: "SERVICE_CONTROL_POLICY",
    target: requireTarget(inventory, targetId),
    steps,
    changes: steps.length,
    sizes: [],
    attachments: { before: 0, after: 0, limit: 0, names: [] },
    quotaSources: undefined,
    affected: [],
    updates: [],
    replacements: [],
    lockout: undefined,
    sharedPolicyChecks: [],
    validation: undefined,
    notes: [],
  };
  const applied = await applyScpPlan(plan, {
    organizations: session.factory.organizations(session.operatorCredentials),
    logger: session.logger,
    ...(onStep ? { onStep } : {}),
  });
  recordAppliedScp(inventory, plan, applied);
}
