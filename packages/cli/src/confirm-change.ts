import { OrgwardenError } from "@orgwarden/core";
import type { CommandContext } from "./command.js";
import { confirm } from "./prompt.js";

export interface ChangeGate {
  dryRun?: boolean;
  yes?: boolean;
  changes: number;
  /** "apply 3 changes to OU Root/Prod", for the prompt and the refusal. */
  summary: string;
  /** With --output json stdout holds only the document: the notes go to stderr. */
  notesToStderr?: boolean;
}

/**
 * The rule for every command that changes AWS: --dry-run only shows the plan; on a terminal the
 * plan is confirmed; without a terminal a change needs --yes, or it is refused (exit 2).
 * Returns true when the caller should apply.
 */
export async function confirmChange(ctx: CommandContext, gate: ChangeGate): Promise<boolean> {
  const out = gate.notesToStderr ? ctx.io.stderr : ctx.io.stdout;
  if (gate.changes === 0) {
    out.write("Nothing to do.\n");
    return false;
  }
  if (gate.dryRun) {
    out.write("Dry run: nothing was changed.\n");
    return false;
  }
  if (gate.yes) return true;
  if (ctx.io.interactive) {
    if (await confirm(ctx.io, `Proceed to ${gate.summary}?`)) return true;
    throw new OrgwardenError("REFUSED", "cancelled: nothing was changed", {
      details: { check: "confirmation" },
    });
  }
  throw new OrgwardenError(
    "REFUSED",
    `refusing to ${gate.summary} without confirmation: nothing was changed`,
    {
      hint: "Not on a terminal: pass --yes to apply the plan above, or --dry-run to only show it.",
      details: { check: "confirmation" },
    },
  );
}
