import { AccountClients, type OrgAccount, OrgwardenError, type Target } from "@orgwarden/core";
import { ExitCode } from "@orgwarden/job";
import { renderTable } from "@orgwarden/report";
import {
  applyRuleDeployment,
  planRuleDeployment,
  type RuleDefinition,
  type RuleSettings,
} from "@orgwarden/rules";
import type { CommandContext } from "./command.js";
import { confirmChange } from "./confirm-change.js";
import { failedAccounts, type PlannedDocument, type PlanResult, writeJson } from "./output/plan-json.js";
import { progressReporter } from "./output/progress.js";
import {
  paintAction,
  planRows,
  rulePlanDocument,
  skipReasons,
  summarizeRulePlan,
} from "./output/render-rule-plan.js";

export interface AccountRulesRequest {
  accounts: OrgAccount[];
  target: Target | undefined;
  where: string;
  rules: RuleDefinition[];
  settings: RuleSettings;
  regions: string[];
  homeRegion: string;
  remove: boolean;
  ensureIamPolicy: boolean;
  json: boolean;
  dryRun: boolean;
  yes: boolean;
  /** Receives the plan document once the plan exists (a refusal prints it with --output json). */
  planned: PlannedDocument;
}

/** `deploy-rules` (accounts mode): plan per account × region through orgwarden's role, confirm, put. */
export async function deployAccountRules(ctx: CommandContext, req: AccountRulesRequest): Promise<number> {
  const { accounts, target, where, rules, settings, regions, homeRegion, json } = req;
  const out = ctx.io.stdout;
  const clients = new AccountClients(ctx.factory, await ctx.roleAssumer());
  const progress = progressReporter(ctx.io, "planning", ctx.options.quiet);
  const plan = await planRuleDeployment({
    accounts,
    rules,
    settings,
    regions,
    homeRegion,
    clients,
    remove: req.remove,
    ensureIamPolicy: req.ensureIamPolicy,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const counts = summarizeRulePlan(plan.accounts);
  if (!json) {
    out.write(
      `Plan: ${req.remove ? "remove" : "deploy"} ${rules.map((r) => r.name).join(", ")} in ${accounts.length} accounts under ${where}\n`,
    );
    out.write(
      renderTable(
        ["ACCOUNT", "NAME", "REGION", "RULE", "ACTION", "WHY"],
        planRows(plan.accounts).map((r) => r.map((c, i) => (i === 4 ? paintAction(ctx.paint, c) : c))),
        { width: ctx.io.columns },
      ),
    );
    out.write(
      `\n${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}\n`,
    );
  }
  const targetRef = target ? { kind: target.kind, id: target.id, path: target.path } : null;
  const doc = (result: PlanResult) => rulePlanDocument(plan, targetRef, result);
  req.planned.document = doc;
  const unreachable = plan.accounts.filter((r) => !r.ok).length;
  const deployable =
    (counts.create ?? 0) + (counts.update ?? 0) + (counts.unchanged ?? 0) + (counts.delete ?? 0);
  if (!req.remove && deployable === 0 && (counts.skipped ?? 0) > 0 && unreachable === 0) {
    throw new OrgwardenError(
      "REFUSED",
      `nothing can be deployed under ${where}: ${skipReasons(plan.accounts)}`,
      {
        hint: "Turn on AWS Config recording (a configuration recorder that records) in those accounts, or target another OU.",
        details: { check: "no-deployable-account" },
      },
    );
  }
  const go = await confirmChange(ctx, {
    dryRun: req.dryRun,
    yes: req.yes,
    changes: plan.changes,
    summary: `make ${plan.changes} Config change${plan.changes === 1 ? "" : "s"} in ${where}`,
    notesToStderr: json,
  });
  let failedApply = 0;
  if (!go && json)
    writeJson(ctx.io, doc({ applied: false, why: plan.changes === 0 ? "nothing-to-do" : "dry-run" }));
  if (go) {
    const applyProgress = progressReporter(ctx.io, "deploying", ctx.options.quiet);
    // Accounts are written side by side: the whole deployment is the step in flight.
    ctx.changes.start(
      `${req.remove ? "removing" : "deploying"} Config rules in ${accounts.length} account(s) under ${where}`,
      "some rules may be written: the same command with --dry-run shows what is left",
    );
    const applied = await applyRuleDeployment(plan, {
      clients,
      settings,
      homeRegion,
      concurrency: ctx.options.concurrency,
      logger: ctx.logger,
      onProgress: applyProgress.onProgress,
    }).finally(() => ctx.changes.end());
    applyProgress.end();
    const written = applied.reduce((n, r) => n + (r.ok ? r.value.written : 0), 0);
    for (const r of applied) {
      if (!r.ok) {
        failedApply += 1;
        ctx.io.stderr.write(`orgwarden: ${r.account.id} (${r.account.name}): ${r.error.message}\n`);
      }
    }
    if (json)
      writeJson(ctx.io, doc({ applied: true, why: "applied", written, failed: failedAccounts(applied) }));
    else
      out.write(
        `Applied: ${written} change${written === 1 ? "" : "s"}${failedApply ? `; ${failedApply} account(s) failed` : ""}.\n`,
      );
  }
  if (unreachable + failedApply > 0) {
    ctx.io.stderr.write(
      `orgwarden: ${unreachable + failedApply} account(s) could not be reached or changed (ERROR rows above); the others are done.\n`,
    );
    return ExitCode.incomplete;
  }
  return ExitCode.ok;
}
