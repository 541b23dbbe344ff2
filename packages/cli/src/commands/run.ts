import { OrgwardenError } from "@orgwarden/core";
import { ExitCode, planRunJob, runJob } from "@orgwarden/job";
import { parseShard } from "@orgwarden/report";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { jobHooks } from "../output/job-hooks.js";
import { renderJobDryRun, renderRunSummary } from "../output/render-run-summary.js";

export interface RunFlags {
  /** false with --no-report. */
  report?: boolean;
  shard?: string;
  dryRun?: boolean;
}

/**
 * `orgwarden run --config orgwarden.yaml`: the scheduled job of @orgwarden/job. Inventory once →
 * SCP enforce/detect → root credentials → rules → report files. Every input is validated and every
 * plan made (lockout guard included) before the first write; an invalid config never reaches AWS.
 */
export async function runScheduledJob(ctx: CommandContext, flags: RunFlags = {}): Promise<number> {
  if (!ctx.runConfig) {
    throw new OrgwardenError("INVALID_INPUT", "run needs a config file", {
      hint: "orgwarden run --config orgwarden.yaml (see orgwarden.example.yaml).",
    });
  }
  if (flags.dryRun) {
    if (flags.shard !== undefined)
      throw new OrgwardenError("INVALID_INPUT", "--dry-run plans the changes; --shard makes none", {
        hint: "Use one of them: run --dry-run shows what run would change; --shard K/N only reports.",
      });
    const dry = await planRunJob(ctx.runConfig, { session: ctx, hooks: jobHooks(ctx) });
    ctx.io.stdout.write(renderJobDryRun(dry));
    const unaudited = dry.plan.rootPlans.some(
      (r) => !("notAudited" in r) && r.accounts.some((a) => a.audit.status === "ERROR"),
    );
    const unreachable = dry.rules.some((r) => r.unreachable > 0);
    return unaudited || unreachable ? ExitCode.incomplete : ExitCode.ok;
  }
  const summary = await runJob(
    ctx.runConfig,
    { session: ctx, hooks: jobHooks(ctx) },
    {
      ...(flags.report === false ? { report: false } : {}),
      ...(flags.shard === undefined ? {} : { shard: parseShard(flags.shard) }),
    },
  );
  ctx.io.stdout.write(renderRunSummary(summary));
  return summary.exitCode;
}

export function registerRun(program: Command, action: ActionFactory): void {
  program
    .command("run")
    .description(
      "the scheduled job: inventory → SCPs → root credentials → Config rules → reports (needs --config)",
    )
    .addHelpText(
      "after",
      "\nExample: orgwarden run --config orgwarden.yaml\n" +
        "Writes orgwarden-report-<UTC time>.<ext> and latest.<ext> into report.outputDir,\n" +
        "and, when the last run left a latest.json there, changes.json and changes.txt:\n" +
        "accounts added and removed, rows that became NON_COMPLIANT or were fixed, SCP\n" +
        "drift; notify.snsTopicArn gets that summary when something got worse.\n" +
        "Every scp: entry is planned against the organization as the enforce\n" +
        "entries before it will leave it: entries that conflict (a variant one\n" +
        "detaches and another attaches, a quota only both together exceed) are\n" +
        "refused before any write. --dry-run prints every plan and writes nothing.\n" +
        "Exit 2 (nothing changed) for an invalid config, a refused SCP plan, an\n" +
        "unwritable report.outputDir, or a root: enforce entry without centralized root\n" +
        "access. Exit 1 when a step fails after others wrote: the summary lists every\n" +
        "change made (STOPPED); run again to finish. Exit 3 when an account could not\n" +
        "be reached, audited or cleaned, or\n" +
        "its findings did not reach Security Hub (report.securityHub), or the notify:\n" +
        "topic could not be published to; 4 with\n" +
        "report.failOn: non-compliant and findings, SCP drift, or root credentials found\n" +
        "by a root: detect entry.\n" +
        "Thousands of accounts: run --no-report once (the changes), then --shard 1/N …\n" +
        "N/N side by side (each writes shard-K-of-N.json), then orgwarden report merge\n" +
        "on those files. deploy/orgwarden-scheduled.yaml does this with ReportShards.\n",
    )
    .option("--no-report", "make the changes only (scp:, root:, rules:), no report")
    .option(
      "--dry-run",
      "print the plan of every scp:, root: and rules: entry (each against the organization as the entries before it leave it) and change nothing; no report is written",
    )
    .option(
      "--shard <K/N>",
      "the report only, for shard K of N, as report.outputDir/shard-K-of-N.json (merge with orgwarden report merge); no change is made",
    )
    .action(action(runScheduledJob));
}
