import { TAG_EXEMPT_RCPS } from "@orgwarden/scp";
import type { Command } from "commander";

/**
 * --exempt-tag-key, for the RCP commands and the SCP commands alike: the RCPs honour the tag and
 * protect-exemption-tags protects it, so both read the one flag (and refuse it when it disagrees with
 * resourceExemptTagKeys of --config).
 */
export function addExemptTagKeyFlag(cmd: Command): Command {
  return cmd.option(
    "--exempt-tag-key <policy=key>",
    `resource tag key (value true) that takes a resource out of one RCP, ${TAG_EXEMPT_RCPS.join(", ")}, and that protect-exemption-tags keeps to the exempt principals (repeatable; default dp:exclude:identity, dp:exclude:confused-deputy, dp:exclude:secure-transport; refused when it disagrees with resourceExemptTagKeys of --config)`,
    (value: string, previous: string[] = []) => [...previous, value],
    [],
  );
}
