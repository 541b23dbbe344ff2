import type { JobHooks } from "@orgwarden/job";
import type { CommandContext } from "../command.js";
import { progressReporter } from "./progress.js";

/** The job's notices and progress on the command's stderr (progress only on a terminal). */
export function jobHooks(ctx: CommandContext): JobHooks {
  return {
    notice: (line) => ctx.io.stderr.write(`orgwarden: ${line}\n`),
    progress: (label) => progressReporter(ctx.io, label, ctx.options.quiet),
  };
}
