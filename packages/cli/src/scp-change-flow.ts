import { describeAwsError, INPUT_ERROR_CODES, OrgwardenError, type Target } from "@orgwarden/core";
import { describeStep, noteDelegation, parseChoice } from "@orgwarden/job";
import { applyScpPlan, type PolicyKind, policyKindOf, type ScpPlan, type ScpStep } from "@orgwarden/scp";
import type { CommandContext } from "./command.js";
import { confirmChange } from "./confirm-change.js";
import {
  documentRefusals,
  PLAN_OUTPUTS,
  refusedPlanDocument,
  scpPlanDocument,
  writeJson,
} from "./output/plan-json.js";
import { renderScpPlan } from "./output/render-scp-plan.js";

/** The commands that plan and apply a change of a kind's policies (SCPs, RCPs, S3, EC2 declarative). */
export type PolicyChangeCommand = `${"apply" | "detach"}-${PolicyKind["family"]}`;

/** Prints the plan, asks (or needs --yes), applies it step by step with progress on stdout. */
export async function showConfirmApply(
  ctx: CommandContext,
  command: PolicyChangeCommand,
  plan: ScpPlan,
  flags: { dryRun?: boolean; yes?: boolean; output?: string },
  summary: string,
): Promise<number> {
  const json = parseChoice("output", flags.output ?? "text", PLAN_OUTPUTS) === "json";
  await noteDelegation(ctx, plan);
  if (!json) ctx.io.stdout.write(renderScpPlan(plan, ctx.paint, ctx.io.columns));
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
  // applyScpPlan sends the steps that write, one at a time in plan order, and reports each after
  // it is done: the one after the last done is the one in flight.
  const writes = plan.steps.filter((st) => st.kind !== "nothing-to-do");
  const startStep = (i: number) => {
    const next = writes[i];
    if (next) ctx.changes.start(describeStep(next), stepCheck(next, policyKindOf(plan.policyType).family));
  };
  startStep(0);
  let written = 0;
  let result: Awaited<ReturnType<typeof applyScpPlan>>;
  try {
    result = await applyScpPlan(plan, {
      organizations: ctx.factory.organizations(ctx.operatorCredentials),
      logger: ctx.logger,
      onStep: (step, done, total) => {
        written = done;
        const line = `[${done}/${total}] done: ${describeStep(step)}`;
        (json ? ctx.io.stderr : ctx.io.stdout).write(`${line}\n`);
        ctx.changes.finish(line);
        startStep(done);
      },
    });
  } catch (err) {
    throw written > 0 ? stoppedAfterWrites(err, written, plan.changes) : err;
  } finally {
    ctx.changes.end();
  }
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

/** What to look at when `step` was interrupted: it may or may not have reached AWS. */
export function stepCheck(step: ScpStep, family: PolicyKind["family"] = "scp"): string {
  const status = `orgwarden ${family} status`;
  switch (step.kind) {
    // Organizations attaches FullAWSAccess (RCPFullAWSAccess) to every root, OU and account
    // (https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html); a
    // management type, nothing.
    case "enable-policy-type": {
      const kind = policyKindOf(step.policyType);
      return kind.fullAccess
        ? `${kind.many} may now be enabled on ${step.rootId}, with ${kind.fullAccess} attached everywhere (that allows what was allowed)`
        : `${kind.many} may now be enabled on ${step.rootId}, with nothing attached (no setting changed)`;
    }
    case "create-policy":
      return `${step.policy.managedName} may exist, attached nowhere: \`${status}\` lists it; running again attaches it, \`orgwarden detach-${family} --delete-unused\` deletes it`;
    case "update-policy":
      return `${step.policy.managedName} (${step.policyId}) may already hold the new content, on every target it is attached to: \`${status}\` shows it`;
    case "tag-policy":
      return `the tags of ${step.policy.managedName} (${step.policyId}) may be half-written: \`${status}\` shows it`;
    case "attach-policy":
      return `${step.policyName} may be attached to ${step.targetId}: \`${status} --ou ${step.targetId}\``;
    case "detach-policy":
      return `${step.policyName} (${step.policyId}) may be detached from ${step.targetId}: \`${status} --ou ${step.targetId}\``;
    case "delete-policy":
      return `${step.policyName} (${step.policyId}) may be deleted: \`${status}\``;
    case "nothing-to-do":
      return "nothing";
  }
}

/** What an SCP change command knows so far: the target once found, the plan once made. */
export interface ScpChangeProgress {
  target?: Target;
  plan?: ScpPlan;
}

/**
 * Runs apply-scp or detach-scp: the change is tracked for Ctrl-C, and with --output json a refusal
 * prints the plan document too (the plan once there is one, else the target and the refusal).
 */
export function runScpChange(
  ctx: CommandContext,
  command: PolicyChangeCommand,
  output: string | undefined,
  run: (known: ScpChangeProgress) => Promise<number>,
): Promise<number> {
  ctx.changes.begin();
  const json = parseChoice("output", output ?? "text", PLAN_OUTPUTS) === "json";
  const known: ScpChangeProgress = {};
  return documentRefusals(
    ctx.io,
    json,
    (result, err) =>
      known.plan
        ? scpPlanDocument(command, known.plan, result)
        : refusedPlanDocument(command, known.target, err),
    () => run(known),
  );
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
