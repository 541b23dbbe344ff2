import {
  type ConfigRule,
  type ConfigServiceClient,
  paginateDescribeConfigRules,
} from "@aws-sdk/client-config-service";
import { collectPages } from "@orgwarden/core";
import { memberRuleNamesFor } from "./read-compliance.js";
import { MANAGED_RULE_PREFIX, managedRuleName, type RuleDefinition } from "./rule-catalog.js";

/** Which of the catalogue's rules one account has, and the names they have there. */
export interface DeployedRules {
  rules: RuleDefinition[];
  /** Organization rules: the rule's name inside the account, by orgwarden rule name. */
  memberRuleNames: Map<string, string>;
}

/**
 * How AWS names an organization rule inside a member account: `OrgConfigRule-<organization rule
 * name>-<suffix>`, the organization rule being `orgwarden-<rule>`.
 */
const ORGANIZATION_RULE_IN_MEMBER = new RegExp(
  `^OrgConfigRule-${MANAGED_RULE_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(.+)-[a-z0-9]+$`,
);

/**
 * orgwarden's name for a rule deployed in an account: `orgwarden-<name>` (accounts mode), or the
 * member-side name of the organization rule `orgwarden-<name>`; undefined for anyone else's rule.
 */
export function orgwardenRuleName(configRuleName: string): string | undefined {
  if (configRuleName.startsWith(MANAGED_RULE_PREFIX)) return configRuleName.slice(MANAGED_RULE_PREFIX.length);
  return ORGANIZATION_RULE_IN_MEMBER.exec(configRuleName)?.[1];
}

/** The rules of one account and region that orgwarden deployed (in either mode), with their orgwarden names. */
export async function orgwardenRulesIn(
  config: ConfigServiceClient,
): Promise<Array<{ name: string; rule: ConfigRule }>> {
  const rules = await collectPages(paginateDescribeConfigRules({ client: config }, {}), (p) => p.ConfigRules);
  const out: Array<{ name: string; rule: ConfigRule }> = [];
  for (const rule of rules) {
    const name = orgwardenRuleName(rule.ConfigRuleName ?? "");
    if (name) out.push({ name, rule });
  }
  return out;
}

export interface FindDeployedRulesInput {
  /** A Config client in the account, per region. */
  configIn: (region: string) => ConfigServiceClient;
  /** The catalogue's rules to look for. */
  rules: readonly RuleDefinition[];
  regions: readonly string[];
  homeRegion: string;
}

/**
 * Which of the catalogue's rules are deployed in an account: one DescribeConfigRules per region.
 * Global rules live in the home region, so it is always looked at, whatever the regions chosen.
 */
export async function findDeployedRules(input: FindDeployedRulesInput): Promise<DeployedRules> {
  const deployed = new Set<string>();
  const memberRuleNames = new Map<string, string>();
  for (const region of new Set([input.homeRegion, ...input.regions])) {
    for (const { name, rule } of await orgwardenRulesIn(input.configIn(region))) {
      deployed.add(name);
      if (rule.ConfigRuleName !== managedRuleName(name))
        memberRuleNames.set(name, rule.ConfigRuleName as string);
    }
  }
  return { rules: input.rules.filter((r) => deployed.has(r.name)), memberRuleNames };
}

/**
 * Through an organization aggregator, which cannot list a member's rules: every catalogue rule is
 * read, an organization rule by its member-side name. Those names are looked up once per rule
 * (GetOrganizationConfigRuleDetailedStatus, `config` being in the management account's home region)
 * and shared by every account asked about.
 */
export function organizationRuleNamesOnce(
  config: () => ConfigServiceClient,
  rules: readonly RuleDefinition[],
): (accountId: string) => Promise<DeployedRules> {
  const namesByRule = new Map<string, Promise<Map<string, string>>>();
  const namesOf = (rule: RuleDefinition) => {
    let names = namesByRule.get(rule.name);
    if (!names) {
      names = memberRuleNamesFor(config(), managedRuleName(rule.name)).catch(
        () => new Map<string, string>(), // not an organization rule: the accounts-mode name applies
      );
      namesByRule.set(rule.name, names);
    }
    return names;
  };
  return async (accountId) => {
    const memberRuleNames = new Map<string, string>();
    for (const rule of rules) {
      const name = (await namesOf(rule)).get(accountId);
      if (name) memberRuleNames.set(rule.name, name);
    }
    return { rules: [...rules], memberRuleNames };
  };
}
