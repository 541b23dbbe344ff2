import { z } from "zod";

const findingSchema = z
  .object({
    check: z
      .string()
      .describe(
        "what refused: lockout, shared-policy, policy-validation, quota, confirmation, no-deployable-account, invalid-input, not-found, …",
      ),
    target: z.string().optional().describe("where: the path the lockout guard walked, or the other target"),
    label: z.string().optional().describe("the lockout probe, or the policy and the issue code"),
    decision: z.enum(["ALLOW", "DENY"]).optional(),
    accounts: z.number().int().min(0).optional(),
    detail: z.string(),
  })
  .strict();

/**
 * `--output json` of the commands that change AWS (apply-scp, detach-scp, apply-rcp, detach-rcp,
 * apply-s3-policy, detach-s3-policy, apply-ec2-policy, detach-ec2-policy, deploy-rules): one
 * document with the plan and what became of it, so CI can gate on a plan. Its JSON Schema is
 * `orgwarden schema plan`, committed as docs/plan.schema.json.
 */
export const planDocumentSchema = z
  .object({
    command: z.enum([
      "apply-scp",
      "detach-scp",
      "apply-rcp",
      "detach-rcp",
      "apply-s3-policy",
      "detach-s3-policy",
      "apply-ec2-policy",
      "detach-ec2-policy",
      "deploy-rules",
    ]),
    target: z
      .object({ kind: z.enum(["root", "ou", "account"]), id: z.string(), path: z.string() })
      .nullable()
      .describe("the root, OU or account given with --ou; null for the whole organization"),
    changes: z.number().int().min(0).describe("steps that write to AWS"),
    steps: z.array(
      z
        .object({
          kind: z.string().describe("e.g. create-policy, attach-policy, create (a rule), skipped"),
          description: z.string(),
          policy: z.string().optional(),
          policyId: z.string().optional(),
          targetId: z.string().optional(),
          accountId: z.string().optional(),
          region: z.string().optional(),
          rule: z.string().optional(),
          reason: z.string().optional(),
        })
        .strict(),
    ),
    notes: z
      .array(z.string())
      .describe(
        "what a person should read before saying yes: an SCP plan's notes, why Config rules were skipped",
      ),
    affected: z
      .array(
        z
          .object({
            targetId: z.string(),
            path: z.string(),
            kind: z.enum(["root", "ou", "account"]),
            accounts: z.number().int().min(0),
            reason: z.enum(["target", "shared-policy"]),
            policies: z.array(z.string()),
          })
          .strict(),
      )
      .describe("roots, OUs and accounts whose accounts the changed policies reach (SCPs)"),
    lockout: z
      .object({
        path: z.string(),
        probes: z.array(
          z
            .object({
              label: z.string(),
              expect: z.enum(["ALLOW", "DENY", "ANY"]),
              decision: z.enum(["ALLOW", "DENY"]),
              ok: z.boolean(),
              blocking: z.boolean(),
              detail: z.string(),
            })
            .strict(),
        ),
      })
      .strict()
      .nullable()
      .describe("the lockout guard's verdict per probe on the policies in effect after the change (SCPs)"),
    awsCheck: z
      .object({
        mode: z.enum(["auto", "on"]),
        ran: z.boolean().describe("false: AWS could not be asked (unavailable says why)"),
        requests: z.number().int().min(0).describe("distinct probe requests the guard decided"),
        answered: z.number().int().min(0),
        agreed: z.number().int().min(0),
        calls: z.number().int().min(0).describe("iam:SimulateCustomPolicy requests, pages included"),
        notSent: z.array(z.object({ reason: z.string(), requests: z.number().int().min(0) }).strict()),
        disagreements: z.array(
          z
            .object({
              probeId: z.string(),
              probe: z.string(),
              at: z.string().describe("the last level of the path sent (the account, or the OU)"),
              action: z.string(),
              resource: z.string(),
              region: z.string().optional(),
              ours: z.enum(["ALLOW", "DENY"]),
              oursDetail: z.string(),
              aws: z.enum(["allowed", "explicitDeny", "implicitDeny"]),
              allowedByOrganizations: z.boolean().optional(),
              guardTook: z
                .enum(["orgwarden", "aws"])
                .describe("whose decision the guard used: the one that fails the probe"),
            })
            .strict(),
        ),
        unavailable: z.string().optional(),
      })
      .strict()
      .nullable()
      .describe(
        "AWS's policy simulator on every probe request of the lockout guard (--verify-with-aws); null when off or not an SCP apply",
      ),
    unreachable: z
      .array(z.object({ accountId: z.string(), name: z.string(), reason: z.string() }).strict())
      .describe("accounts that could not be planned (deploy-rules)"),
    result: z
      .object({
        applied: z.boolean(),
        why: z.enum(["applied", "dry-run", "nothing-to-do", "refused"]),
        written: z.number().int().min(0).optional(),
        failed: z
          .array(z.object({ accountId: z.string(), name: z.string(), reason: z.string() }).strict())
          .optional(),
        refusal: z
          .object({
            code: z
              .string()
              .describe("the error code: LOCKOUT_RISK, QUOTA_EXCEEDED, REFUSED, INVALID_INPUT, …"),
            message: z.string(),
            hint: z.string().optional(),
            findings: z.array(findingSchema).min(1),
          })
          .strict()
          .optional()
          .describe("why is refused (exit 2, nothing was changed): the error and every blocking finding"),
      })
      .strict(),
  })
  .strict();

export type PlanDocument = z.infer<typeof planDocumentSchema>;

export type PlanResult = PlanDocument["result"];

/** One step as the document has it. */
export type DocumentStep = PlanDocument["steps"][number];

/** A blocking finding of a refusal. */
export type Finding = z.infer<typeof findingSchema>;

export function planJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://github.com/orgwarden/orgwarden/docs/plan.schema.json",
    title: "orgwarden plan (apply-scp, detach-scp, deploy-rules --output json)",
    ...(z.toJSONSchema(planDocumentSchema) as Record<string, unknown>),
  };
}
