import { ExitCode, openRootAccess, type RootFlags, rootSettings } from "@orgwarden/job";
import { applyRootCredentialRemoval, planRootCredentialRemoval, remainsAfter } from "@orgwarden/root";
import type { CommandContext } from "../command.js";
import { confirmChange } from "../confirm-change.js";
import { progressReporter } from "../output/progress.js";
import { describeRemovalPlan, removalSummary } from "../output/render-root.js";

export interface RootRemoveFlags extends RootFlags {
  ou: string;
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden root remove-credentials`: audit, plan, confirm, then delete member root credentials. */
export async function runRootRemoveCredentials(ctx: CommandContext, flags: RootRemoveFlags): Promise<number> {
  const { keepMfa, allowRoot } = rootSettings(flags);
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
  out.write(describeRemovalPlan(plan, ctx.paint));
  const auditErrors = plan.accounts.filter((a) => a.audit.status === "ERROR").length;
  const accountsToChange = plan.accounts.filter((a) => a.steps.length > 0).length;
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: plan.changes,
    summary: `remove root credentials in ${accountsToChange} account${accountsToChange === 1 ? "" : "s"} under ${plan.target.path}`,
  });
  if (!go) return auditErrors > 0 ? ExitCode.incomplete : ExitCode.ok;
  const results = await applyRootCredentialRemoval(plan, {
    sessions,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
  });
  out.write(removalSummary(results, plan.keepMfa));
  const unfinished = results.filter((r) => !r.ok || remainsAfter(r.value, plan.keepMfa)).length;
  return unfinished + auditErrors > 0 ? ExitCode.incomplete : ExitCode.ok;
}
