import {
  CONTROL_IDS,
  type ControlId,
  MANAGED_PREFIX,
  OrgwardenError,
  readJsonFolder,
  shippedDir,
} from "@orgwarden/core";
import { z } from "zod";

export const FREQUENCIES = [
  "One_Hour",
  "Three_Hours",
  "Six_Hours",
  "Twelve_Hours",
  "TwentyFour_Hours",
] as const;
export type ExecutionFrequency = (typeof FREQUENCIES)[number];

const ruleFileSchema = z
  .object({
    identifier: z
      .string()
      .regex(/^[A-Z0-9_]+$/, "must be an AWS managed rule identifier like IAM_POLICY_IN_USE"),
    description: z
      .string()
      .min(1)
      .regex(/^[^\n]+$/, "must be one line"),
    control: z.enum(CONTROL_IDS),
    /** IAM rules evaluate account-wide: deploy them in the home region only, or they run N times. */
    global: z.boolean(),
    maximumExecutionFrequency: z.enum(FREQUENCIES).optional(),
    resourceTypes: z.array(z.string().regex(/^AWS::\w+::\w+$/)).optional(),
    inputParameters: z.record(z.string(), z.string()),
  })
  .strict();

export interface RuleDefinition extends z.infer<typeof ruleFileSchema> {
  /** orgwarden's name for the rule, the file name: `iam-policy-in-use`. */
  name: string;
  control: ControlId;
  file: string;
}

export const DEFAULT_RULES = ["iam-policy-in-use", "root-account-mfa-enabled"] as const;
/** Config rules orgwarden deploys are named like its SCPs: `orgwarden-<rule>`. */
export const MANAGED_RULE_PREFIX = MANAGED_PREFIX;

/** The name a catalogue rule has in AWS Config: `orgwarden-<rule>`. */
export function managedRuleName(rule: string): string {
  return `${MANAGED_RULE_PREFIX}${rule}`;
}

export function defaultRulesDir(): string {
  return shippedDir("config-rules", import.meta.url);
}

/** Loads and validates the catalog; a malformed file is an error naming the file and the field. */
export function loadRuleCatalog(dir: string = defaultRulesDir()): Map<string, RuleDefinition> {
  const catalog = new Map<string, RuleDefinition>();
  for (const doc of readJsonFolder(dir, ruleFileSchema, "Config rule catalog")) {
    if (!doc.data.maximumExecutionFrequency && !doc.data.resourceTypes) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `${doc.file}: a rule needs maximumExecutionFrequency (periodic) or resourceTypes (configuration changes)`,
      );
    }
    catalog.set(doc.name, { ...doc.data, name: doc.name, file: doc.file });
  }
  return catalog;
}

export function selectRules(
  catalog: Map<string, RuleDefinition>,
  names: readonly string[],
): RuleDefinition[] {
  const wanted = names.length > 0 ? names : DEFAULT_RULES;
  return [...new Set(wanted)].map((n) => {
    const bare = n.startsWith(MANAGED_RULE_PREFIX) ? n.slice(MANAGED_RULE_PREFIX.length) : n;
    const rule = catalog.get(bare);
    if (!rule) {
      throw new OrgwardenError("INVALID_INPUT", `no rule named "${n}" in the Config rule catalog`, {
        hint: `Known rules: ${[...catalog.keys()].join(", ")} (see \`orgwarden rules list\`).`,
      });
    }
    return rule;
  });
}
