import { ExitCode, type RuleFlags, ruleSettings } from "@orgwarden/job";
import { renderTable } from "@orgwarden/report";
import { DEFAULT_RULES, loadRuleCatalog, renderRule } from "@orgwarden/rules";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";

/** `orgwarden rules list`: the catalog with the parameters each rule gets (for a sample account). */
export async function runRulesList(
  ctx: CommandContext,
  flags: RuleFlags & { rulesDir?: string },
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
    renderTable(["NAME", "AWS IDENTIFIER", "CONTROL", "WHERE", "DEFAULT", "PARAMETERS"], rows, {
      width: ctx.io.columns,
    }),
  );
  return ExitCode.ok;
}

export function registerRules(program: Command, action: ActionFactory): void {
  const rules = program.command("rules").description("the AWS Config rule catalog in config-rules/");
  rules
    .command("list")
    .description("every rule with its AWS identifier, control, where it goes and its parameters")
    .option("--mfa-policy-name <name>", "name of the MFA policy iam-policy-in-use checks")
    .option("--password-min-length <n>", "minimum password length for iam-password-policy")
    .option("--rules-dir <dir>", "folder of rule definitions")
    .action(action(runRulesList));
}
