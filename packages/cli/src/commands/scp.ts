import { OrgwardenError } from "@orgwarden/core";
import { type ScpFlags, scpSettings } from "@orgwarden/job";
import { loadPolicyLibrary, renderPolicy, requirePolicy } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addScpFlags } from "../options/scp-options.js";
import { describePolicy } from "../output/describe-policy.js";
import { writeListing } from "../output/write-listing.js";
import { registerScpSimulate } from "./scp-simulate.js";
import { runScpStatus } from "./scp-status.js";

/** One policy of `scp list`: its rendered size against the quota, or why it does not render. */
interface ScpListEntry {
  name: string;
  /** Minified characters, when the policy renders with the given parameters. */
  size: number | null;
  maxSize: number;
  /** Why the policy does not render with the given parameters (a flag it needs), else null. */
  notRenderable: string | null;
  description: string;
}

/** `orgwarden scp list`: the policy library with each policy's rendered size against the quota. */
export async function runScpList(
  ctx: CommandContext,
  flags: ScpFlags & { output?: string },
): Promise<number> {
  const { params, quotas } = scpSettings(flags, ctx.options, ctx.runConfig);
  const library = loadPolicyLibrary(flags.policyDir);
  const entries: ScpListEntry[] = [...library.values()].map((t) => {
    const entry = { name: t.name, maxSize: quotas.maxPolicySize, description: t.description };
    try {
      return { ...entry, size: renderPolicy(t, params).size, notRenderable: null };
    } catch (err) {
      if (!(err instanceof OrgwardenError)) throw err;
      return { ...entry, size: null, notRenderable: err.message };
    }
  });
  const sizeText = (e: ScpListEntry) =>
    e.size === null
      ? `not renderable: ${e.notRenderable}`
      : `${e.size} / ${e.maxSize}${e.size > e.maxSize ? " (TOO LARGE)" : ""}`;
  writeListing(ctx.io, flags.output, {
    rows: entries,
    csv: [
      { header: "name", value: (e) => e.name },
      { header: "size", value: (e) => (e.size === null ? "" : String(e.size)) },
      { header: "max_size", value: (e) => String(e.maxSize) },
      { header: "not_renderable", value: (e) => e.notRenderable ?? "" },
      { header: "description", value: (e) => e.description },
    ],
    table: { headers: ["NAME", "SIZE", "DESCRIPTION"], cells: (e) => [e.name, sizeText(e), e.description] },
  });
  return 0;
}

/**
 * `orgwarden scp show NAME`: what the policy denies, to whom, who is exempt and the AWS pages it
 * follows, then the rendered JSON exactly as it would be uploaded. `--document` / `--minified`
 * print the JSON alone (for piping).
 */
export async function runScpShow(
  ctx: CommandContext,
  flags: ScpFlags & { minified?: boolean; document?: boolean },
  args: string[],
): Promise<number> {
  const { params } = scpSettings(flags, ctx.options, ctx.runConfig);
  const library = loadPolicyLibrary(flags.policyDir);
  const template = requirePolicy(library, args[0] ?? "");
  const rendered = renderPolicy(template, params);
  if (flags.minified) {
    ctx.io.stdout.write(`${rendered.content}\n`);
    return 0;
  }
  if (!flags.document) {
    ctx.io.stdout.write(
      `${describePolicy(template)}Name in AWS Organizations: ${rendered.managedName}${rendered.variant ? " (a variant: these parameters differ from the defaults)" : ""}\n\n`,
    );
  }
  ctx.io.stdout.write(`${JSON.stringify(rendered.document, null, 2)}\n`);
  return 0;
}

export function registerScp(program: Command, action: ActionFactory): void {
  const scp = program.command("scp").description("the SCP library in scp/");
  addScpFlags(
    scp
      .command("list")
      .description("every policy: name, rendered size against the quota, description")
      .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)"),
  ).action(action(runScpList));
  addScpFlags(
    scp
      .command("show")
      .description("what one policy denies, to whom, and the AWS page it follows; then its rendered JSON")
      .argument("<name>", "policy name, e.g. require-mfa")
      .option("--document", "print the rendered JSON only")
      .option("--minified", "print the minified JSON that is uploaded, only"),
  ).action(action(runScpShow));
  scp
    .command("status")
    .description(
      "every root/OU/account with an orgwarden SCP: policy, variant, and whether it drifted from the library or is an impostor (exit 4 if any)",
    )
    .option(
      "--ou <id|path>",
      "only targets at or below this root, OU or account (id, or path like Root/Workloads)",
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .option("--policy-dir <dir>", "folder of SCP templates (default: scp/ of this installation)")
    .action(action(runScpStatus));
  registerScpSimulate(scp, action);
}
