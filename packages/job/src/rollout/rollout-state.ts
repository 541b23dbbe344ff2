import { OrgwardenError } from "@orgwarden/core";
import { exemptTagKeysOf, type ScpParameters } from "@orgwarden/scp";
import { z } from "zod";
import { readInputFile, writeFileAtomic } from "../files/write-file-atomic.js";

/**
 * The state file of `orgwarden rollout`: what it rolls out (the policies, and the settings to render
 * them again on resume: the flags' values, never credentials), and each stage as far as it got.
 * Written whole after every step, so a run killed at any point resumes from the last step it wrote.
 */
export const ROLLOUT_STATE_KIND = "orgwarden-rollout";
export const ROLLOUT_STATE_VERSION = 1;

const time = z.iso.datetime({ offset: true });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex");

const paramsSchema = z
  .object({
    Partition: z.string().min(1),
    RoleName: z.string().min(1),
    ExemptPrincipalArns: z.array(z.string()),
    ExemptRoleArns: z.array(z.string()),
    ExemptAssumeRoot: z.boolean(),
    AllowedCidrs: z.array(z.string()),
    AllowedVpcs: z.array(z.string()),
    HasAllowedVpcs: z.boolean(),
    MfaExemptTagKey: z.string().min(1),
    NetworkExemptTagKey: z.string().min(1),
    AuditAutomationArns: z.array(z.string()),
    HasAuditAutomation: z.boolean(),
    // Added with the RCPs: a state file written before has none, and its policies use none.
    ResourceExemptTagKeys: z.array(z.string()).default(exemptTagKeysOf),
  })
  .strict() satisfies z.ZodType<ScpParameters>;

/** apply-scp's settings as the rollout started with them (ScpSettings, less what is derived). */
const scpSchema = z
  .object({
    policies: z.array(z.string().min(1)).min(1),
    allowRoot: z.boolean(),
    params: paramsSchema,
    configuredQuotas: z
      .object({
        maxPolicySize: z.number().int().min(1).optional(),
        maxPoliciesPerTarget: z.number().int().min(1).optional(),
      })
      .strict(),
    principalTags: z.record(z.string(), z.string()),
    regions: z.array(z.string().min(1)).min(1),
    awsCheck: z.object({ mode: z.enum(["auto", "on", "off"]), rate: z.number().int().min(1) }).strict(),
    /** --policy-dir: the library folder; absent: the one shipped with orgwarden. */
    policyDir: z.string().min(1).optional(),
  })
  .strict();

const policyRef = z.object({ name: z.string().min(1), id: z.string().min(1) }).strict();

const denialSeen = z
  .object({
    /** One event of the call (the first seen), to look it up in CloudTrail. */
    eventId: z.string(),
    principal: z.string(),
    action: z.string(),
    account: z.string(),
    region: z.string(),
    /** The last denial of the call. */
    eventTime: z.string(),
    /** Denied events of the call. */
    events: z.number().int().min(1),
    counted: z.boolean(),
    why: z.string(),
  })
  .strict();

const stageSchema = z
  .object({
    /** As given in --stages. */
    ref: z.string().min(1),
    id: z.string().min(1),
    path: z.string().min(1),
    status: z.enum(["pending", "attached", "passed", "rolled-back", "stopped-impact"]),
    /** New denial events the change would cause, as measured before the stage was attached. */
    impact: z
      .object({ at: time, newDenialEvents: z.number().int().min(0) })
      .strict()
      .optional(),
    /** Saved before the stage's first write: its soak reads from here (less a clock-skew margin). */
    writesFrom: time.optional(),
    attachedAt: time.optional(),
    soakUntil: time.optional(),
    /** When denials were last read during the soak. */
    lookedAt: time.optional(),
    /** Passed or rolled back at. */
    finishedAt: time.optional(),
    /**
     * The policies this stage attached (id absent only while the attach is in flight: a killed run's
     * resume finds them on the target), with the SHA-256 of the document.
     */
    attached: z.array(
      z.object({ name: z.string().min(1), id: z.string().min(1).optional(), sha256 }).strict(),
    ),
    /** Other variants of the policies on the target: detached once the soak passed. */
    pendingDetaches: z.array(policyRef),
    detached: z.array(policyRef),
    /** Denials read during the soak (the last read), counted or not and why. */
    denials: z.array(denialSeen),
  })
  .strict()
  .superRefine((stage, ctx) => {
    // A soak is judged from these two: without them a resume could neither read nor end it.
    if (stage.status !== "attached") return;
    for (const key of ["attachedAt", "soakUntil"] as const)
      if (stage[key] === undefined)
        ctx.addIssue({ code: "custom", path: [key], message: "an attached stage needs it" });
  });

export const rolloutStateSchema = z
  .object({
    kind: z.literal(ROLLOUT_STATE_KIND),
    version: z.literal(ROLLOUT_STATE_VERSION),
    organizationId: z.string().min(1),
    createdAt: time,
    updatedAt: time,
    /** The policies as rendered when the rollout started: a resume renders them again and compares. */
    policies: z.array(z.object({ name: z.string().min(1), managedName: z.string().min(1), sha256 }).strict()),
    scp: scpSchema,
    activity: z
      .object({
        /** --since as given: each stage's impact reads this far back from its own start. */
        since: z.string().min(1),
        /** --source as given. */
        source: z.string().min(1),
        /** --regions; absent: every region the management account has enabled. */
        regions: z.array(z.string().min(1)).optional(),
      })
      .strict(),
    maxNewDenials: z.number().int().min(0),
    /** --soak as given, and in milliseconds. */
    soak: z.string().min(1),
    soakMs: z.number().int().min(0),
    /**
     * --delivery-margin as given, and in milliseconds: CloudTrail delivers an event minutes after
     * the call, so a soak passes only once its read covered soakUntil plus this.
     */
    deliveryMargin: z.string().min(1),
    deliveryMarginMs: z.number().int().min(0),
    /** Warnings given when the rollout started (a soak shorter than the delivery margin). */
    notes: z.array(z.string()),
    stages: z.array(stageSchema).min(1),
  })
  .strict();

export type RolloutState = z.infer<typeof rolloutStateSchema>;
export type RolloutStage = RolloutState["stages"][number];
export type StageStatus = RolloutStage["status"];
export type DenialSeen = RolloutStage["denials"][number];
export type PolicyRef = z.infer<typeof policyRef>;

/** Every stage passed: resuming it again has nothing to do. */
export function rolloutFinished(state: RolloutState): boolean {
  return state.stages.every((s) => s.status === "passed");
}

/** Reads and validates a state file; anything else is INVALID_INPUT (exit 2) saying what is wrong. */
export function readRolloutState(file: string): RolloutState {
  const text = readInputFile(
    file,
    "the rollout state",
    "Pass the file a rollout wrote (--state, default orgwarden-rollout.json in the folder it ran in).",
  );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notState(file, "it is not JSON");
  }
  const head = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  if (head.kind !== ROLLOUT_STATE_KIND) throw notState(file, `it has no "kind": "${ROLLOUT_STATE_KIND}"`);
  if (head.version !== ROLLOUT_STATE_VERSION) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${file} is a rollout state of version ${JSON.stringify(head.version)}; this orgwarden reads version ${ROLLOUT_STATE_VERSION}`,
      { hint: "Resume it with the orgwarden version that started it." },
    );
  }
  const parsed = rolloutStateSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join(".") || "(top level)"}: ${i.message}`);
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${file} is not a valid rollout state: ${problems.join("; ")}`,
      { hint: "The file was edited or damaged. Restore it, or start a new rollout with another --state." },
    );
  }
  return parsed.data;
}

/** Writes the state whole (temporary file, flush, rename), stamped with the time of the write. */
export function writeRolloutState(file: string, state: RolloutState, now: Date): void {
  state.updatedAt = now.toISOString();
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`, { what: "the rollout state" });
}

function notState(file: string, why: string): OrgwardenError {
  return new OrgwardenError("INVALID_INPUT", `${file} is not an orgwarden rollout state file: ${why}`, {
    hint: "--resume takes the file orgwarden rollout wrote (--state, default orgwarden-rollout.json).",
  });
}
