import { z } from "zod";

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const conditionValues = z.union([
  z.string(),
  z.boolean(),
  z.number(),
  z.array(z.union([z.string(), z.boolean(), z.number()])),
]);

const principal = z.union([z.literal("*"), z.record(z.string(), stringOrList)]);

export const statementSchema = z
  .object({
    Sid: z
      .string()
      .regex(/^[A-Za-z0-9]*$/, "Sid must be letters and digits")
      .optional(),
    Effect: z.enum(["Allow", "Deny"]),
    // RCPs name their principal ("*"), as resource policies do; SCPs take none (see policy-elements.ts).
    Principal: principal.optional(),
    NotPrincipal: principal.optional(),
    Action: stringOrList.optional(),
    NotAction: stringOrList.optional(),
    Resource: stringOrList.optional(),
    NotResource: stringOrList.optional(),
    Condition: z.record(z.string(), z.record(z.string(), conditionValues)).optional(),
  })
  .strict()
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), {
    message: "a statement needs exactly one of Action and NotAction",
  })
  .refine((s) => !(s.Resource !== undefined && s.NotResource !== undefined), {
    message: "a statement takes Resource or NotResource, not both",
  });

export const policyDocumentSchema = z
  .object({
    Version: z.literal("2012-10-17"),
    Id: z.string().optional(),
    Statement: z.union([statementSchema, z.array(statementSchema).min(1)]),
  })
  .strict();

export type Statement = z.infer<typeof statementSchema>;
export type PolicyDocument = z.infer<typeof policyDocumentSchema>;

export function statementsOf(doc: PolicyDocument): Statement[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

export function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * Two documents (SCPs, RCPs, management policies) are the same policy when they are equal with
 * object keys in any order.
 */
export function sameDocument(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}
