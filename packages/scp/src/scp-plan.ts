import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Inventory, Plan, Target } from "@orgwarden/core";
import type { ExternalAccessReport } from "./access-analyzer/judge-external-access.js";
import type { AwsConfirmation } from "./aws-simulator/confirm-with-aws.js";
import type { LockoutReport } from "./lockout-guard.js";
import { type EnginePolicyType, type PolicyKind, policiesOf, SCP_KIND } from "./policy-kind.js";
import type { RenderedPolicy } from "./render-policy.js";
import type { QuotaSource, ScpQuotas } from "./scp-quotas.js";
import type { PolicyValidation } from "./validate-scp-documents.js";

/**
 * What a step writes of a policy, whatever made it: a library template's rendering (SCPs, RCPs) or
 * a declarative parameter set's (packages/scp/src/declarative/).
 */
export type WrittenPolicy = Pick<RenderedPolicy, "managedName" | "description" | "content" | "tags">;

export type ScpStep =
  | { kind: "enable-policy-type"; rootId: string; policyType: EnginePolicyType }
  | { kind: "create-policy"; policy: WrittenPolicy }
  | { kind: "update-policy"; policy: WrittenPolicy; policyId: string }
  | { kind: "attach-policy"; policyName: string; policyId: string | undefined; targetId: string }
  | { kind: "detach-policy"; policyName: string; policyId: string; targetId: string }
  | { kind: "delete-policy"; policyName: string; policyId: string }
  | { kind: "tag-policy"; policy: WrittenPolicy; policyId: string; removeKeys: string[] }
  | { kind: "nothing-to-do"; policyName: string; reason: string };

/** A root, OU or account whose accounts the plan's policies reach. */
export interface AffectedTarget {
  targetId: string;
  path: string;
  kind: Target["kind"];
  /** Active member accounts at or below it. */
  accounts: number;
  /** The plan's own target, or another target of a policy the plan updates in place. */
  reason: "target" | "shared-policy";
  policies: string[];
}

export interface PolicyUpdate {
  policy: string;
  policyId: string;
  /** The pretty-printed documents, line by line: `- ` removed, `+ ` added, `  ` unchanged. */
  diff: string[];
  /** Other roots, OUs and accounts the policy is attached to: the update changes it there too. */
  alsoAttachedTo: string[];
}

/** Another variant of a library policy on the target, detached for the one the parameters now render. */
export interface PolicyReplacement {
  from: string;
  fromId: string;
  to: string;
  /** From the old variant's document to the new one, as in PolicyUpdate. */
  diff: string[];
}

/** What an in-place update would take away on another target of the same policy. */
export interface SharedPolicyRegression {
  targetPath: string;
  accounts: number;
  /** Probes allowed there today and denied after the update. */
  regressions: Array<{ label: string; detail: string; accounts: number }>;
}

export interface ScpPlan extends Plan<ScpStep> {
  action: "apply" | "detach";
  /** SCPs, RCPs, S3 or EC2 declarative policies: what every step of the plan creates, attaches or detaches. */
  policyType: EnginePolicyType;
  target: Target;
  steps: ScpStep[];
  /** Each policy's rendered size against the quota (apply only). */
  sizes: Array<{ name: string; size: number; max: number }>;
  attachments: { before: number; after: number; limit: number; names: string[] };
  /** Where each quota came from: Service Quotas, the config/flags, or AWS's documented default. */
  quotaSources: Record<keyof ScpQuotas, QuotaSource> | undefined;
  affected: AffectedTarget[];
  updates: PolicyUpdate[];
  replacements: PolicyReplacement[];
  lockout: LockoutReport | undefined;
  /** AWS's policy simulator on the guard's requests (apply only; absent with --verify-with-aws off). */
  awsCheck?: AwsConfirmation | undefined;
  /** RCPs: which active external-access findings of IAM Access Analyzer the change would stop. */
  externalAccess?: ExternalAccessReport | undefined;
  sharedPolicyChecks: SharedPolicyRegression[];
  validation: PolicyValidation | undefined;
  notes: string[];
  /** Steps that write to AWS. */
  changes: number;
}

export interface PlanScpInput {
  inventory: Inventory;
  organizations: OrganizationsClient;
  targetId: string;
  quotas: ScpQuotas & { sources?: Record<keyof ScpQuotas, QuotaSource>; notes?: string[] };
  /** SCPs (the default), RCPs, or a management kind (S3, EC2 declarative). */
  kind?: PolicyKind;
}

export function finishPlan(
  action: ScpPlan["action"],
  target: Target,
  steps: ScpStep[],
  rest: Omit<ScpPlan, "action" | "target" | "steps" | "changes">,
): ScpPlan {
  return { action, target, steps, changes: steps.filter((s) => s.kind !== "nothing-to-do").length, ...rest };
}

/** The names of the policies with these ids (the id itself for one the inventory does not know). */
export function namesOf(inventory: Inventory, ids: string[], kind: PolicyKind = SCP_KIND): string[] {
  const { policies } = policiesOf(inventory, kind);
  return ids.map((id) => policies.get(id)?.name ?? id);
}
