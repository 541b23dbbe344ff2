import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { IAMClient } from "@aws-sdk/client-iam";
import {
  type AccountClients,
  type AccountResult,
  DEFAULT_CONCURRENCY,
  fanOut,
  type Logger,
  type OrgAccount,
  OrgwardenError,
  type Plan,
  silentLogger,
} from "@orgwarden/core";
import { mfaPolicyArn } from "./mfa-policy.js";
import { managedRulesIn, policyExists, recorderProblem } from "./read-account-rules.js";
import { type RenderedRule, type RuleSettings, renderRule } from "./render-rule.js";
import { managedRuleName, type RuleDefinition } from "./rule-catalog.js";
import { countRuleActions, diffRule, type RuleAction } from "./rule-diff.js";
import { configRuleFields, toConfigRule } from "./rule-shapes.js";

export interface RuleChange {
  region: string;
  /** The rule name in the account: orgwarden-<name>. */
  rule: string;
  action: RuleAction;
  reason?: string;
  rendered?: RenderedRule;
}

export interface AccountRulePlan {
  changes: RuleChange[];
  iamPolicy?: { arn: string; action: "create" | "exists" };
}

/** One step in one account: a rule in a region, or the MFA policy (--ensure-iam-policy). */
export type RuleStep =
  | ({ kind: "rule"; account: OrgAccount } & RuleChange)
  | { kind: "mfa-policy"; account: OrgAccount; region: string; arn: string; action: "create" | "unchanged" };

/**
 * The accounts mode's plan: its steps account by account (the MFA policy first), `changes` those
 * that write, and the notes say why rules were skipped. `accounts` holds the same per account, with
 * the accounts that could not be read.
 */
export interface RulesPlan extends Plan<RuleStep> {
  /** The managed rules are deleted rather than deployed. */
  remove: boolean;
  /** One entry per account, in inventory order; unreachable accounts are `ok: false`. */
  accounts: Array<AccountResult<OrgAccount, AccountRulePlan>>;
}

export interface DeployRulesInput {
  accounts: readonly OrgAccount[];
  rules: readonly RuleDefinition[];
  settings: RuleSettings;
  /** Regions for regional rules. */
  regions: readonly string[];
  /** Global (IAM) rules go here only. */
  homeRegion: string;
  clients: AccountClients;
  partition?: string;
  /** Delete the managed rules instead of deploying them. */
  remove?: boolean;
  /** Create the MFA policy where it is missing, so iam-policy-in-use has something to find. */
  ensureIamPolicy?: boolean;
  concurrency?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
}

function regionsFor(rule: RuleDefinition, input: DeployRulesInput): string[] {
  return rule.global ? [input.homeRegion] : [...new Set(input.regions)];
}

/**
 * Reads every account under the OU and works out, per account and region, what deploy-rules would
 * change. Nothing is written. Accounts that are not ACTIVE are skipped with their state; an account
 * without a recording configuration recorder is skipped with that reason (AWS would refuse the rule).
 */
export async function planRuleDeployment(input: DeployRulesInput): Promise<RulesPlan> {
  const logger = input.logger ?? silentLogger();
  const allRegions = [...new Set(input.rules.flatMap((r) => regionsFor(r, input)))];
  const results = await fanOut(
    input.accounts,
    async (account): Promise<AccountRulePlan> => {
      if (account.state !== "ACTIVE") {
        return {
          changes: input.rules.flatMap((r) =>
            regionsFor(r, input).map((region) => ({
              region,
              rule: managedRuleName(r.name),
              action: "skipped" as const,
              reason: `account is ${account.state}`,
            })),
          ),
        };
      }
      await input.clients.ensureReachable(account.id);
      const changes: RuleChange[] = [];
      for (const region of allRegions) {
        const config = input.clients.get(ConfigServiceClient, account.id, region);
        const rulesHere = input.rules.filter((r) => regionsFor(r, input).includes(region));
        changes.push(...(await planRegion(input, account, region, config, rulesHere)));
      }
      const plan: AccountRulePlan = { changes };
      if (input.ensureIamPolicy && !input.remove) {
        const arn = mfaPolicyArn(account.id, input.settings.mfaPolicyName, partitionOf(input));
        const iam = input.clients.get(IAMClient, account.id, input.homeRegion);
        plan.iamPolicy = { arn, action: (await policyExists(iam, arn)) ? "exists" : "create" };
      }
      return plan;
    },
    {
      concurrency: input.concurrency ?? DEFAULT_CONCURRENCY,
      logger,
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  );
  const steps = ruleSteps(results);
  return {
    remove: input.remove ?? false,
    accounts: results,
    steps,
    changes: countRuleActions(steps).changes,
    notes: skipReasons(results),
  };
}

/** The plan's steps in account order; an account that could not be read has none. */
function ruleSteps(results: RulesPlan["accounts"]): RuleStep[] {
  return results.flatMap((r): RuleStep[] => {
    if (!r.ok) return [];
    const { account, value } = r;
    const policy: RuleStep[] = value.iamPolicy
      ? [
          {
            kind: "mfa-policy",
            account,
            region: "global",
            arn: value.iamPolicy.arn,
            action: value.iamPolicy.action === "create" ? "create" : "unchanged",
          },
        ]
      : [];
    return [...policy, ...value.changes.map((c) => ({ kind: "rule" as const, account, ...c }))];
  });
}

/** Why rules were skipped, with how many accounts each: "4 accounts: no AWS Config configuration recorder here". */
export function skipReasons(results: RulesPlan["accounts"]): string[] {
  const byReason = new Map<string, Set<string>>();
  for (const r of results) {
    if (!r.ok) continue;
    for (const c of r.value.changes) {
      if (c.action !== "skipped") continue;
      const reason = c.reason ?? "skipped";
      byReason.set(reason, (byReason.get(reason) ?? new Set()).add(r.account.id));
    }
  }
  return [...byReason].map(([reason, ids]) => `${ids.size} account${ids.size === 1 ? "" : "s"}: ${reason}`);
}

/**
 * A deployment that can deploy nothing is refused (nothing was changed): every account it read
 * skipped every rule (no recording configuration recorder, suspended) and none was unreachable.
 * Removing is never refused. `where` names the scope: "OU Root/Sandbox (ou-…)".
 */
export function refuseUndeployable(plan: RulesPlan, where: string): void {
  if (plan.remove) return;
  const counts = countRuleActions(plan.steps.filter((s) => s.kind === "rule"));
  const deployable = counts.create + counts.update + counts.unchanged + counts.delete;
  const unreachable = plan.accounts.some((r) => !r.ok);
  if (deployable > 0 || counts.skipped === 0 || unreachable) return;
  throw new OrgwardenError(
    "REFUSED",
    `nothing can be deployed under ${where}: ${skipReasons(plan.accounts).join("; ")}`,
    {
      hint: "Turn on AWS Config recording (a configuration recorder that records) in those accounts, or target another OU.",
      details: { check: "no-deployable-account" },
    },
  );
}

/** The changes in one account and region: each rule diffed against what AWS has there. */
async function planRegion(
  input: DeployRulesInput,
  account: OrgAccount,
  region: string,
  config: ConfigServiceClient,
  rulesHere: readonly RuleDefinition[],
): Promise<RuleChange[]> {
  const changes: RuleChange[] = [];
  const existing = await managedRulesIn(config);
  if (input.remove) {
    const names = new Set(rulesHere.map((r) => managedRuleName(r.name)));
    for (const [name, current] of existing) {
      if (!names.has(name)) continue;
      // Not wanted any more: a delete, of a rule orgwarden made.
      const diff = diffRule(undefined, configRuleFields(current.rule));
      if (!diff) continue;
      changes.push(
        current.managed
          ? { region, rule: name, action: diff.action }
          : {
              region,
              rule: name,
              action: "skipped",
              reason: "not tagged managed-by=orgwarden: left alone",
            },
      );
    }
    return changes;
  }
  const recorder = await recorderProblem(config);
  for (const def of rulesHere) {
    const rendered = renderRule(def, input.settings, {
      accountId: account.id,
      partition: partitionOf(input),
      region,
    });
    const rule = rendered.configRuleName;
    const current = existing.get(rule);
    if (recorder) {
      changes.push({ region, rule, action: "skipped", reason: recorder });
      continue;
    }
    if (current && !current.managed) {
      changes.push({
        region,
        rule,
        action: "skipped",
        reason: "a rule with this name exists but is not tagged managed-by=orgwarden: left alone",
      });
      continue;
    }
    const diff = diffRule(
      configRuleFields(toConfigRule(rendered)),
      current && configRuleFields(current.rule),
    );
    if (diff?.action === "create") changes.push({ region, rule, action: "create", rendered });
    else if (diff?.action === "update") {
      changes.push({
        region,
        rule,
        action: "update",
        rendered,
        reason: `${diff.changed.join(", ")} changed`,
      });
    } else changes.push({ region, rule, action: "unchanged" });
  }
  return changes;
}

/** The organization's partition: as given, else the one orgwarden's role ARNs are built in. */
export function partitionOf(input: Pick<DeployRulesInput, "partition" | "clients">): string {
  return input.partition ?? input.clients.assumer.partition;
}
