import {
  type ConfigRule,
  ConfigServiceClient,
  DeleteConfigRuleCommand,
  DescribeConfigurationRecorderStatusCommand,
  PutConfigRuleCommand,
  paginateDescribeConfigRules,
  paginateListTagsForResource,
} from "@aws-sdk/client-config-service";
import { CreatePolicyCommand, GetPolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  type AccountClients,
  type AccountResult,
  collectPages,
  describeAwsError,
  fanOut,
  hasManagedTag,
  isAwsError,
  type Logger,
  MANAGED_TAG,
  type OrgAccount,
  silentLogger,
} from "@orgwarden/core";
import { MFA_POLICY_DOCUMENT, mfaPolicyArn } from "./mfa-policy.js";
import { type RenderedRule, type RuleSettings, renderRule } from "./render-rule.js";
import { MANAGED_RULE_PREFIX, type RuleDefinition } from "./rule-catalog.js";

export type RuleAction = "create" | "update" | "unchanged" | "delete" | "skipped";

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

export interface RulesPlan {
  /** One entry per account, in inventory order; unreachable accounts are `ok: false`. */
  accounts: Array<AccountResult<OrgAccount, AccountRulePlan>>;
  /** Writes the plan would make. */
  changes: number;
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
              rule: `${MANAGED_RULE_PREFIX}${r.name}`,
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
        const existing = await managedRulesIn(config);
        if (input.remove) {
          const names = new Set(rulesHere.map((r) => `${MANAGED_RULE_PREFIX}${r.name}`));
          for (const [name, rule] of existing) {
            if (!names.has(name)) continue;
            changes.push(
              rule.managed
                ? { region, rule: name, action: "delete" }
                : {
                    region,
                    rule: name,
                    action: "skipped",
                    reason: "not tagged managed-by=orgwarden: left alone",
                  },
            );
          }
          continue;
        }
        const recorder = await recorderProblem(config);
        for (const def of rulesHere) {
          const rendered = renderRule(def, input.settings, {
            accountId: account.id,
            partition: input.partition ?? "aws",
          });
          const current = existing.get(rendered.configRuleName);
          if (recorder) {
            changes.push({ region, rule: rendered.configRuleName, action: "skipped", reason: recorder });
          } else if (!current) {
            changes.push({ region, rule: rendered.configRuleName, action: "create", rendered });
          } else if (!current.managed) {
            changes.push({
              region,
              rule: rendered.configRuleName,
              action: "skipped",
              reason: "a rule with this name exists but is not tagged managed-by=orgwarden: left alone",
            });
          } else if (sameRule(current.rule, rendered)) {
            changes.push({ region, rule: rendered.configRuleName, action: "unchanged" });
          } else {
            changes.push({
              region,
              rule: rendered.configRuleName,
              action: "update",
              rendered,
              reason: diff(current.rule, rendered),
            });
          }
        }
      }
      const plan: AccountRulePlan = { changes };
      if (input.ensureIamPolicy && !input.remove) {
        const arn = mfaPolicyArn(account.id, input.settings.mfaPolicyName, input.partition);
        const iam = input.clients.get(IAMClient, account.id, input.homeRegion);
        plan.iamPolicy = { arn, action: (await policyExists(iam, arn)) ? "exists" : "create" };
      }
      return plan;
    },
    {
      concurrency: input.concurrency ?? 16,
      logger,
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  );
  return { accounts: results, changes: countChanges(results) };
}

export function countChanges(results: RulesPlan["accounts"]): number {
  let n = 0;
  for (const r of results) {
    if (!r.ok) continue;
    n += r.value.changes.filter(
      (c) => c.action === "create" || c.action === "update" || c.action === "delete",
    ).length;
    if (r.value.iamPolicy?.action === "create") n += 1;
  }
  return n;
}

export interface AppliedRules {
  written: number;
}

/** Makes the plan's writes, account by account under the concurrency limit. */
export async function applyRuleDeployment(
  plan: RulesPlan,
  input: Pick<
    DeployRulesInput,
    "clients" | "concurrency" | "logger" | "onProgress" | "settings" | "homeRegion"
  >,
): Promise<Array<AccountResult<OrgAccount, AppliedRules>>> {
  const work = plan.accounts.filter((r): r is Extract<typeof r, { ok: true }> => r.ok);
  return fanOut(
    work.map((r) => r.account),
    async (account) => {
      const entry = work.find((r) => r.account.id === account.id)?.value as AccountRulePlan;
      let written = 0;
      if (entry.iamPolicy?.action === "create") {
        const iam = input.clients.get(IAMClient, account.id, input.homeRegion);
        try {
          await iam.send(
            new CreatePolicyCommand({
              PolicyName: input.settings.mfaPolicyName,
              PolicyDocument: JSON.stringify(MFA_POLICY_DOCUMENT),
              Description: "Deny everything but MFA self-service until signed in with MFA (orgwarden)",
              Tags: [{ ...MANAGED_TAG }],
            }),
          );
        } catch (err) {
          if (!isAwsError(err, "EntityAlreadyExists", "EntityAlreadyExistsException")) throw err;
        }
        written += 1;
      }
      for (const change of entry.changes) {
        const config = input.clients.get(ConfigServiceClient, account.id, change.region);
        if ((change.action === "create" || change.action === "update") && change.rendered) {
          await config.send(
            // AWS ignores Tags on an update; some implementations replace them, so always send them.
            new PutConfigRuleCommand({
              ConfigRule: toConfigRule(change.rendered),
              Tags: [{ ...MANAGED_TAG }],
            }),
          );
          written += 1;
        } else if (change.action === "delete") {
          try {
            await config.send(new DeleteConfigRuleCommand({ ConfigRuleName: change.rule }));
          } catch (err) {
            if (!isAwsError(err, "NoSuchConfigRuleException")) throw err;
          }
          written += 1;
        }
      }
      input.clients.release(account.id);
      return { written };
    },
    {
      concurrency: input.concurrency ?? 16,
      ...(input.logger ? { logger: input.logger } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  );
}

export function toConfigRule(r: RenderedRule): ConfigRule {
  const d = r.definition;
  return {
    ConfigRuleName: r.configRuleName,
    Description: d.description.slice(0, 256),
    Source: { Owner: "AWS", SourceIdentifier: d.identifier },
    ...(Object.keys(r.inputParameters).length > 0
      ? { InputParameters: JSON.stringify(r.inputParameters) }
      : {}),
    ...(d.maximumExecutionFrequency ? { MaximumExecutionFrequency: d.maximumExecutionFrequency } : {}),
    ...(d.resourceTypes ? { Scope: { ComplianceResourceTypes: d.resourceTypes } } : {}),
  };
}

async function managedRulesIn(
  config: ConfigServiceClient,
): Promise<Map<string, { rule: ConfigRule; managed: boolean }>> {
  const rules = await collectPages(paginateDescribeConfigRules({ client: config }, {}), (p) => p.ConfigRules);
  const out = new Map<string, { rule: ConfigRule; managed: boolean }>();
  await Promise.all(
    rules
      .filter((r) => r.ConfigRuleName?.startsWith(MANAGED_RULE_PREFIX))
      .map(async (rule) => {
        const tags = await collectPages(
          paginateListTagsForResource({ client: config }, { ResourceArn: rule.ConfigRuleArn }),
          (p) => p.Tags,
        );
        const managed = hasManagedTag(tags);
        out.set(rule.ConfigRuleName as string, { rule, managed });
      }),
  );
  return out;
}

/** Why rules cannot go into this account and region, or undefined when a recorder is recording. */
async function recorderProblem(config: ConfigServiceClient): Promise<string | undefined> {
  const out = await config.send(new DescribeConfigurationRecorderStatusCommand({}));
  const statuses = out.ConfigurationRecordersStatus ?? [];
  if (statuses.length === 0)
    return "no AWS Config configuration recorder here: turn on AWS Config recording first";
  if (!statuses.some((s) => s.recording))
    return "the configuration recorder is not recording: start it first";
  return undefined;
}

async function policyExists(iam: IAMClient, arn: string): Promise<boolean> {
  try {
    await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    return true;
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) return false;
    throw describeAwsError(err, "IAM");
  }
}

function sameRule(current: ConfigRule, desired: RenderedRule): boolean {
  return diff(current, desired) === undefined;
}

/** What differs between a deployed rule and the catalog, in words; undefined when nothing does. */
function diff(current: ConfigRule, desired: RenderedRule): string | undefined {
  const want = toConfigRule(desired);
  const out: string[] = [];
  if (current.Source?.SourceIdentifier !== want.Source?.SourceIdentifier) out.push("source identifier");
  if (!sameParams(current.InputParameters, want.InputParameters)) out.push("input parameters");
  if ((current.MaximumExecutionFrequency ?? undefined) !== (want.MaximumExecutionFrequency ?? undefined)) {
    out.push("execution frequency");
  }
  const a = [...(current.Scope?.ComplianceResourceTypes ?? [])].sort().join(",");
  const b = [...(want.Scope?.ComplianceResourceTypes ?? [])].sort().join(",");
  if (a !== b) out.push("scope");
  return out.length > 0 ? `${out.join(", ")} changed` : undefined;
}

function sameParams(a: string | undefined, b: string | undefined): boolean {
  const parse = (s: string | undefined): Record<string, unknown> => {
    if (!s) return {};
    try {
      return JSON.parse(s) as Record<string, unknown>;
    } catch {
      return { __raw: s };
    }
  };
  const x = parse(a);
  const y = parse(b);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) if (String(x[k]) !== String(y[k])) return false;
  return true;
}
