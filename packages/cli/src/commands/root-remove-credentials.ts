import { ExitCode, openRootAccess, parseChoice, type RootFlags, rootSettings } from "@orgwarden/job";
import { applyRootCredentialRemoval, planRootCredentialRemoval, removalOutcome } from "@orgwarden/root";
import type { CommandContext } from "../command.js";
import { confirmChange } from "../confirm-change.js";
import { progressReporter } from "../output/progress.js";
import { describeRemovalPlan, removalJson, removalSummary } from "../output/render-root.js";

export interface RootRemoveFlags extends RootFlags {
  ou: string;
  dryRun?: boolean;
  yes?: boolean;
  output?: string;
}

/** `orgwarden root remove-credentials`: audit, plan, confirm, then delete member root credentials. */
export async function runRootRemoveCredentials(ctx: CommandContext, flags: RootRemoveFlags): Promise<number> {
  const { keepMfa, allowRoot } = rootSettings(flags);
  const json =
    flags.output !== undefined && parseChoice("output", flags.output, ["text", "json"] as const) === "json";
  const inventory = await ctx.inventory();
  const { features, sessions } = await openRootAccess(ctx, inventory);
  const progress = progressReporter(ctx.io, "auditing root users", ctx.options.quiet);
  const plan = await planRootCredentialRemoval({
    inventory,
    targetId: flags.ou,
    features,
    sessions,
    keepMfa,
    allowRoot,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const out = ctx.io.stdout;
  // With --output json stdout holds the one document; the plan and the notes go to stderr.
  (json ? ctx.io.stderr : out).write(describeRemovalPlan(plan, json ? undefined : ctx.paint));
  const auditErrors = plan.accounts.filter((a) => a.audit.status === "ERROR").length;
  const accountsToChange = plan.accounts.filter((a) => a.steps.length > 0).length;
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: plan.changes,
    summary: `remove root credentials in ${accountsToChange} account${accountsToChange === 1 ? "" : "s"} under ${plan.target.path}`,
    notesToStderr: json,
  });
  if (!go) {
    if (json) out.write(`${JSON.stringify(removalJson(plan, undefined, flags.dryRun ?? false), null, 2)}\n`);
    return auditErrors > 0 ? ExitCode.incomplete : ExitCode.ok;
  }
  const results = await applyRootCredentialRemoval(plan, {
    sessions,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
  });
  const outcomes = results.map((r) => removalOutcome(r, plan.keepMfa));
  if (json) out.write(`${JSON.stringify(removalJson(plan, outcomes, false), null, 2)}\n`);
  else out.write(removalSummary(outcomes, plan.keepMfa));
  const unfinished = outcomes.filter((o) => o.status !== "DONE").length;
  return unfinished + auditErrors > 0 ? ExitCode.incomplete : ExitCode.ok;
}
