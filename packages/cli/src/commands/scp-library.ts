import { OrgwardenError, requireTarget } from "@orgwarden/core";
import { formatCsv, renderTable } from "@orgwarden/report";
import {
  loadPolicyLibrary,
  type PolicyTemplate,
  renderPolicy,
  requirePolicy,
  type ScpStatusRow,
  scpStatus,
} from "@orgwarden/scp";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { ExitCode } from "../exit-codes.js";
import type { ActionFactory } from "../main.js";
import { listingFormat } from "../output/output-format.js";
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
  const { params } = scpSettings(flags, ctx.options.roleName, ctx.runConfig);
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

/** What the policy denies, to whom, who is exempt, and the AWS pages it follows. */
export function describePolicy(t: PolicyTemplate): string {
  return [
    `${t.name}: ${t.description}`,
    `  Denies:     ${t.about.denies}`,
    `  Applies to: ${t.about.appliesTo}`,
    `  Exempt:     ${t.about.exempts}`,
    `  Follows:    ${t.about.follows.join("\n              ")}`,
    "",
  ].join("\n");
}

const STATUS_OUTPUTS = ["table", "json", "csv"] as const;

/**
 * `orgwarden scp status`: every root, OU and account with an orgwarden policy, its variant, and
 * whether the attached document is what the library renders (drift) or the policy lacks the
 * managed tag (impostor). Exit 4 when any is drifted or an impostor.
 */
export async function runScpStatus(
  ctx: CommandContext,
  flags: { ou?: string; output?: string; policyDir?: string },
): Promise<number> {
  const output = listingFormat(ctx.io, flags.output, STATUS_OUTPUTS);
  const library = loadPolicyLibrary(flags.policyDir);
  const inventory = await ctx.inventory();
  const under = flags.ou ? requireTarget(inventory, flags.ou).id : undefined;
  const rows = await scpStatus({
    inventory,
    organizations: ctx.factory.organizations(ctx.operatorCredentials),
    library,
    ...(under ? { underTargetId: under } : {}),
  });
  if (output === "json") ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (output === "csv") ctx.io.stdout.write(formatCsv(STATUS_COLUMNS, rows));
  else {
    ctx.io.stdout.write(
      renderTable(
        ["TARGET", "POLICY", "VARIANT", "STATE", "PARAMETERS", "DETAIL"],
        rows.map((r) => [
          `${r.targetPath} (${r.targetId})`,
          r.policyName,
          r.variant,
          r.state,
          r.parameters,
          r.detail,
        ]),
      ),
    );
    const bad = rows.filter((r) => r.state !== "in-sync").length;
    ctx.io.stdout.write(
      rows.length === 0
        ? "No orgwarden SCP is attached anywhere in scope.\n"
        : `${rows.length} attachment${rows.length === 1 ? "" : "s"}; ${bad === 0 ? "all in sync" : `${bad} drifted or impostor`}\n`,
    );
  }
  return rows.some((r) => r.state !== "in-sync") ? ExitCode.nonCompliant : ExitCode.ok;
}

const STATUS_COLUMNS: ReadonlyArray<{ header: string; value: (r: ScpStatusRow) => string }> = [
  { header: "target_id", value: (r) => r.targetId },
  { header: "target_path", value: (r) => r.targetPath },
  { header: "target_kind", value: (r) => r.targetKind },
  { header: "policy_name", value: (r) => r.policyName },
  { header: "policy_id", value: (r) => r.policyId },
  { header: "library_policy", value: (r) => r.library ?? "" },
  { header: "variant", value: (r) => r.variant },
  { header: "state", value: (r) => r.state },
  { header: "parameters", value: (r) => r.parameters },
  { header: "detail", value: (r) => r.detail },
];

export function registerScpLibrary(program: Command, action: ActionFactory): void {
  const scp = program.command("scp").description("the SCP library in scp/");
  addScpFlags(
    scp.command("list").description("every policy: name, rendered size against the quota, description"),
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
}
