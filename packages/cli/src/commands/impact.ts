import {
  type ImpactFlags,
  type ImpactResult,
  impactGate,
  impactJob,
  impactSettings,
  type ScpFlags,
} from "@orgwarden/job";
import { DEFAULT_POLICIES, loadPolicyLibrary } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addImpactFlags } from "../options/impact-options.js";
import { addScpFlags, addVerifyFlags, collect } from "../options/scp-options.js";
import { listingFormat } from "../output/output-format.js";
import { messageProgress } from "../output/progress.js";
import { impactCsv, renderImpact } from "../output/render-impact.js";

const IMPACT_OUTPUTS = ["table", "json", "csv"] as const;

export interface ImpactCommandFlags extends ScpFlags, ImpactFlags {
  ou?: string;
  output?: string;
}

/**
 * `orgwarden impact`: what would attaching these policies deny that the organization's principals
 * did in the window? Reads AWS, changes nothing. Exit 5 when the change would deny more recorded
 * events than --max-new-denials (default 0), 3 when part of the activity could not be read, else 0.
 */
export async function runImpact(ctx: CommandContext, flags: ImpactCommandFlags): Promise<number> {
  const output = listingFormat(ctx.io, flags.output, IMPACT_OUTPUTS);
  const settings = impactSettings(flags, ctx.options, ctx.runConfig, new Date());
  const progress = messageProgress(ctx.io, (m) => ctx.logger.info(m), ctx.options.quiet);
  let result: ImpactResult;
  try {
    result = await impactJob(ctx, settings, loadPolicyLibrary(flags.policyDir), progress.report);
  } finally {
    progress.end();
  }
  if (output === "json") ctx.io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (output === "csv") ctx.io.stdout.write(impactCsv(result));
  else ctx.io.stdout.write(renderImpact(result, ctx.paint, ctx.io.columns));
  return impactGate([result], settings.maxNewDenials ?? 0).exitCode;
}

export function registerImpact(program: Command, action: ActionFactory): void {
  addVerifyFlags(
    addImpactFlags(
      addScpFlags(
        program
          .command("impact")
          .description(
            "what would these SCPs deny that your own principals did? recorded activity judged before and after the change (changes nothing)",
          )
          .requiredOption(
            "--ou <id|path>",
            "the root, OU or account the policies would be attached to (id or path like Root/Workloads)",
          )
          .option(
            "--policy <name>",
            `policy from the library, as apply-scp --policy (repeatable; default: ${DEFAULT_POLICIES.join(", ")})`,
            collect,
            [],
          )
          .option(
            "--regions <list>",
            "comma-separated regions whose activity is read (default: every region the management account has enabled)",
          )
          .option("--output <format>", "table | json | csv (default: table on a terminal, json when piped)"),
      ),
    ),
  )
    .addHelpText(
      "after",
      "\nEvery call recorded in the window by a principal of an account at or below --ou\n" +
        "is read as the request an SCP decides (principal, IAM action, region, MFA,\n" +
        "address or VPC endpoint, resource) and judged on the account's SCPs as they\n" +
        "are and as apply-scp would leave them. Only calls the change newly denies are\n" +
        "listed, with the deciding policy, statement and condition keys. A verdict that\n" +
        "hangs on a key events do not record (tags, for one) is listed as undetermined;\n" +
        "principals' own IAM tags are read to decide aws:PrincipalTag. Service-linked\n" +
        "roles, AWS service principals and the management account are counted, not\n" +
        "evaluated (SCPs do not apply to them). The output holds ARNs, addresses and\n" +
        "event ids, never access keys.\n" +
        "\n" +
        "A clean result does not prove a change safe: data events a source does not\n" +
        "record, paths not used in the window, and tags are not seen.\n" +
        "\n" +
        "Exit 0: no new denial (or at most --max-new-denials events); 5: more than\n" +
        "that (impact found); 3: part of the activity could not be read and no impact\n" +
        "was found; 2: bad input.\n",
    )
    .action(action(runImpact));
}
