import { findTarget, OrgwardenError, requireTarget } from "@orgwarden/core";
import {
  draftIn,
  draftScp,
  type ImpactFlags,
  type ImpactResult,
  impactGate,
  impactJob,
  impactWindowSettings,
  planScpDraft,
  type ScpFlags,
  scpPlanDependencies,
  scpSettings,
} from "@orgwarden/job";
import {
  DEFAULT_POLICIES,
  describeTarget,
  loadPolicyLibrary,
  targetsOfUpdatedPolicies,
} from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addImpactFlags } from "../options/impact-options.js";
import { addScpFlags, addVerifyFlags, collect } from "../options/scp-options.js";
import { knownTarget } from "../output/plan-json.js";
import { messageProgress } from "../output/progress.js";
import { renderImpact } from "../output/render-impact.js";
import { plural, runScpChange, showConfirmApply } from "../scp-change-flow.js";

export interface ApplyScpFlags extends ScpFlags, ImpactFlags {
  ou: string;
  impact?: boolean;
  output?: string;
  policy: string[];
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden apply-scp`: plan, show, confirm, then create/update/attach the managed SCPs. */
export async function runApplyScp(ctx: CommandContext, flags: ApplyScpFlags): Promise<number> {
  return runScpChange(ctx, "apply-scp", flags.output, async (known) => {
    const settings = scpSettings(flags, ctx.options, ctx.runConfig);
    // Rendered before any AWS call: bad input stops here.
    const library = loadPolicyLibrary(flags.policyDir);
    const draft = draftScp(library, settings);
    const windowSettings = flags.impact
      ? impactWindowSettings(flags, ctx.runConfig, new Date(), 0)
      : undefined;
    if (!flags.impact && (flags.since ?? flags.source ?? flags.maxNewDenials) !== undefined) {
      throw new OrgwardenError("INVALID_INPUT", "--since, --source and --max-new-denials shape --impact", {
        hint: "Add --impact to measure the change's impact on recorded activity before the plan.",
      });
    }
    const inventory = await ctx.inventory();
    known.target = knownTarget(inventory, flags.ou);
    if (windowSettings) {
      const stopped = await impactFirst(ctx, flags, settings, library, windowSettings);
      if (stopped !== undefined) return stopped;
    }
    const organizations = ctx.factory.organizations(ctx.operatorCredentials);
    const plan = await planScpDraft(
      draft,
      { inventory, organizations },
      flags.ou,
      await scpPlanDependencies(ctx, settings),
    );
    known.plan = plan;
    return showConfirmApply(
      ctx,
      "apply-scp",
      plan,
      flags,
      `apply ${plural(plan.changes, "change")} to ${describeTarget(plan.target)}`,
    );
  });
}

/**
 * apply-scp --impact: the change's impact on recorded activity, before the plan. Past
 * --max-new-denials (default 0) nothing is planned or applied (exit 5); when part of the activity
 * could not be read, neither (exit 3): a change is not applied on a partial answer.
 */
async function impactFirst(
  ctx: CommandContext,
  flags: ApplyScpFlags,
  settings: ReturnType<typeof scpSettings>,
  library: ReturnType<typeof loadPolicyLibrary>,
  window: ReturnType<typeof impactWindowSettings>,
): Promise<number | undefined> {
  // A managed policy whose rendering changed is updated in place: every other target it is
  // attached to gets the new document too, so their accounts' activity is read as well.
  const inventory = await ctx.inventory();
  const target = requireTarget(inventory, flags.ou);
  const others = await targetsOfUpdatedPolicies(
    inventory,
    target,
    draftIn(draftScp(library, settings), inventory.partition).policies,
    ctx.factory.organizations(ctx.operatorCredentials),
  );
  const json = flags.output === "json";
  // The plan's JSON stays one document on stdout: the impact goes to stderr then.
  const out = json ? ctx.io.stderr : ctx.io.stdout;
  if (others.length > 0) {
    out.write(
      `the change updates a policy also attached to ${others.map((t) => findTarget(inventory, t)?.path ?? t).join(", ")}: their activity is read too\n`,
    );
  }
  const results: ImpactResult[] = [];
  for (const ref of [target.id, ...others]) {
    const progress = messageProgress(ctx.io, (m) => ctx.logger.info(m), ctx.options.quiet);
    try {
      results.push(
        await impactJob(
          ctx,
          { ...window, target: ref, scp: settings, awsCheck: settings.awsCheck },
          library,
          progress.report,
        ),
      );
    } finally {
      progress.end();
    }
    out.write(`${renderImpact(results.at(-1) as ImpactResult, ctx.paint, ctx.io.columns)}\n`);
  }
  const max = window.maxNewDenials ?? 0;
  const gate = impactGate(results, max);
  if (gate.verdict === "impact") {
    ctx.io.stderr.write(
      `impact found: the change would deny ${gate.events} recorded events (--max-new-denials ${max}); nothing was applied.\n` +
        "Fix or exempt the callers listed above (orgwarden impact --output csv lists them all), or raise --max-new-denials.\n",
    );
  } else if (gate.verdict === "incomplete") {
    ctx.io.stderr.write(
      `impact incomplete: ${gate.failures} parts of the activity could not be read (listed above); nothing was applied.\n` +
        "Give orgwarden's role what it lacks, narrow --regions, or run orgwarden impact to see them.\n",
    );
  }
  return gate.verdict === "clean" ? undefined : gate.exitCode;
}

export function registerApplyScp(program: Command, action: ActionFactory): void {
  addVerifyFlags(
    addImpactFlags(
      addScpFlags(
        program
          .command("apply-scp")
          .description(
            "plan, show, confirm, then create/update the managed SCPs and attach them to an OU (or account)",
          )
          .requiredOption(
            "--ou <id|path>",
            "OU id (ou-xxxx-xxxxxxxx) or path (Root/Workloads/Prod), or an account id",
          )
          .option(
            "--policy <name>",
            `policy from the library (repeatable; default: ${DEFAULT_POLICIES.join(", ")})`,
            collect,
            [],
          )
          .option(
            "--regions <list>",
            "comma-separated regions orgwarden works in; the lockout guard checks its calls there (overrides connection.regions of --config; default: --region)",
          )
          .option(
            "--impact",
            "first measure what the change would deny in recorded activity (as orgwarden impact); past --max-new-denials nothing is planned (exit 5)",
          )
          .option("--dry-run", "print the plan and change nothing")
          .option("--yes", "apply without asking (needed when not on a terminal)")
          .option("--allow-root", "allow the organization root as the target")
          .option(
            "--output <format>",
            "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
          ),
      ),
    ),
  )
    .addHelpText(
      "after",
      "\nThe plan runs a lockout check on every account each changed policy\n" +
        "reaches: orgwarden's own role (every action it calls, in every region it\n" +
        "works in), exempt principals, IAM users enrolling MFA, workload roles and\n" +
        "Identity Center sessions must stay allowed, or nothing is changed (exit 2).\n" +
        "Quotas come from Service Quotas where readable; IAM Access Analyzer checks\n" +
        "the policies to be written. Every probe request is also sent to AWS's own\n" +
        "policy simulator (iam:SimulateCustomPolicy, --verify-with-aws): the plan\n" +
        "says how many AWS agrees on, and a deny either engine sees blocks.\n" +
        "See docs/lockout-matrix.md.\n" +
        "\n" +
        "--impact reads recorded activity first (orgwarden impact --help): exit 5 when\n" +
        "the change would deny more recorded events than --max-new-denials (default\n" +
        "0), 3 when part of it could not be read; either way nothing is applied.\n",
    )
    .action(action(runApplyScp));
}
