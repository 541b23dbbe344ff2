import type { PolicyOwner, PolicyTypeName } from "@orgwarden/core";
import type { PolicyQuota, PolicyQuotaSource } from "./policy-quotas.js";
import type { Slots } from "./policy-slots.js";

/**
 * What `orgwarden policies` and the report's policies source know of an organization's policy
 * types: read by read-policy-overview.ts, shown by the CLI, turned into rows by policy-rows.ts.
 */

/** A type's status at the root (ListRoots), or NOT_ENABLED when the root does not list it. */
export type PolicyTypeState = "ENABLED" | "PENDING_ENABLE" | "PENDING_DISABLE" | "NOT_ENABLED";

export interface PolicyTypeOverview {
  type: PolicyTypeName;
  label: string;
  status: PolicyTypeState;
  /** Only enabled types are walked; the others are listed as they are. */
  walked: boolean;
  quota: PolicyQuota;
  /** Policies of the type in the organization. */
  policies: number;
  /** Direct attachments on the targets in scope. */
  attachments: number;
  /** Targets in scope with no slot left, and with one left. */
  full: number;
  near: number;
  /** Accounts in scope whose effective policy of the type is invalid. */
  invalidAccounts: number;
  /** What could not be read of the type, and why: the rest of the type is still shown. */
  errors: PolicyTypeReadError[];
}

/** A part of a type that could not be read: its policies and their targets, or its invalid effective policies. */
export interface PolicyTypeReadError {
  part: "attachments" | "effective-policies";
  message: string;
}

export interface AttachedPolicy {
  id: string;
  name: string;
  owner: PolicyOwner;
}

/** The policies of one type attached directly to one root, OU or account. */
export interface TargetPolicies {
  targetId: string;
  targetKind: "root" | "ou" | "account";
  targetPath: string;
  type: PolicyTypeName;
  policies: AttachedPolicy[];
  slots: Slots;
  quotaSource: PolicyQuotaSource;
}

export interface EffectivePolicyError {
  code: string;
  message: string;
  /** Where in the effective policy (a JSON path). */
  path: string;
  contributingPolicies: string[];
}

export interface InvalidEffectivePolicy {
  accountId: string;
  accountName: string;
  ouPath: string;
  type: PolicyTypeName;
  errors: EffectivePolicyError[];
  /** Why the validation errors could not be read (the account is still listed as invalid). */
  error?: string;
}

/** Every policy type of the organization, what is attached where in scope, and what is invalid. */
export interface PolicyOverview {
  types: PolicyTypeOverview[];
  targets: TargetPolicies[];
  invalid: InvalidEffectivePolicy[];
  notes: string[];
}
