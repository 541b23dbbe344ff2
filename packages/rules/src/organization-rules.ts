import {
  type ConfigServiceClient,
  DeleteOrganizationConfigRuleCommand,
  DescribeOrganizationConfigRuleStatusesCommand,
  type OrganizationConfigRule,
  type OrganizationManagedRuleMetadata,
  PutOrganizationConfigRuleCommand,
  paginateDescribeOrganizationConfigRules,
} from "@aws-sdk/client-config-service";
import {
  collectPages,
  describeAwsError,
  isAwsError,
  type Logger,
  OrgwardenError,
  type Plan,
  pollUntil,
  silentLogger,
} from "@orgwarden/core";
import { type RuleSettings, renderRule } from "./render-rule.js";
import { MANAGED_RULE_PREFIX, managedRuleName, type RuleDefinition } from "./rule-catalog.js";
import { countRuleActions, diffRule, type RuleAction } from "./rule-diff.js";
import { organizationRuleFields, toOrganizationRuleMetadata } from "./rule-shapes.js";

export interface OrganizationRuleChange {
  region: string;
  rule: string;
  action: RuleAction;
  reason?: string;
  metadata?: OrganizationManagedRuleMetadata;
}

/** The organization mode's plan: one step per rule and region; the notes say why rules were skipped. */
export interface OrganizationRulesPlan extends Plan<OrganizationRuleChange> {
  /** The accounts outside the scope: every organization rule excludes them. */
  excludedAccounts: readonly string[];
}

export interface OrganizationRulesInput {
  /** A Config client in the management account (or a Config delegated administrator) per region. */
  configIn: (region: string) => ConfigServiceClient;
  rules: readonly RuleDefinition[];
  settings: RuleSettings;
  regions: readonly string[];
  homeRegion: string;
  /** Accounts outside the OU: organization rules go everywhere else. At most 1,000. */
  excludedAccounts: readonly string[];
  remove?: boolean;
  partition?: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * Plans organization Config rules (PutOrganizationConfigRule). A rule whose parameters differ per
 * account (iam-policy-in-use carries the account's own policy ARN) cannot be one organization rule:
 * it is skipped with a reason that says to use --mode accounts.
 */
export async function planOrganizationRules(input: OrganizationRulesInput): Promise<OrganizationRulesPlan> {
  if (input.excludedAccounts.length > 1000) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `organization rules can exclude at most 1,000 accounts, not ${input.excludedAccounts.length}`,
      {
        hint: "Pick a larger OU, or use --mode accounts (mode: accounts in the rules: entry of the config file).",
      },
    );
  }
  const changes: OrganizationRuleChange[] = [];
  const regions = [...new Set(input.rules.flatMap((r) => (r.global ? [input.homeRegion] : input.regions)))];
  for (const region of regions) {
    const existing = await existingRules(input.configIn(region));
    for (const rule of input.rules.filter((r) =>
      r.global ? region === input.homeRegion : input.regions.includes(region),
    )) {
      const name = managedRuleName(rule.name);
      const current = existing.get(name);
      if (input.remove) {
        const diff = diffRule(undefined, current && organizationRuleFields(current));
        if (diff) changes.push({ region, rule: name, action: diff.action });
        continue;
      }
      const rendered = renderRule(rule, input.settings, {
        accountId: "",
        partition: input.partition ?? "aws",
        region,
      });
      if (rendered.perAccount) {
        changes.push({
          region,
          rule: name,
          action: "skipped",
          reason:
            "its parameters name each account (policyARN): one organization rule cannot carry them; deploy it with --mode accounts",
        });
        continue;
      }
      const metadata = toOrganizationRuleMetadata(rendered);
      const diff = diffRule(
        organizationRuleFields({
          OrganizationManagedRuleMetadata: metadata,
          ExcludedAccounts: [...input.excludedAccounts],
        }),
        current && organizationRuleFields(current),
      );
      if (diff?.action === "create") {
        changes.push({ region, rule: name, action: "create", metadata });
      } else if (diff?.action === "update") {
        changes.push({
          region,
          rule: name,
          action: "update",
          metadata,
          reason: "parameters or excluded accounts changed",
        });
      } else {
        changes.push({ region, rule: name, action: "unchanged" });
      }
    }
  }
  return {
    steps: changes,
    changes: countRuleActions(changes).changes,
    notes: skipNotes(changes),
    excludedAccounts: input.excludedAccounts,
  };
}

/** One note per reason a rule was skipped, naming the rules: "orgwarden-iam-policy-in-use: its parameters…". */
function skipNotes(changes: readonly OrganizationRuleChange[]): string[] {
  const byReason = new Map<string, Set<string>>();
  for (const c of changes)
    if (c.action === "skipped")
      byReason.set(c.reason ?? "skipped", (byReason.get(c.reason ?? "skipped") ?? new Set()).add(c.rule));
  return [...byReason].map(([reason, rules]) => `${[...rules].join(", ")}: ${reason}`);
}

/** Writes the plan, then waits until AWS reports every rule deployed (or failed). */
export async function applyOrganizationRules(
  plan: OrganizationRulesPlan,
  input: OrganizationRulesInput,
): Promise<number> {
  const logger = input.logger ?? silentLogger();
  let written = 0;
  const byRegion = new Map<string, string[]>();
  for (const c of plan.steps) {
    const config = input.configIn(c.region);
    try {
      if ((c.action === "create" || c.action === "update") && c.metadata) {
        await config.send(
          new PutOrganizationConfigRuleCommand({
            OrganizationConfigRuleName: c.rule,
            OrganizationManagedRuleMetadata: c.metadata,
            ExcludedAccounts: [...plan.excludedAccounts],
          }),
        );
      } else if (c.action === "delete") {
        await config.send(new DeleteOrganizationConfigRuleCommand({ OrganizationConfigRuleName: c.rule }));
      } else {
        continue;
      }
    } catch (err) {
      throw describeOrganizationRuleError(err, c.rule);
    }
    written += 1;
    if (c.action !== "delete") byRegion.set(c.region, [...(byRegion.get(c.region) ?? []), c.rule]);
  }
  for (const [region, names] of byRegion) {
    await waitForDeployment(input.configIn(region), names, input, logger);
  }
  return written;
}

async function waitForDeployment(
  config: ConfigServiceClient,
  names: string[],
  input: OrganizationRulesInput,
  logger: Logger,
): Promise<void> {
  const timeoutMs = input.timeoutMs ?? 15 * 60_000;
  const interval = input.pollIntervalMs ?? 10_000;
  let pending: string[] = [];
  await pollUntil(
    async () => {
      const out = await config.send(
        new DescribeOrganizationConfigRuleStatusesCommand({ OrganizationConfigRuleNames: names }),
      );
      const statuses = out.OrganizationConfigRuleStatuses ?? [];
      const failed = statuses.filter((s) => s.OrganizationRuleStatus?.endsWith("_FAILED"));
      if (failed.length > 0) {
        throw new OrgwardenError(
          "AWS_ERROR",
          `organization rule deployment failed: ${failed.map((f) => `${f.OrganizationConfigRuleName}: ${f.OrganizationRuleStatus} ${f.ErrorCode ?? ""} ${f.ErrorMessage ?? ""}`.trim()).join("; ")}`,
          {
            hint: "Accounts without a configuration recorder fail organization rules (AWS retries for only 7 hours): turn on recording in every account first.",
          },
        );
      }
      pending = statuses
        .filter((s) => !s.OrganizationRuleStatus?.endsWith("_SUCCESSFUL"))
        .map((p) => p.OrganizationConfigRuleName ?? "");
      return pending.length === 0 && statuses.length >= names.length ? true : undefined;
    },
    {
      timeoutMs,
      firstDelayMs: interval,
      maxDelayMs: interval,
      onWait: () => logger.info({ pending }, "waiting for organization rules"),
      timedOut: () =>
        new OrgwardenError(
          "AWS_ERROR",
          `organization rules still deploying after ${timeoutMs / 60_000} minutes`,
          {
            hint: "Check DescribeOrganizationConfigRuleStatuses later; run deploy-rules again to see the plan.",
          },
        ),
    },
  );
}

async function existingRules(config: ConfigServiceClient): Promise<Map<string, OrganizationConfigRule>> {
  try {
    const rules = await collectPages(
      paginateDescribeOrganizationConfigRules({ client: config }, {}),
      (p) => p.OrganizationConfigRules,
    );
    return new Map(
      rules
        .filter((r) => r.OrganizationConfigRuleName?.startsWith(MANAGED_RULE_PREFIX))
        .map((r) => [r.OrganizationConfigRuleName as string, r]),
    );
  } catch (err) {
    throw describeOrganizationRuleError(err, "organization rules");
  }
}

function describeOrganizationRuleError(err: unknown, what: string): OrgwardenError {
  if (isAwsError(err, "OrganizationAccessDeniedException")) {
    return new OrgwardenError(
      "ACCESS_DENIED",
      `${what}: only the management account or a Config delegated administrator can manage organization rules`,
      {
        hint: "Run from the management account, or register a delegated administrator for config-multiaccountsetup.amazonaws.com.",
        cause: err,
      },
    );
  }
  if (isAwsError(err, "OrganizationAllFeaturesNotEnabledException")) {
    return new OrgwardenError("REFUSED", `${what}: the organization does not have all features enabled`, {
      cause: err,
    });
  }
  if (isAwsError(err, "MaxNumberOfOrganizationConfigRulesExceededException")) {
    return new OrgwardenError(
      "QUOTA_EXCEEDED",
      `${what}: the organization has the most organization Config rules it may have`,
      {
        hint: "Delete unused organization rules, or deploy with --mode accounts (mode: accounts in the rules: entry of the config file).",
        cause: err,
      },
    );
  }
  return describeAwsError(err, "Config");
}
