import { accountsUnder, type OrgAccount, requireTarget } from "@orgwarden/core";
import { formatCsv, renderTable } from "@orgwarden/report";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { listingFormat } from "../output/output-format.js";

const OUTPUTS = ["table", "json", "csv"] as const;

export interface AccountsOptions {
  ou?: string;
  output?: string;
}

/** `orgwarden accounts`: every account with its state and OU path, or the subtree under --ou. */
export async function runAccounts(ctx: CommandContext, opts: AccountsOptions): Promise<number> {
  const output = listingFormat(ctx.io, opts.output, OUTPUTS);
  const inventory = await ctx.inventory();
  const accounts = opts.ou
    ? accountsUnder(inventory, requireTarget(inventory, opts.ou).id)
    : inventory.accounts;
  const rows = accounts.map(toRow);
  if (output === "json") {
    ctx.io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  } else if (output === "csv") {
    ctx.io.stdout.write(
      formatCsv(
        [
          { header: "account_id", value: (r: AccountRow) => r.id },
          { header: "account_name", value: (r) => r.name },
          { header: "email", value: (r) => r.email },
          { header: "state", value: (r) => r.state },
          { header: "ou_id", value: (r) => r.ouId },
          { header: "ou_path", value: (r) => r.ouPath },
        ],
        rows,
      ),
    );
  } else {
    ctx.io.stdout.write(
      renderTable(
        ["ID", "NAME", "EMAIL", "STATE", "OU ID", "OU PATH"],
        accounts.map((a) => [
          a.id,
          a.isManagement ? `${a.name} (management)` : a.name,
          a.email,
          a.state,
          a.parentId,
          a.ouPath,
        ]),
        { width: ctx.io.columns },
      ),
    );
    ctx.io.stdout.write(`${accounts.length} account${accounts.length === 1 ? "" : "s"}\n`);
  }
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
