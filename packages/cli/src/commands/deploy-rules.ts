import type { Target } from "@orgwarden/core";
import {
  applyRules,
  ExitCode,
  parseChoice,
  planRules,
  type RuleDeploymentFlags,
  type RuleDeploymentPlan,
  refuseEmptyDeployment,
  ruleDeployment,
  unreadAccounts,
} from "@orgwarden/job";
import { loadRuleCatalog } from "@orgwarden/rules";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { confirmChange } from "../confirm-change.js";
import { addDeployRulesFlags } from "../options/deploy-rules-options.js";
import { jobHooks } from "../output/job-hooks.js";
import type { PlanResult } from "../output/plan-document-schema.js";
import {
  documentRefusals,
  failedAccounts,
  knownTarget,
  PLAN_OUTPUTS,
  type PlannedDocument,
  refusedPlanDocument,
  writeJson,
} from "../output/plan-json.js";
import { renderRulePlan, rulePlanDocument } from "../output/render-rule-plan.js";

export interface DeployRulesFlags extends RuleDeploymentFlags {
  rule: string[];
  dryRun?: boolean;
  yes?: boolean;
  output?: string;
  rulesDir?: string;
}

/**
 * `orgwarden deploy-rules`: plan per account × region (or per region, organization mode), show,
 * refuse a plan that can deploy nothing, confirm, write. The plan and the writes are the job's, as
 * for a `rules:` entry of run.
 */
export async function runDeployRules(ctx: CommandContext, flags: DeployRulesFlags): Promise<number> {
  ctx.changes.begin();
  const json = parseChoice("output", flags.output ?? "text", PLAN_OUTPUTS) === "json";
  // With --output json a refusal prints the document too: the plan once there is one.
  let known: Target | undefined;
  const shown: PlannedDocument = {};
  return documentRefusals(
    ctx.io,
    json,
    (result, err) => shown.document?.(result) ?? refusedPlanDocument("deploy-rules", known, err),
    async () => {
      const deployment = ruleDeployment(
        flags,
        ctx.runConfig,
        ctx.options.region,
        loadRuleCatalog(flags.rulesDir),
      );
      const inventory = await ctx.inventory();
      known = knownTarget(inventory, flags.ou);
      const hooks = jobHooks(ctx);
      const planned = await planRules(ctx, inventory, deployment, { hooks });
      if (!json) ctx.io.stdout.write(renderRulePlan(planned, ctx.paint, ctx.io.columns));
      const doc = (result: PlanResult) => rulePlanDocument(planned, result);
      shown.document = doc;
      refuseEmptyDeployment(planned);
      const n = planned.plan.changes;
      const go = await confirmChange(ctx, {
        dryRun: flags.dryRun ?? false,
        yes: flags.yes ?? false,
        changes: n,
        summary:
          planned.mode === "organization"
            ? `make ${n} organization rule change${n === 1 ? "" : "s"}`
            : `make ${n} Config change${n === 1 ? "" : "s"} in ${planned.where}`,
        notesToStderr: json,
      });
      if (!go) {
        if (json) writeJson(ctx.io, doc({ applied: false, why: n === 0 ? "nothing-to-do" : "dry-run" }));
        return incomplete(ctx, unreadAccounts(planned));
      }
      ctx.changes.start(...inFlight(planned));
      const { written, failed } = await applyRules(ctx, planned, hooks).finally(() => ctx.changes.end());
      for (const r of failed)
        ctx.io.stderr.write(`orgwarden: ${r.account.id} (${r.account.name}): ${r.error.message}\n`);
      const organization = planned.mode === "organization";
      if (json)
        writeJson(
          ctx.io,
          doc({
            applied: true,
            why: "applied",
            written,
            ...(organization ? {} : { failed: failedAccounts(failed) }),
          }),
        );
      else {
        const after = organization
          ? "; AWS reports the rules deployed"
          : failed.length
            ? `; ${failed.length} account(s) failed`
            : "";
        ctx.io.stdout.write(`Applied: ${written} change${written === 1 ? "" : "s"}${after}.\n`);
      }
      return incomplete(ctx, unreadAccounts(planned) + failed.length);
    },
  );
}

/** What is being written, and what to look at when it is interrupted. */
function inFlight(plan: RuleDeploymentPlan): [string, string] {
  if (plan.mode === "organization")
    return [
      `${plan.remove ? "removing" : "writing"} ${plan.plan.changes} organization Config rule change(s)`,
      "some organization rules may be written: the same command with --dry-run shows what is left",
    ];
  // Accounts are written side by side: the whole deployment is the step in flight.
  return [
    `${plan.remove ? "removing" : "deploying"} Config rules in ${plan.accounts.length} account(s) under ${plan.where}`,
    "some rules may be written: the same command with --dry-run shows what is left",
  ];
}

/** Exit 3 when accounts could not be read or written (ERROR rows); the others are done. */
function incomplete(ctx: CommandContext, accounts: number): number {
  if (accounts === 0) return ExitCode.ok;
  ctx.io.stderr.write(
    `orgwarden: ${accounts} account(s) could not be reached or changed (ERROR rows above); the others are done.\n`,
  );
  return ExitCode.incomplete;
}

export function registerDeployRules(program: Command, action: ActionFactory): void {
  addDeployRulesFlags(
    program
      .command("deploy-rules")
      .description("put the AWS Config rules of the catalog into each active account under an OU"),
  ).action(action(runDeployRules));
}
