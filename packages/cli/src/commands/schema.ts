import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import type { ActionFactory } from "../main.js";
import { runConfigJsonSchema } from "../run-config.js";

/** `orgwarden schema`: the JSON Schema of orgwarden.yaml, for editors and CI linters. */
export async function runSchema(ctx: CommandContext): Promise<number> {
  ctx.io.stdout.write(`${JSON.stringify(runConfigJsonSchema(), null, 2)}\n`);
  return ExitCode.ok;
}

export function registerSchema(program: Command, action: ActionFactory): void {
  program.command("schema").description("print the JSON Schema of orgwarden.yaml").action(action(runSchema));
}
