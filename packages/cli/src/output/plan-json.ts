import {
  type AccountResult,
  INPUT_ERROR_CODES,
  type Inventory,
  isOrgwardenError,
  type OrgAccount,
  type OrgwardenError,
  type Plan,
  requireTarget,
  type Target,
} from "@orgwarden/core";
import { describeStep } from "@orgwarden/job";
import type { AwsConfirmation, LockoutReport, ScpPlan, ScpStep } from "@orgwarden/scp";
import type { DocumentStep, Finding, PlanDocument, PlanResult } from "./plan-document-schema.js";

/*
 * The plan document of apply-scp, detach-scp and deploy-rules --output json (its schema is
 * plan-document-schema.ts): built from any Plan, or from a refusal that came before one.
 */

/** The formats of a plan: text for a person, json for CI. */
export const PLAN_OUTPUTS = ["text", "json"] as const;

/** Writes one JSON document to stdout (the only thing there with --output json). */
export function writeJson(io: { stdout: { write(s: string): unknown } }, doc: unknown): void {
  io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** What only some plans have: the SCPs' reach and lockout verdict, the accounts a rule plan could not read. */
export interface PlanDocumentParts {
  target: Target | undefined;
  affected?: PlanDocument["affected"];
  lockout?: LockoutReport | undefined;
  awsCheck?: AwsConfirmation | undefined;
  unreachable?: PlanDocument["unreachable"];
}

/**
 * The one builder of the plan document, for any plan: its changes, its steps as `documentStep`
 * says each, its notes, the parts only some plans have, and what became of it.
 */
export function planDocument<Step>(
  command: PlanDocument["command"],
  plan: Plan<Step>,
  documentStep: (step: Step) => DocumentStep,
  parts: PlanDocumentParts,
  result: PlanResult,
): PlanDocument {
  const t = parts.target;
  return {
    command,
    target: t ? { kind: t.kind, id: t.id, path: t.path } : null,
    changes: plan.changes,
    steps: plan.steps.map(documentStep),
    notes: [...plan.notes],
    affected: parts.affected ?? [],
    lockout: lockoutDocument(parts.lockout),
    awsCheck: parts.awsCheck ?? null,
    unreachable: parts.unreachable ?? [],
    result,
  };
}

/** A plan of the policy engine (apply-scp, detach-rcp, apply-s3-policy, …) as a document. */
export function scpPlanDocument(
  command: Exclude<PlanDocument["command"], "deploy-rules">,
  plan: ScpPlan,
  result: PlanResult,
): PlanDocument {
  const parts = {
    target: plan.target,
    affected: plan.affected.map((a) => ({ ...a })),
    lockout: plan.lockout,
    awsCheck: plan.awsCheck,
  };
  return planDocument(command, plan, scpDocumentStep, parts, result);
}

function scpDocumentStep(s: ScpStep): DocumentStep {
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
}

/** The lockout guard's verdict as the document has it: every probe, with whether it blocks. */
function lockoutDocument(lockout: LockoutReport | undefined): PlanDocument["lockout"] {
  if (!lockout) return null;
  return {
    path: lockout.pathDescription,
    probes: lockout.results.map((r) => ({
      label: r.probe.label,
      expect: r.probe.expect,
      decision: r.decision,
      ok: r.ok,
      blocking: r.blocking,
      detail: r.detail,
    })),
  };
}

/**
 * The document for a refusal that came before any plan (an unknown policy or OU, a quota, the
 * lockout guard): no steps, the guard's verdict when it ran, and the refusal.
 */
export function refusedPlanDocument(
  command: PlanDocument["command"],
  target: Target | undefined,
  err: OrgwardenError,
): PlanDocument {
  const nothing: Plan<never> = { changes: 0, steps: [], notes: [] };
  const lockout = lockoutOf(err.details?.lockout);
  const awsCheck = err.details?.awsCheck as AwsConfirmation | undefined;
  // A plan with no steps: the step mapping is never called.
  return planDocument(
    command,
    nothing,
    (step: never) => step,
    { target, lockout, awsCheck },
    refusedResult(err),
  );
}

/** The target --ou names, for a refusal's document; undefined when it names none. */
export function knownTarget(inventory: Inventory, idOrPath: string | undefined): Target | undefined {
  if (idOrPath === undefined) return undefined;
  try {
    return requireTarget(inventory, idOrPath);
  } catch {
    return undefined;
  }
}

/** An error that means "refused, nothing was changed" (exit 2). */
export function isRefusal(err: unknown): err is OrgwardenError {
  return isOrgwardenError(err) && INPUT_ERROR_CODES.has(err.code);
}

/** `why: refused` with the error and every finding that blocked the change. */
export function refusedResult(err: OrgwardenError): PlanResult {
  return {
    applied: false,
    why: "refused",
    refusal: {
      code: err.code,
      message: err.message,
      ...(err.hint ? { hint: err.hint } : {}),
      findings: findingsOf(err),
    },
  };
}

/** The blocking findings in a refusal's details; the message itself when it carries none. */
function findingsOf(err: OrgwardenError): Finding[] {
  const details = err.details ?? {};
  const findings: Finding[] = [];
  const lockout = lockoutOf(details.lockout);
  for (const b of lockout?.blocking ?? []) {
    findings.push({
      check: "lockout",
      target: lockout?.pathDescription,
      label: b.probe.label,
      decision: b.decision,
      detail: b.detail,
    });
  }
  if (Array.isArray(details.sharedPolicyChecks)) {
    for (const e of details.sharedPolicyChecks as Array<{ targetPath?: unknown; regressions?: unknown }>) {
      if (!Array.isArray(e.regressions)) continue;
      for (const r of e.regressions as Array<{ label: string; detail: string; accounts: number }>) {
        findings.push({
          check: "shared-policy",
          target: String(e.targetPath),
          label: r.label,
          accounts: r.accounts,
          detail: r.detail,
        });
      }
    }
  }
  if (Array.isArray(details.findings)) {
    // IAM Access Analyzer's ERROR findings on the documents the plan would write.
    for (const f of details.findings as Array<{ policy: string; issueCode: string; details: string }>) {
      findings.push({ check: "policy-validation", label: `${f.policy}: ${f.issueCode}`, detail: f.details });
    }
  }
  if (findings.length > 0) return findings;
  const check =
    typeof details.check === "string" ? details.check : err.code.toLowerCase().replaceAll("_", "-");
  return [{ check, detail: err.message }];
}

function lockoutOf(value: unknown): LockoutReport | undefined {
  const v = value as Partial<LockoutReport> | undefined;
  return v && Array.isArray(v.results) && Array.isArray(v.blocking) && typeof v.pathDescription === "string"
    ? (v as LockoutReport)
    : undefined;
}

/** Where a command puts its document once its plan exists, for documentRefusals. */
export interface PlannedDocument {
  document?: (result: PlanResult) => PlanDocument;
}

/**
 * Runs a command that prints a plan document: with --output json, a refusal (exit 2) prints the
 * document too, with `why: refused`, so CI sees which check refused. `document` gives the document
 * as far as the command got (the full plan once it exists).
 */
export async function documentRefusals<T>(
  io: { stdout: { write(s: string): unknown } },
  json: boolean,
  document: (result: PlanResult, err: OrgwardenError) => PlanDocument,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (json && isRefusal(err)) writeJson(io, document(refusedResult(err), err));
    throw err;
  }
}

/** Failed accounts of an apply, for the result. */
export function failedAccounts<T>(
  results: ReadonlyArray<AccountResult<OrgAccount, T>>,
): PlanResult["failed"] {
  return results.flatMap((r) =>
    r.ok ? [] : [{ accountId: r.account.id, name: r.account.name, reason: r.error.message }],
  );
}
