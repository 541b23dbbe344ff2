import { DEFAULT_SINCE } from "@orgwarden/job";
import type { Command } from "commander";

/** The window, source and limit of recorded activity: impact, apply-scp --impact and rollout. */
export function addImpactFlags(command: Command): Command {
  return command
    .option(
      "--since <when>",
      `the window's start: a duration back from now (14d, 36h, 90m) or a UTC date (2026-11-01) (default: ${DEFAULT_SINCE})`,
    )
    .option(
      "--source <source>",
      "lookup-events (default: CloudTrail event history, 90 days of management events, in each account and region) | s3://bucket/prefix (the organization trail's objects, any age) | cloudtrail-lake:EVENT_DATA_STORE_ARN",
    )
    .option(
      "--max-new-denials <n>",
      "recorded events the change may newly deny before it counts as impact (default: 0)",
    );
}
