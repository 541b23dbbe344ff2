import { ExitCode, parseChoice, runConfigJsonSchema } from "@orgwarden/job";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { planJsonSchema } from "../output/plan-document-schema.js";

const SCHEMAS = ["config", "plan"] as const;

/**
 * `orgwarden schema [config|plan]`: the JSON Schema of orgwarden.yaml (for editors and CI linters),
 * or of the `--output json` document of apply-scp, detach-scp and deploy-rules.
 */
export async function runSchema(ctx: CommandContext, _flags: unknown, args: string[]): Promise<number> {
  const which = parseChoice("schema", args[0] ?? "config", SCHEMAS);
  const schema = which === "plan" ? planJsonSchema() : runConfigJsonSchema();
  ctx.io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return ExitCode.ok;
}

export function registerSchema(program: Command, action: ActionFactory): void {
  program
    .command("schema")
    .argument("[which]", "config (orgwarden.yaml, the default) or plan (the --output json of changes)")
    .description("print a JSON Schema: orgwarden.yaml's, or the plan document's")
    .action(action(runSchema));
}
