import type { AccountResult, OrgAccount } from "@orgwarden/core";
import { describeStep } from "@orgwarden/job";
import type { ScpPlan } from "@orgwarden/scp";
import { z } from "zod";

/**
 * `--output json` of the commands that change AWS (apply-scp, detach-scp, deploy-rules): one
 * document with the plan and what became of it, so CI can gate on a plan. Its JSON Schema is
 * `orgwarden schema plan`, committed as docs/plan.schema.json.
 */
export const planDocumentSchema = z
  .object({
    command: z.enum(["apply-scp", "detach-scp", "deploy-rules"]),
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
    unreachable: z
      .array(z.object({ accountId: z.string(), name: z.string(), reason: z.string() }).strict())
      .describe("accounts that could not be planned (deploy-rules)"),
    result: z
      .object({
        applied: z.boolean(),
        why: z.enum(["applied", "dry-run", "nothing-to-do"]),
        written: z.number().int().min(0).optional(),
        failed: z
          .array(z.object({ accountId: z.string(), name: z.string(), reason: z.string() }).strict())
          .optional(),
      })
      .strict(),
  })
  .strict();

export type PlanDocument = z.infer<typeof planDocumentSchema>;

/** The formats of a plan: text for a person, json for CI. */
export const PLAN_OUTPUTS = ["text", "json"] as const;

/** Writes one JSON document to stdout (the only thing there with --output json). */
export function writeJson(io: { stdout: { write(s: string): unknown } }, doc: unknown): void {
  io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}
export type PlanResult = PlanDocument["result"];

export function planJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://github.com/orgwarden/orgwarden/docs/plan.schema.json",
    title: "orgwarden plan (apply-scp, detach-scp, deploy-rules --output json)",
    ...(z.toJSONSchema(planDocumentSchema) as Record<string, unknown>),
  };
}

/** The SCP plan (apply-scp, detach-scp) as the document's plan part. */
export function scpPlanDocument(
  command: "apply-scp" | "detach-scp",
  plan: ScpPlan,
  result: PlanResult,
): PlanDocument {
  return {
    command,
    target: { kind: plan.target.kind, id: plan.target.id, path: plan.target.path },
    changes: plan.changes,
    steps: plan.steps.map((s) => {
      const base = { kind: s.kind, description: describeStep(s) };
      switch (s.kind) {
        case "create-policy":
          return { ...base, policy: s.policy.managedName };
        case "update-policy":
        case "tag-policy":
          return { ...base, policy: s.policy.managedName, policyId: s.policyId };
        case "attach-policy":
          return {
            ...base,
            policy: s.policyName,
            targetId: s.targetId,
            ...(s.policyId ? { policyId: s.policyId } : {}),
          };
        case "detach-policy":
          return { ...base, policy: s.policyName, policyId: s.policyId, targetId: s.targetId };
        case "delete-policy":
          return { ...base, policy: s.policyName, policyId: s.policyId };
        case "nothing-to-do":
          return { ...base, policy: s.policyName, reason: s.reason };
        case "enable-policy-type":
          return { ...base, targetId: s.rootId };
        default:
          return base;
      }
    }),
    affected: plan.affected.map((a) => ({ ...a })),
    lockout: plan.lockout
      ? {
          path: plan.lockout.pathDescription,
          probes: plan.lockout.results.map((r) => ({
            label: r.probe.label,
            expect: r.probe.expect,
            decision: r.decision,
            ok: r.ok,
            blocking: r.blocking,
            detail: r.detail,
          })),
        }
      : null,
    unreachable: [],
    result,
  };
}

/** Failed accounts of an apply, for the result. */
export function failedAccounts<T>(
  results: ReadonlyArray<AccountResult<OrgAccount, T>>,
): PlanResult["failed"] {
  return results.flatMap((r) =>
    r.ok ? [] : [{ accountId: r.account.id, name: r.account.name, reason: r.error.message }],
  );
}
