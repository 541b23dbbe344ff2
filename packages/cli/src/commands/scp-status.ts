import { requireTarget } from "@orgwarden/core";
import { ExitCode } from "@orgwarden/job";
import { isScpFinding, loadPolicyLibrary, scpStatus } from "@orgwarden/scp";
import type { CommandContext } from "../command.js";
import { listingFormat } from "../output/output-format.js";
import { renderScpStatus } from "../output/render-scp-status.js";

const STATUS_OUTPUTS = ["table", "json", "csv"] as const;

/**
 * `orgwarden scp status`: every root, OU and account with an orgwarden policy, its variant, and
 * whether the attached document is what the library renders (drift) or the policy lacks the
 * managed tag (impostor). With --ou, also every SCP on the OU's path (inherited from the root and
 * parent OUs, orgwarden's or not). Exit 4 when any is drifted or an impostor.
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
    partition: inventory.partition,
    ...(under ? { underTargetId: under } : {}),
  });
  ctx.io.stdout.write(renderScpStatus(rows, output));
  return rows.some((r) => isScpFinding(r.state)) ? ExitCode.nonCompliant : ExitCode.ok;
}
