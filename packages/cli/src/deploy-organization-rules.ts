import type { Inventory, OrgAccount, Target } from "@orgwarden/core";
import { ExitCode, organizationRulesInput } from "@orgwarden/job";
import { renderTable } from "@orgwarden/report";
import {
  applyOrganizationRules,
  planOrganizationRules,
  type RuleDefinition,
  type RuleSettings,
} from "@orgwarden/rules";
import type { CommandContext } from "./command.js";
import { confirmChange } from "./confirm-change.js";
import { type PlanDocument, type PlannedDocument, type PlanResult, writeJson } from "./output/plan-json.js";
import { paintAction } from "./output/render-rule-plan.js";

export interface OrganizationRulesRequest {
  inventory: Inventory;
  accounts: readonly OrgAccount[];
  target: Target | undefined;
  where: string;
  rules: RuleDefinition[];
  settings: RuleSettings;
  regions: string[];
  remove: boolean;
  json: boolean;
  dryRun: boolean;
  yes: boolean;
  /** Receives the plan document once the plan exists (a refusal prints it with --output json). */
  planned: PlannedDocument;
}

/**
 * `deploy-rules --mode organization`: organization Config rules from the management account, every
 * account outside the scope excluded; plan, confirm, write, then wait until AWS reports them deployed.
 */
export async function deployOrganizationRules(
  ctx: CommandContext,
  req: OrganizationRulesRequest,
): Promise<number> {
  const out = ctx.io.stdout;
  const input = organizationRulesInput(ctx, req.inventory, req.accounts, {
    rules: req.rules,
    settings: req.settings,
    regions: req.regions,
  });
  input.remove = req.remove;
  const changes = await planOrganizationRules(input);
  if (!req.json) {
    out.write(
      `Plan: ${req.remove ? "remove" : "deploy"} organization Config rules for ${req.where} (${input.excludedAccounts.length} accounts excluded)\n`,
    );
    out.write(
      renderTable(
        ["REGION", "RULE", "ACTION", "WHY"],
        changes.map((c) => [c.region, c.rule, paintAction(ctx.paint, c.action), c.reason ?? ""]),
        { width: ctx.io.columns },
      ),
    );
  }
  const n = changes.filter((c) => ["create", "update", "delete"].includes(c.action)).length;
  const doc = (result: PlanResult): PlanDocument => ({
    command: "deploy-rules",
    target: req.target ? { kind: req.target.kind, id: req.target.id, path: req.target.path } : null,
    changes: n,
    steps: changes.map((c) => ({
      kind: c.action,
      description: `${c.action} organization rule ${c.rule} in ${c.region}${c.reason ? `: ${c.reason}` : ""}`,
      rule: c.rule,
      region: c.region,
      ...(c.reason ? { reason: c.reason } : {}),
    })),
    affected: [],
    lockout: null,
    unreachable: [],
    result,
  });
  req.planned.document = doc;
  const go = await confirmChange(ctx, {
    dryRun: req.dryRun,
    yes: req.yes,
    changes: n,
    summary: `make ${n} organization rule change${n === 1 ? "" : "s"}`,
    notesToStderr: req.json,
  });
  if (!go) {
    if (req.json) writeJson(ctx.io, doc({ applied: false, why: n === 0 ? "nothing-to-do" : "dry-run" }));
    return ExitCode.ok;
  }
  ctx.changes.start(
    `${req.remove ? "removing" : "writing"} ${n} organization Config rule change(s)`,
    "some organization rules may be written: the same command with --dry-run shows what is left",
  );
  const written = await applyOrganizationRules(changes, input).finally(() => ctx.changes.end());
  if (req.json) writeJson(ctx.io, doc({ applied: true, why: "applied", written }));
  else out.write(`Applied: ${written} change${written === 1 ? "" : "s"}; AWS reports the rules deployed.\n`);
  return ExitCode.ok;
}
