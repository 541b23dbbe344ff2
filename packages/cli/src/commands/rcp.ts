import { OrgwardenError, requireTarget } from "@orgwarden/core";
import { ExitCode, type RcpFlags, rcpInventory, rcpSettings } from "@orgwarden/job";
import {
  isScpFinding,
  loadPolicyLibrary,
  PROBE_ORGANIZATION,
  RCP_KIND,
  renderPolicy,
  requirePolicy,
  scpStatus,
} from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addRcpFlags } from "../options/rcp-options.js";
import { describePolicy } from "../output/describe-policy.js";
import { listingFormat } from "../output/output-format.js";
import { renderScpStatus } from "../output/render-scp-status.js";
import { writeListing } from "../output/write-listing.js";

const STATUS_OUTPUTS = ["table", "json", "csv"] as const;

/** `orgwarden rcp list`: the RCP library, each policy's rendered size against the quota. */
export async function runRcpList(
  ctx: CommandContext,
  flags: RcpFlags & { output?: string },
): Promise<number> {
  const { params, quotas } = rcpSettings(flags, ctx.options, ctx.runConfig);
  const library = loadPolicyLibrary(flags.policyDir, RCP_KIND);
  const entries = [...library.values()].map((t) => {
    const entry = { name: t.name, maxSize: quotas.maxPolicySize, description: t.description };
    try {
      return { ...entry, size: renderPolicy(t, params).size as number | null, notRenderable: null };
    } catch (err) {
      if (!(err instanceof OrgwardenError)) throw err;
      return { ...entry, size: null, notRenderable: err.message as string | null };
    }
  });
  writeListing(ctx.io, flags.output, {
    rows: entries,
    csv: [
      { header: "name", value: (e) => e.name },
      { header: "size", value: (e) => (e.size === null ? "" : String(e.size)) },
      { header: "max_size", value: (e) => String(e.maxSize) },
      { header: "not_renderable", value: (e) => e.notRenderable ?? "" },
      { header: "description", value: (e) => e.description },
    ],
    table: {
      headers: ["NAME", "SIZE", "DESCRIPTION"],
      cells: (e) => [
        e.name,
        e.size === null ? `not renderable: ${e.notRenderable}` : `${e.size} / ${e.maxSize}`,
        e.description,
      ],
    },
  });
  return 0;
}

/**
 * `orgwarden rcp show NAME`: what the RCP denies, to whom, who is exempt and the AWS pages it
 * follows, then the rendered JSON. It names no organization until apply-rcp reads yours: shown with
 * a stand-in id.
 */
export async function runRcpShow(
  ctx: CommandContext,
  flags: RcpFlags & { minified?: boolean; document?: boolean },
  args: string[],
): Promise<number> {
  const { params } = rcpSettings(flags, ctx.options, ctx.runConfig);
  const template = requirePolicy(loadPolicyLibrary(flags.policyDir, RCP_KIND), args[0] ?? "");
  const rendered = renderPolicy(template, params);
  if (flags.minified) {
    ctx.io.stdout.write(`${rendered.content}\n`);
    return 0;
  }
  if (!flags.document) {
    ctx.io.stdout.write(
      `${describePolicy(template)}Name in AWS Organizations: ${rendered.managedName}${rendered.variant ? " (a variant: these parameters differ from the defaults)" : ""}\nRendered for the stand-in organization ${PROBE_ORGANIZATION}: apply-rcp renders it with your organization's id.\n\n`,
    );
  }
  ctx.io.stdout.write(`${JSON.stringify(rendered.document, null, 2)}\n`);
  return 0;
}

/**
 * `orgwarden rcp status`: every root, OU and account with an orgwarden RCP, its variant, and whether
 * it drifted from the library or is an impostor; with --ou, every RCP on the path. Exit 4 when any
 * is drifted or an impostor.
 */
export async function runRcpStatus(
  ctx: CommandContext,
  flags: { ou?: string; output?: string; policyDir?: string },
): Promise<number> {
  const output = listingFormat(ctx.io, flags.output, STATUS_OUTPUTS);
  const library = loadPolicyLibrary(flags.policyDir, RCP_KIND);
  const inventory = await rcpInventory(ctx);
  const under = flags.ou ? requireTarget(inventory, flags.ou).id : undefined;
  const rows = await scpStatus({
    kind: RCP_KIND,
    inventory,
    organizations: ctx.factory.organizations(ctx.operatorCredentials),
    library,
    partition: inventory.partition,
    ...(under ? { underTargetId: under } : {}),
  });
  ctx.io.stdout.write(renderScpStatus(rows, output, "RCP"));
  return rows.some((r) => isScpFinding(r.state)) ? ExitCode.nonCompliant : ExitCode.ok;
}

export function registerRcp(program: Command, action: ActionFactory): void {
  const rcp = program
    .command("rcp")
    .description("the resource control policy (RCP) library in rcp/, and what is attached where");
  addRcpFlags(
    rcp
      .command("list")
      .description("every RCP: name, rendered size against the quota, description")
      .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)"),
  ).action(action(runRcpList));
  addRcpFlags(
    rcp
      .command("show")
      .description("what one RCP denies, to whom, and the AWS pages it follows; then its rendered JSON")
      .argument("<name>", "policy name, e.g. identity-perimeter")
      .option("--document", "print the rendered JSON only")
      .option("--minified", "print the minified JSON that is uploaded, only"),
  ).action(action(runRcpShow));
  rcp
    .command("status")
    .description(
      "every root/OU/account with an orgwarden RCP: policy, variant, and whether it drifted from the library or is an impostor (exit 4 if any)",
    )
    .option(
      "--ou <id|path>",
      "only targets at or below this root, OU or account (id, or path like Root/Workloads); also every RCP on its path",
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .option("--policy-dir <dir>", "folder of RCP templates (default: rcp/ of this installation)")
    .action(action(runRcpStatus));
}
