import { accountsUnder, requireTarget, type Target } from "@orgwarden/core";
import { parseChoice, type RuleFlags, ruleSettings, workRegions } from "@orgwarden/job";
import { loadRuleCatalog, selectRules, withGuardDutyAdmins } from "@orgwarden/rules";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { deployAccountRules } from "../deploy-account-rules.js";
import { deployOrganizationRules } from "../deploy-organization-rules.js";
import { addDeployRulesFlags } from "../options/deploy-rules-options.js";
import {
  documentRefusals,
  knownTarget,
  PLAN_OUTPUTS,
  type PlannedDocument,
  refusedPlanDocument,
} from "../output/plan-json.js";

export interface DeployRulesFlags extends RuleFlags {
  ou?: string;
  rule: string[];
  regions?: string;
  mode?: string;
  remove?: boolean;
  ensureIamPolicy?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  output?: string;
  rulesDir?: string;
}

/** `orgwarden deploy-rules`: plan per account × region (or per region, organization mode), confirm, write. */
export async function runDeployRules(ctx: CommandContext, flags: DeployRulesFlags): Promise<number> {
  ctx.changes.begin();
  const json = parseChoice("output", flags.output ?? "text", PLAN_OUTPUTS) === "json";
  // With --output json a refusal prints the document too: the plan once there is one.
  let known: Target | undefined;
  const planned: PlannedDocument = {};
  return documentRefusals(
    ctx.io,
    json,
    (result, err) => planned.document?.(result) ?? refusedPlanDocument("deploy-rules", known, err),
    async () => {
      const mode = parseChoice("mode", flags.mode ?? "accounts", ["accounts", "organization"] as const);
      const catalog = loadRuleCatalog(flags.rulesDir);
      const rules =
        flags.remove && flags.rule.length === 0 ? [...catalog.values()] : selectRules(catalog, flags.rule);
      const homeRegion = ctx.options.region;
      const regions = workRegions(flags.regions, ctx.runConfig, homeRegion);
      const inventory = await ctx.inventory();
      known = knownTarget(inventory, flags.ou);
      // guardduty-enabled-centralized's central account: each region's GuardDuty delegated administrator,
      // unless --guardduty-central-account or guardDutyCentralAccount names it (a removal needs none).
      const named = ruleSettings(flags, ctx.runConfig);
      const settings = flags.remove
        ? named
        : await withGuardDutyAdmins(named, rules, regions, {
            factory: ctx.factory,
            credentials: ctx.operatorCredentials,
          });
      const target = flags.ou ? requireTarget(inventory, flags.ou) : undefined;
      const accounts = target ? accountsUnder(inventory, target.id) : inventory.accounts;
      const where = target
        ? `${target.kind === "account" ? "account" : "OU"} ${target.path} (${target.id})`
        : "the whole organization";
      const common = {
        accounts,
        target,
        where,
        rules,
        settings,
        regions,
        remove: flags.remove ?? false,
        json,
        dryRun: flags.dryRun ?? false,
        yes: flags.yes ?? false,
        planned,
      };
      if (mode === "organization") return deployOrganizationRules(ctx, { ...common, inventory });
      return deployAccountRules(ctx, {
        ...common,
        homeRegion,
        ensureIamPolicy: flags.ensureIamPolicy ?? false,
      });
    },
  );
}

export function registerDeployRules(program: Command, action: ActionFactory): void {
  addDeployRulesFlags(
    program
      .command("deploy-rules")
      .description("put the AWS Config rules of the catalog into each active account under an OU"),
  ).action(action(runDeployRules));
}
