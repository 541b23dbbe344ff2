import { CONTROL_CATALOGUE, type ControlEntry, frameworkIds } from "@orgwarden/core";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { writeListing } from "../output/write-listing.js";

/** `orgwarden controls`: the control catalogue, what every report row's control means and maps to. */
export async function runControls(ctx: CommandContext, opts: { output?: string }): Promise<number> {
  writeListing<ControlEntry>(ctx.io, opts.output, {
    rows: CONTROL_CATALOGUE,
    json: (rows) => rows.map((c) => ({ ...c, frameworks: frameworkIds(c) })),
    csv: [
      { header: "id", value: (c) => c.id },
      { header: "title", value: (c) => c.title },
      { header: "severity", value: (c) => c.severity },
      { header: "scope", value: (c) => c.scope },
      { header: "config_rule", value: (c) => c.configRule ?? "" },
      { header: "frameworks", value: (c) => frameworkIds(c) },
      { header: "remediation", value: (c) => c.remediation },
      { header: "link", value: (c) => c.link },
    ],
    table: {
      headers: ["CONTROL", "SEVERITY", "SCOPE", "AWS CONFIG RULE", "FRAMEWORKS", "TITLE"],
      cells: (c) => [c.id, c.severity, c.scope, c.configRule ?? "-", frameworkIds(c) || "-", c.title],
    },
  });
  return 0;
}

export function registerControls(program: Command, action: ActionFactory): void {
  program
    .command("controls")
    .description(
      "the control catalogue: each report control with its severity, the AWS Config rule it mirrors, Security Hub and CIS ids, remediation and AWS page",
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .action(action(runControls));
}
