import { partitionOfRegion } from "@orgwarden/core";
import { ExitCode, type RuleFlags, ruleSettings } from "@orgwarden/job";
import { DEFAULT_RULES, loadRuleCatalog, renderRule } from "@orgwarden/rules";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { writeListing } from "../output/write-listing.js";

/** One rule of `rules list`, with the parameters it gets. */
interface RuleListEntry {
  name: string;
  identifier: string;
  control: string;
  where: "home region" | "each region";
  default: boolean;
  parameters: Record<string, string>;
}

/** `orgwarden rules list`: the catalog with the parameters each rule gets (for a sample account). */
export async function runRulesList(
  ctx: CommandContext,
  flags: RuleFlags & { rulesDir?: string; output?: string },
): Promise<number> {
  const catalog = loadRuleCatalog(flags.rulesDir);
  const settings = ruleSettings(flags, ctx.runConfig);
  const entries: RuleListEntry[] = [...catalog.values()].map((r) => ({
    name: r.name,
    identifier: r.identifier,
    control: r.control,
    where: r.global ? "home region" : "each region",
    default: (DEFAULT_RULES as readonly string[]).includes(r.name),
    parameters: Object.fromEntries(
      Object.entries(
        renderRule(r, settings, {
          accountId: "${AccountId}",
          partition: partitionOfRegion(ctx.options.region),
        }).inputParameters,
      ).map(([k, v]) => [k, String(v)]),
    ),
  }));
  const parameterText = (e: RuleListEntry) =>
    Object.entries(e.parameters)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ");
  writeListing(ctx.io, flags.output, {
    rows: entries,
    csv: [
      { header: "name", value: (e) => e.name },
      { header: "identifier", value: (e) => e.identifier },
      { header: "control", value: (e) => e.control },
      { header: "where", value: (e) => e.where },
      { header: "default", value: (e) => String(e.default) },
      { header: "parameters", value: parameterText },
    ],
    table: {
      headers: ["NAME", "AWS IDENTIFIER", "CONTROL", "WHERE", "DEFAULT", "PARAMETERS"],
      cells: (e) => [
        e.name,
        e.identifier,
        e.control,
        e.where,
        e.default ? "yes" : "",
        parameterText(e) || "-",
      ],
    },
  });
  return ExitCode.ok;
}

export function registerRules(program: Command, action: ActionFactory): void {
  const rules = program.command("rules").description("the AWS Config rule catalog in config-rules/");
  rules
    .command("list")
    .description("every rule with its AWS identifier, control, where it goes and its parameters")
    .option(
      "--mfa-policy-name <name>",
      "name of the MFA policy iam-policy-in-use checks (overrides mfaPolicyName of --config)",
    )
    .option(
      "--password-min-length <n>",
      "minimum password length for iam-password-policy (overrides passwordPolicy.minimumLength of --config)",
    )
    .option("--rules-dir <dir>", "folder of rule definitions")
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .action(action(runRulesList));
}
