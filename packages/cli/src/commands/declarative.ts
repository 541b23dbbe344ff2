import { requireTarget } from "@orgwarden/core";
import { declarativeInventory, draftDeclarative, ExitCode } from "@orgwarden/job";
import {
  DECLARATIVE_POLICY_KINDS,
  type DeclarativePolicyType,
  isScpFinding,
  policyKindOf,
  scpStatus,
} from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addDeclarativeFlags, declarativeParameters } from "../options/declarative-options.js";
import { listingFormat } from "../output/output-format.js";
import { renderScpStatus } from "../output/render-scp-status.js";

const STATUS_OUTPUTS = ["table", "json", "csv"] as const;

/**
 * `orgwarden s3-policy show` / `ec2-policy show`: the policy a parameter set renders, its name in
 * AWS Organizations and whom it reaches, then its JSON; calls nothing in AWS.
 */
export async function runDeclarativeShow(
  ctx: CommandContext,
  flags: Record<string, unknown> & { minified?: boolean; document?: boolean },
  type: DeclarativePolicyType,
): Promise<number> {
  const policy = draftDeclarative(type, declarativeParameters(flags, type));
  if (flags.minified) {
    ctx.io.stdout.write(`${policy.content}\n`);
    return 0;
  }
  if (!flags.document) {
    const about = DECLARATIVE_POLICY_KINDS[type];
    ctx.io.stdout.write(
      `${policy.description}\nName in AWS Organizations: ${policy.managedName} (tagged managed-by=orgwarden with these parameters)\nReach: ${about.reach}.\nSee ${about.page}\n\n`,
    );
  }
  ctx.io.stdout.write(`${JSON.stringify(policy.document, null, 2)}\n`);
  return 0;
}

/**
 * `orgwarden s3-policy status` / `ec2-policy status`: every root, OU and account with an orgwarden
 * policy of the type, its variant and parameters, and whether its content is what those parameters
 * render (drifted: edited outside orgwarden) or it is an impostor; with --ou, every policy of the
 * type on the path. Exit 4 when any is drifted or an impostor.
 */
export async function runDeclarativeStatus(
  ctx: CommandContext,
  flags: { ou?: string; output?: string },
  type: DeclarativePolicyType,
): Promise<number> {
  const kind = policyKindOf(type);
  const output = listingFormat(ctx.io, flags.output, STATUS_OUTPUTS);
  const inventory = await declarativeInventory(ctx, kind);
  const under = flags.ou ? requireTarget(inventory, flags.ou).id : undefined;
  const rows = await scpStatus({
    kind,
    inventory,
    organizations: ctx.factory.organizations(ctx.operatorCredentials),
    library: new Map(),
    ...(under ? { underTargetId: under } : {}),
  });
  ctx.io.stdout.write(renderScpStatus(rows, output, kind.short));
  return rows.some((r) => isScpFinding(r.state)) ? ExitCode.nonCompliant : ExitCode.ok;
}

export function registerDeclarative(
  program: Command,
  action: ActionFactory,
  type: DeclarativePolicyType,
): void {
  const kind = policyKindOf(type);
  const group = program
    .command(kind.family)
    .description(
      `orgwarden's ${kind.many} (${type}): the policy a parameter set renders, and what is attached where`,
    );
  addDeclarativeFlags(
    group
      .command("show")
      .description(
        `the ${kind.short} these settings render: its name, whom it reaches, its JSON (calls nothing in AWS)`,
      )
      .option("--document", "print the rendered JSON only")
      .option("--minified", "print the minified JSON that is uploaded, only"),
    type,
  ).action(action((ctx, flags: Record<string, unknown>) => runDeclarativeShow(ctx, flags, type)));
  group
    .command("status")
    .description(
      `every root/OU/account with an orgwarden ${kind.short}: variant, parameters, and whether its content drifted from what they render or it is an impostor (exit 4 if any)`,
    )
    .option(
      "--ou <id|path>",
      `only targets at or below this root, OU or account (id, or path like Root/Workloads); also every ${kind.short} on its path`,
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .action(action((ctx, flags: { ou?: string; output?: string }) => runDeclarativeStatus(ctx, flags, type)));
}
