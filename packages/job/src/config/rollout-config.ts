import { z } from "zod";
import { libraryName, ouRef } from "./field-rules.js";

/**
 * The state file's name when neither --state nor `rollout.state` says: in the current folder for
 * `orgwarden rollout`, in report.outputDir for `orgwarden run` (the folder a scheduled job keeps).
 */
export const DEFAULT_ROLLOUT_STATE = "orgwarden-rollout.json";

const DURATION = /^(\d+)([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A soak or a poll interval: a whole number and a unit, `0s`, `90m`, `24h`, `7d`; undefined when malformed. */
export function durationMs(raw: string): number | undefined {
  const m = DURATION.exec(raw);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

export const DURATION_HINT = "a whole number and a unit: 0s, 90m, 24h or 7d";

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
      .regex(
        /^(\d+[dhm]|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?)$/,
        "must be a duration back from now (14d, 36h, 90m) or a UTC date (2026-11-01)",
      )
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
