import { describeAwsError, INPUT_ERROR_CODES, OrgwardenError } from "@orgwarden/core";
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
  let written = 0;
  const result = await applyScpPlan(plan, {
    organizations: ctx.factory.organizations(ctx.operatorCredentials),
    logger: ctx.logger,
    onStep: (step, done, total) => {
      written = done;
      (json ? ctx.io.stderr : ctx.io.stdout).write(`[${done}/${total}] done: ${describeStep(step)}\n`);
    },
  }).catch((err: unknown) => {
    throw written > 0 ? stoppedAfterWrites(err, written, plan.changes) : err;
  });
  if (json)
    writeJson(
      ctx.io,
      scpPlanDocument(command, plan, { applied: true, why: "applied", written: result.written }),
    );
  else ctx.io.stdout.write(`Done: ${summary}.\n`);
  return 0;
}

/**
 * A failure after some steps were written is not "refused, nothing changed" (exit 2): it says how
 * far the change got (the steps are listed above as done) and exits 1.
 */
function stoppedAfterWrites(err: unknown, written: number, total: number): OrgwardenError {
  const e = describeAwsError(err, "Organizations");
  const unsaid = (text: string) => text.replace(/[.:;]?\s*nothing was changed\.?/gi, "").trim();
  return new OrgwardenError(
    INPUT_ERROR_CODES.has(e.code) ? "AWS_ERROR" : e.code,
    `${unsaid(e.message)} — stopped after ${plural(written, "change")} of ${total} (listed above as done)`,
    {
      hint: `${e.hint ? `${unsaid(e.hint)} ` : ""}Each step is safe to repeat: run the command again to finish.`,
      cause: err,
      ...(e.details ? { details: e.details } : {}),
    },
  );
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
