import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import {
  AccountClients,
  accountsUnder,
  type Inventory,
  isRegionName,
  type OrgAccount,
  OrgwardenError,
  requireTarget,
} from "@orgwarden/core";
import { type Paint, renderTable } from "@orgwarden/report";
import {
  applyOrganizationRules,
  applyRuleDeployment,
  DEFAULT_RULE_SETTINGS,
  DEFAULT_RULES,
  loadRuleCatalog,
  type OrganizationRulesInput,
  planOrganizationRules,
  planRuleDeployment,
  type RuleSettings,
  renderRule,
  selectRules,
} from "@orgwarden/rules";
import type { Command } from "commander";
import { confirmChange } from "../confirm-change.js";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import type { ActionFactory } from "../main.js";
import { parseChoice } from "../output/output-format.js";
import {
  failedAccounts,
  PLAN_OUTPUTS,
  type PlanDocument,
  type PlanResult,
  writeJson,
} from "../output/plan-json.js";
import { progressReporter } from "../output/progress.js";
import type { RunConfig } from "../run-config.js";
import { collect } from "../scp-settings.js";

export interface DeployRulesFlags {
  ou?: string;
  rule: string[];
  regions?: string;
  mode?: string;
  remove?: boolean;
  ensureIamPolicy?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  output?: string;
  mfaPolicyName?: string;
  passwordMinLength?: string;
  rulesDir?: string;
}

export function ruleSettings(
  flags: Pick<DeployRulesFlags, "mfaPolicyName" | "passwordMinLength">,
  config?: RunConfig,
): RuleSettings {
  const settings: RuleSettings = structuredClone(DEFAULT_RULE_SETTINGS);
  if (config) {
    settings.mfaPolicyName = config.mfaPolicyName;
    settings.password = { ...config.passwordPolicy };
  }
  if (flags.mfaPolicyName !== undefined) {
    if (!/^[\w+=,.@-]{1,128}$/.test(flags.mfaPolicyName)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `--mfa-policy-name: "${flags.mfaPolicyName}" is not an IAM policy name`,
      );
    }
    settings.mfaPolicyName = flags.mfaPolicyName;
  }
  if (flags.passwordMinLength !== undefined) {
    const n = Number(flags.passwordMinLength);
    if (!Number.isInteger(n) || n < 6 || n > 128) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `--password-min-length must be a whole number from 6 to 128, not "${flags.passwordMinLength}"`,
      );
    }
    settings.password.minimumLength = n;
  }
  return settings;
}

export function parseRegions(raw: string | undefined, home: string): string[] {
  if (!raw) return [home];
  const regions = raw
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  for (const r of regions) {
    if (!isRegionName(r))
      throw new OrgwardenError("INVALID_INPUT", `--regions: "${r}" is not a region name`, {
        hint: "Give region names separated by commas, e.g. --regions us-east-1,eu-west-1.",
      });
  }
  return [...new Set(regions)];
}

/**
 * What organization rules need: Config in the management account, and every account outside the
 * scope excluded (an organization rule otherwise goes everywhere).
 */
export function organizationRulesInput(
  ctx: CommandContext,
  inventory: Inventory,
  inScope: readonly OrgAccount[],
  what: Pick<OrganizationRulesInput, "rules" | "settings" | "regions">,
): OrganizationRulesInput {
  const ids = new Set(inScope.map((a) => a.id));
  return {
    ...what,
    configIn: (region) =>
      ctx.factory.create(ConfigServiceClient, {
        scope: "operator",
        credentials: ctx.operatorCredentials,
        region,
      }),
    homeRegion: ctx.options.region,
    excludedAccounts: inventory.accounts.filter((a) => !ids.has(a.id)).map((a) => a.id),
    logger: ctx.logger,
  };
}

/** `orgwarden deploy-rules`: plan per account × region, confirm, then put (or remove) the rules. */
export async function runDeployRules(ctx: CommandContext, flags: DeployRulesFlags): Promise<number> {
  const mode = parseChoice("mode", flags.mode ?? "accounts", ["accounts", "organization"] as const);
  const json = parseChoice("output", flags.output ?? "text", PLAN_OUTPUTS) === "json";
  const catalog = loadRuleCatalog(flags.rulesDir);
  const rules =
    flags.remove && flags.rule.length === 0 ? [...catalog.values()] : selectRules(catalog, flags.rule);
  const settings = ruleSettings(flags, ctx.runConfig);
  const homeRegion = ctx.options.region;
  const regions = parseRegions(flags.regions, homeRegion);
  const inventory = await ctx.inventory();
  const target = flags.ou ? requireTarget(inventory, flags.ou) : undefined;
  const accounts = target ? accountsUnder(inventory, target.id) : inventory.accounts;
  const where = target
    ? `${target.kind === "account" ? "account" : "OU"} ${target.path} (${target.id})`
    : "the whole organization";
  const out = ctx.io.stdout;

  if (mode === "organization") {
    const input = organizationRulesInput(ctx, inventory, accounts, { rules, settings, regions });
    input.remove = flags.remove ?? false;
    const changes = await planOrganizationRules(input);
    if (!json) {
      out.write(
        `Plan: ${flags.remove ? "remove" : "deploy"} organization Config rules for ${where} (${input.excludedAccounts.length} accounts excluded)\n`,
      );
      out.write(
        renderTable(
          ["REGION", "RULE", "ACTION", "WHY"],
          changes.map((c) => [c.region, c.rule, paintAction(ctx.paint, c.action), c.reason ?? ""]),
        ),
      );
    }
    const n = changes.filter((c) => ["create", "update", "delete"].includes(c.action)).length;
    const doc = (result: PlanResult): PlanDocument => ({
      command: "deploy-rules",
      target: target ? { kind: target.kind, id: target.id, path: target.path } : null,
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
    const go = await confirmChange(ctx, {
      dryRun: flags.dryRun ?? false,
      yes: flags.yes ?? false,
      changes: n,
      summary: `make ${n} organization rule change${n === 1 ? "" : "s"}`,
      notesToStderr: json,
    });
    if (!go) {
      if (json) writeJson(ctx.io, doc({ applied: false, why: n === 0 ? "nothing-to-do" : "dry-run" }));
      return ExitCode.ok;
    }
    const written = await applyOrganizationRules(changes, input);
    if (json) writeJson(ctx.io, doc({ applied: true, why: "applied", written }));
    else
      out.write(`Applied: ${written} change${written === 1 ? "" : "s"}; AWS reports the rules deployed.\n`);
    return ExitCode.ok;
  }

  const clients = new AccountClients(ctx.factory, await ctx.roleAssumer());
  const progress = progressReporter(ctx.io, "planning", ctx.options.quiet);
  const plan = await planRuleDeployment({
    accounts,
    rules,
    settings,
    regions,
    homeRegion,
    clients,
    remove: flags.remove ?? false,
    ensureIamPolicy: flags.ensureIamPolicy ?? false,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const counts = summarize(plan.accounts);
  if (!json) {
    out.write(
      `Plan: ${flags.remove ? "remove" : "deploy"} ${rules.map((r) => r.name).join(", ")} in ${accounts.length} accounts under ${where}\n`,
    );
    out.write(
      renderTable(
        ["ACCOUNT", "NAME", "REGION", "RULE", "ACTION", "WHY"],
        planRows(plan.accounts).map((r) => r.map((c, i) => (i === 4 ? paintAction(ctx.paint, c) : c))),
      ),
    );
    out.write(
      `\n${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}\n`,
    );
  }
  const doc = (result: PlanResult): PlanDocument => ({
    command: "deploy-rules",
    target: target ? { kind: target.kind, id: target.id, path: target.path } : null,
    changes: plan.changes,
    steps: plan.accounts.flatMap((r) =>
      r.ok
        ? r.value.changes.map((c) => ({
            kind: c.action,
            description: `${c.action} ${c.rule} in ${r.account.id} ${c.region}${c.reason ? `: ${c.reason}` : ""}`,
            accountId: r.account.id,
            region: c.region,
            rule: c.rule,
            ...(c.reason ? { reason: c.reason } : {}),
          }))
        : [],
    ),
    affected: [],
    lockout: null,
    unreachable: plan.accounts.flatMap((r) =>
      r.ok ? [] : [{ accountId: r.account.id, name: r.account.name, reason: r.error.message }],
    ),
    result,
  });
  const unreachable = plan.accounts.filter((r) => !r.ok).length;
  const deployable =
    (counts.create ?? 0) + (counts.update ?? 0) + (counts.unchanged ?? 0) + (counts.delete ?? 0);
  if (!flags.remove && deployable === 0 && (counts.skipped ?? 0) > 0 && unreachable === 0) {
    throw new OrgwardenError(
      "REFUSED",
      `nothing can be deployed under ${where}: ${skipReasons(plan.accounts)}`,
      {
        hint: "Turn on AWS Config recording (a configuration recorder that records) in those accounts, or target another OU.",
      },
    );
  }
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: plan.changes,
    summary: `make ${plan.changes} Config change${plan.changes === 1 ? "" : "s"} in ${where}`,
    notesToStderr: json,
  });
  let failedApply = 0;
  if (!go && json)
    writeJson(ctx.io, doc({ applied: false, why: plan.changes === 0 ? "nothing-to-do" : "dry-run" }));
  if (go) {
    const applyProgress = progressReporter(ctx.io, "deploying", ctx.options.quiet);
    const applied = await applyRuleDeployment(plan, {
      clients,
      settings,
      homeRegion,
      concurrency: ctx.options.concurrency,
      logger: ctx.logger,
      onProgress: applyProgress.onProgress,
    });
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

function planRows(results: Awaited<ReturnType<typeof planRuleDeployment>>["accounts"]): string[][] {
  const rows: string[][] = [];
  for (const r of results) {
    if (!r.ok) {
      rows.push([
        r.account.id,
        r.account.name,
        "-",
        "-",
        "ERROR",
        `${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ""}`,
      ]);
      continue;
    }
    if (r.value.iamPolicy) {
      rows.push([
        r.account.id,
        r.account.name,
        "global",
        "iam policy",
        r.value.iamPolicy.action === "create" ? "create" : "unchanged",
        r.value.iamPolicy.arn,
      ]);
    }
    for (const c of r.value.changes)
      rows.push([r.account.id, r.account.name, c.region, c.rule, c.action, c.reason ?? ""]);
  }
  return rows;
}

/** A rule action word in its colour: create/update green/yellow, delete red, skipped dim. */
function paintAction(paint: Paint, action: string): string {
  const style = (
    { create: "green", update: "yellow", delete: "red", skipped: "dim", ERROR: "magenta" } as const
  )[action as "create"];
  return style ? paint(action, style) : action;
}

/** "4 accounts: no recording configuration recorder; 1 account: account is SUSPENDED" */
function skipReasons(results: Awaited<ReturnType<typeof planRuleDeployment>>["accounts"]): string {
  const byReason = new Map<string, Set<string>>();
  for (const r of results) {
    if (!r.ok) continue;
    for (const c of r.value.changes) {
      if (c.action !== "skipped") continue;
      const reason = c.reason ?? "skipped";
      byReason.set(reason, (byReason.get(reason) ?? new Set()).add(r.account.id));
    }
  }
  return [...byReason]
    .map(([reason, ids]) => `${ids.size} account${ids.size === 1 ? "" : "s"}: ${reason}`)
    .join("; ");
}

function summarize(
  results: Awaited<ReturnType<typeof planRuleDeployment>>["accounts"],
): Record<string, number> {
  const counts: Record<string, number> = {
    create: 0,
    update: 0,
    unchanged: 0,
    delete: 0,
    skipped: 0,
    unreachable: 0,
  };
  for (const r of results) {
    if (!r.ok) {
      counts.unreachable = (counts.unreachable ?? 0) + 1;
      continue;
    }
    for (const c of r.value.changes) counts[c.action] = (counts[c.action] ?? 0) + 1;
  }
  return counts;
}

/** `orgwarden rules list`: the catalog with the parameters each rule gets (for a sample account). */
export async function runRulesList(
  ctx: CommandContext,
  flags: Pick<DeployRulesFlags, "mfaPolicyName" | "passwordMinLength" | "rulesDir">,
): Promise<number> {
  const catalog = loadRuleCatalog(flags.rulesDir);
  const settings = ruleSettings(flags, ctx.runConfig);
  const rows = [...catalog.values()].map((r) => {
    const rendered = renderRule(r, settings, { accountId: "${AccountId}" });
    return [
      r.name,
      r.identifier,
      r.control,
      r.global ? "home region" : "each region",
      (DEFAULT_RULES as readonly string[]).includes(r.name) ? "yes" : "",
      Object.entries(rendered.inputParameters)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ") || "-",
    ];
  });
  ctx.io.stdout.write(
    renderTable(["NAME", "AWS IDENTIFIER", "CONTROL", "WHERE", "DEFAULT", "PARAMETERS"], rows),
  );
  return ExitCode.ok;
}

export function registerDeployRules(program: Command, action: ActionFactory): void {
  program
    .command("deploy-rules")
    .description("put the AWS Config rules of the catalog into each active account under an OU")
    .option(
      "--ou <id|path>",
      "OU, root or account: an id, or a path like Root/Workloads (default: every account)",
    )
    .option(
      "--rule <name>",
      `rule from the catalog (repeatable; default: ${DEFAULT_RULES.join(", ")})`,
      collect,
      [],
    )
    .option(
      "--regions <list>",
      "comma-separated regions for regional rules (default: --region); IAM rules go to --region only",
    )
    .option(
      "--mode <mode>",
      "accounts (PutConfigRule per account) | organization (PutOrganizationConfigRule)",
      "accounts",
    )
    .option("--remove", "delete orgwarden's managed rules instead (all of them unless --rule is given)")
    .option(
      "--ensure-iam-policy",
      "create the MFA policy (BlockAllAccessUnlessSignedInWithMFA) where it is missing",
    )
    .option(
      "--mfa-policy-name <name>",
      `name of the MFA policy iam-policy-in-use checks (default ${DEFAULT_RULE_SETTINGS.mfaPolicyName})`,
    )
    .option(
      "--password-min-length <n>",
      `minimum password length for iam-password-policy (default ${DEFAULT_RULE_SETTINGS.password.minimumLength})`,
    )
    .option("--rules-dir <dir>", "folder of rule definitions (default: config-rules/ of this installation)")
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "apply without asking (needed when not on a terminal)")
    .option(
      "--output <format>",
      "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
    )
    .action(action(runDeployRules));
  const rules = program.command("rules").description("the AWS Config rule catalog in config-rules/");
  rules
    .command("list")
    .description("every rule with its AWS identifier, control, where it goes and its parameters")
    .option("--mfa-policy-name <name>", "name of the MFA policy iam-policy-in-use checks")
    .option("--password-min-length <n>", "minimum password length for iam-password-policy")
    .option("--rules-dir <dir>", "folder of rule definitions")
    .action(action(runRulesList));
}
