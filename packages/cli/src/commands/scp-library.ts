import { OrgwardenError } from "@orgwarden/core";
import { renderTable } from "@orgwarden/report";
import { loadPolicyLibrary, renderPolicy, requirePolicy } from "@orgwarden/scp";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import type { ActionFactory } from "../main.js";
import { addScpFlags, type ScpFlags, scpSettings } from "../scp-settings.js";

/** `orgwarden scp list`: the policy library with each policy's rendered size against the quota. */
export async function runScpList(ctx: CommandContext, flags: ScpFlags): Promise<number> {
  const { params, quotas } = scpSettings(flags, ctx.options.roleName, ctx.runConfig);
  const library = loadPolicyLibrary(flags.policyDir);
  const rows = [...library.values()].map((t) => {
    let size: string;
    try {
      const r = renderPolicy(t, params);
      size = `${r.size} / ${quotas.maxPolicySize}${r.size > quotas.maxPolicySize ? " (TOO LARGE)" : ""}`;
    } catch (err) {
      size = err instanceof OrgwardenError ? `not renderable: ${err.message}` : String(err);
    }
    return [t.name, size, t.description];
  });
  ctx.io.stdout.write(renderTable(["NAME", "SIZE", "DESCRIPTION"], rows));
  return 0;
}

/** `orgwarden scp show NAME`: the rendered JSON exactly as it would be uploaded (pretty-printed). */
export async function runScpShow(
  ctx: CommandContext,
  flags: ScpFlags & { minified?: boolean },
  args: string[],
): Promise<number> {
  const { params } = scpSettings(flags, ctx.options.roleName, ctx.runConfig);
  const library = loadPolicyLibrary(flags.policyDir);
  const rendered = renderPolicy(requirePolicy(library, args[0] ?? ""), params);
  ctx.io.stdout.write(
    flags.minified ? `${rendered.content}\n` : `${JSON.stringify(rendered.document, null, 2)}\n`,
  );
  return 0;
}

export function registerScpLibrary(program: Command, action: ActionFactory): void {
  const scp = program.command("scp").description("the SCP library in scp/");
  addScpFlags(
    scp.command("list").description("every policy: name, rendered size against the quota, description"),
  ).action(action(runScpList));
  addScpFlags(
    scp
      .command("show")
      .description("the rendered JSON of one policy")
      .argument("<name>", "policy name, e.g. require-mfa")
      .option("--minified", "print the minified JSON that is uploaded"),
  ).action(action(runScpShow));
}
