import { OrgwardenError } from "@orgwarden/core";
import { ExitCode, openRootAccess } from "@orgwarden/job";
import { paintPlanLine } from "@orgwarden/report";
import { applyRootEnable, describeRootEnableStep, planRootEnable } from "@orgwarden/root";
import type { CommandContext } from "../command.js";
import { confirmChange } from "../confirm-change.js";

export interface RootEnableFlags {
  dryRun?: boolean;
  yes?: boolean;
}

/** `orgwarden root enable`: trusted access for IAM, then RootCredentialsManagement and RootSessions. */
export async function runRootEnable(ctx: CommandContext, flags: RootEnableFlags): Promise<number> {
  const inventory = await ctx.inventory();
  if (inventory.featureSet !== "ALL") {
    throw new OrgwardenError(
      "REFUSED",
      `organization ${inventory.organizationId} does not have all features enabled`,
      {
        hint: "Centralized root access needs all features (organizations:EnableAllFeatures); nothing was changed.",
      },
    );
  }
  const { iam, organizations, features } = await openRootAccess(ctx, inventory);
  const steps = planRootEnable(features);
  const out = ctx.io.stdout;
  out.write(`Centralized root access in ${inventory.organizationId}:\n`);
  if (steps.length === 0)
    out.write("  = trusted access for IAM, RootCredentialsManagement and RootSessions are already on\n");
  for (const step of steps) out.write(`${paintPlanLine(ctx.paint, `  + ${describeRootEnableStep(step)}`)}\n`);
  const go = await confirmChange(ctx, {
    dryRun: flags.dryRun ?? false,
    yes: flags.yes ?? false,
    changes: steps.length,
    summary: `enable centralized root access (${steps.length} change${steps.length === 1 ? "" : "s"})`,
  });
  if (!go) return ExitCode.ok;
  await applyRootEnable(steps, {
    organizations,
    iam,
    onStep: (step, done, total) => out.write(`[${done}/${total}] done: ${describeRootEnableStep(step)}\n`),
  });
  out.write(
    "Done: centralized root access is on. Next: orgwarden root status, then orgwarden root remove-credentials --ou ...\n",
  );
  return ExitCode.ok;
}
