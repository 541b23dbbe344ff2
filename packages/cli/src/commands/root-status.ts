import { accountsUnder, requireTarget } from "@orgwarden/core";
import { ExitCode, openRootAccess } from "@orgwarden/job";
import { auditMemberRoots } from "@orgwarden/root";
import type { CommandContext } from "../command.js";
import { listingFormat } from "../output/output-format.js";
import { progressReporter } from "../output/progress.js";
import { rootStatusCsv, rootStatusJson, rootStatusTable } from "../output/render-root.js";

const OUTPUTS = ["table", "json", "csv"] as const;

export interface RootStatusFlags {
  ou?: string;
  output?: string;
}

/** `orgwarden root status`: the organization features, then each member account's root credentials. */
export async function runRootStatus(ctx: CommandContext, flags: RootStatusFlags): Promise<number> {
  const output = listingFormat(ctx.io, flags.output, OUTPUTS);
  const inventory = await ctx.inventory();
  const accounts = flags.ou
    ? accountsUnder(inventory, requireTarget(inventory, flags.ou).id)
    : inventory.accounts;
  const { features, sessions } = await openRootAccess(ctx, inventory);
  const progress = progressReporter(ctx.io, "root status", ctx.options.quiet);
  const rows = await auditMemberRoots({
    accounts,
    features,
    sessions,
    concurrency: ctx.options.concurrency,
    logger: ctx.logger,
    onProgress: progress.onProgress,
  });
  progress.end();
  const out = ctx.io.stdout;
  if (output === "json") out.write(`${JSON.stringify(rootStatusJson(inventory, features, rows), null, 2)}\n`);
  else if (output === "csv") out.write(rootStatusCsv(rows));
  else out.write(rootStatusTable(inventory, features, rows, ctx.paint));
  return rows.some((r) => r.status === "ERROR") ? ExitCode.incomplete : ExitCode.ok;
}
