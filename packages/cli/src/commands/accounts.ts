import { accountsUnder, type OrgAccount, requireTarget } from "@orgwarden/core";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { listingFormat } from "../output/output-format.js";
import { LISTING_OUTPUTS, writeListing } from "../output/write-listing.js";

export interface AccountsOptions {
  ou?: string;
  output?: string;
}

/** `orgwarden accounts`: every account with its state and OU path, or the subtree under --ou. */
export async function runAccounts(ctx: CommandContext, opts: AccountsOptions): Promise<number> {
  // The format is checked before the walk: a bad --output costs no AWS call.
  listingFormat(ctx.io, opts.output, LISTING_OUTPUTS);
  const inventory = await ctx.inventory();
  const accounts = opts.ou
    ? accountsUnder(inventory, requireTarget(inventory, opts.ou).id)
    : inventory.accounts;
  writeListing(ctx.io, opts.output, {
    rows: accounts,
    json: (rows) => rows.map(toRow),
    csv: [
      { header: "account_id", value: (a) => a.id },
      { header: "account_name", value: (a) => a.name },
      { header: "email", value: (a) => a.email },
      { header: "state", value: (a) => a.state },
      { header: "ou_id", value: (a) => a.parentId },
      { header: "ou_path", value: (a) => a.ouPath },
    ],
    table: {
      headers: ["ID", "NAME", "EMAIL", "STATE", "OU ID", "OU PATH"],
      cells: (a) => [
        a.id,
        a.isManagement ? `${a.name} (management)` : a.name,
        a.email,
        a.state,
        a.parentId,
        a.ouPath,
      ],
      footer: `${accounts.length} account${accounts.length === 1 ? "" : "s"}`,
    },
  });
  return 0;
}

interface AccountRow {
  id: string;
  name: string;
  email: string;
  state: string;
  ouId: string;
  ouPath: string;
}

function toRow(a: OrgAccount): AccountRow {
  return { id: a.id, name: a.name, email: a.email, state: a.state, ouId: a.parentId, ouPath: a.ouPath };
}

export function registerAccounts(program: Command, action: ActionFactory): void {
  program
    .command("accounts")
    .description("list every account with id, name, email, state, OU id and OU path")
    .option(
      "--ou <id|path>",
      "only the accounts under this OU (nested OUs included), root or account: an id, or a path like Root/Workloads",
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .action(action(runAccounts));
}
