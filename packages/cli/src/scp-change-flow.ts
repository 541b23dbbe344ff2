import { describeStep, parseChoice } from "@orgwarden/job";
import { applyScpPlan, type ScpPlan, stepActions } from "@orgwarden/scp";
import type { CommandContext } from "./command.js";
import { confirmChange } from "./confirm-change.js";
import { PLAN_OUTPUTS, scpPlanDocument, writeJson } from "./output/plan-json.js";
import { renderScpPlan } from "./output/render-scp-plan.js";

/** Prints the plan, asks (or needs --yes), applies it step by step with progress on stdout. */
export async function showConfirmApply(
  ctx: CommandContext,
  command: "apply-scp" | "detach-scp",
  plan: ScpPlan,
  flags: { dryRun?: boolean; yes?: boolean; output?: string },
  summary: string,
): Promise<number> {
  const json = parseChoice("output", flags.output ?? "text", PLAN_OUTPUTS) === "json";
  await noteDelegation(ctx, plan);
  if (!json) ctx.io.stdout.write(renderScpPlan(plan, ctx.paint));
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: plan.changes,
    summary,
    notesToStderr: json,
  });
  if (!go) {
    if (json) {
      const why = plan.changes === 0 ? "nothing-to-do" : "dry-run";
      writeJson(ctx.io, scpPlanDocument(command, plan, { applied: false, why }));
    }
    return 0;
  }
  const result = await applyScpPlan(plan, {
    organizations: ctx.factory.organizations(ctx.operatorCredentials),
    logger: ctx.logger,
    onStep: (step, done, total) =>
      (json ? ctx.io.stderr : ctx.io.stdout).write(`[${done}/${total}] done: ${describeStep(step)}\n`),
  });
  if (json)
    writeJson(
      ctx.io,
      scpPlanDocument(command, plan, { applied: true, why: "applied", written: result.written }),
    );
  else ctx.io.stdout.write(`Done: ${summary}.\n`);
  return 0;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * From a delegated administrator, the plan says which Organizations calls the delegation policy (in
 * the management account) must allow: otherwise they are refused half-way with AccessDenied.
 */
async function noteDelegation(ctx: CommandContext, plan: ScpPlan): Promise<void> {
  const assumer = await ctx.roleAssumer();
  if (assumer.operatorAccountId === assumer.managementAccountId || plan.changes === 0) return;
  const actions = [...new Set(plan.steps.flatMap(stepActions))];
  plan.notes.push(
    `running from ${assumer.operatorAccountId}, a delegated administrator: the Organizations delegation policy of the management account ${assumer.managementAccountId} must allow ${actions.join(", ")} for this account, and its own IAM policy the same (docs/permissions/organizations-delegation.json, management-write.json)`,
  );
}
