import { z } from "zod";
import {
  DURATION_HINT,
  durationMs,
  isSince,
  libraryName,
  ouRef,
  SINCE_HINT,
  SINCE_PATTERN,
} from "./field-rules.js";

/**
 * The state file's name when neither --state nor `rollout.state` says: in the current folder for
 * `orgwarden rollout`, in report.outputDir for `orgwarden run` (the folder a scheduled job keeps).
 */
export const DEFAULT_ROLLOUT_STATE = "orgwarden-rollout.json";

const duration = z.string().refine((v) => durationMs(v) !== undefined, `must be ${DURATION_HINT}`);

/** The `rollout:` section of orgwarden.yaml: the rollout `orgwarden run` starts, then resumes on each run. */
export const rolloutConfigSchema = z
  .object({
    policies: z.array(libraryName).min(1).describe("the library's policies to roll out, as --policy"),
    stages: z
      .array(ouRef)
      .min(1)
      .describe("the roots, OUs or accounts to attach them to, one stage each, in order (ids or paths)"),
    soak: duration.describe(
      "how long each stage runs with the policies attached before the next starts (as --soak: 24h, 7d)",
    ),
    deliveryMargin: duration
      .optional()
      .describe(
        "how long past the soak denials are still read before a stage passes: CloudTrail's delivery delay (as --delivery-margin; default 15m)",
      ),
    state: z
      .string()
      .min(1)
      .optional()
      .describe(
        "the state file each run resumes from (default orgwarden-rollout.json in report.outputDir, the folder the container keeps between runs)",
      ),
    maxNewDenials: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("denied events a stage may cause, before it is attached and during its soak (default 0)"),
    since: z
      .string()
      .regex(SINCE_PATTERN, `must be ${SINCE_HINT}`)
      .refine(isSince, `must be ${SINCE_HINT}`)
      .optional()
      .describe("the window of recorded activity each stage's impact reads (default 14d)"),
    source: z
      .string()
      .regex(
        /^(lookup-events|s3:\/\/.+|cloudtrail-lake:.+)$/,
        "must be lookup-events, s3://bucket/prefix or cloudtrail-lake:EVENT_DATA_STORE_ARN",
      )
      .optional()
      .describe("where recorded activity is read, as --source (default lookup-events)"),
  })
  .strict()
  .describe(
    "a staged SCP rollout (orgwarden rollout): each run resumes it from its state file without waiting, after the scp: entries",
  );

export type RolloutConfig = z.infer<typeof rolloutConfigSchema>;
