import type { ApiCallCounts, ClientFactoryOptions, LogLevel, OrgAccount } from "@orgwarden/core";
import { OrgwardenError } from "@orgwarden/core";
import type { RootAccessFeatures } from "@orgwarden/root";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { TrailJudgement } from "../checks/trails.js";
import type { AccountEvaluationSettings } from "../evaluate-account.js";

/**
 * What passes between the report and its evaluation worker threads. Everything here is plain data
 * (structured clone): an OrgwardenError travels as its code, message, hint and details.
 */
export interface WireError {
  code: OrgwardenError["code"];
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** How a worker reaches AWS as the command does, and what it evaluates. */
export interface EvaluationWorkerSetup {
  settings: AccountEvaluationSettings;
  factory: Omit<ClientFactoryOptions, "callCounter">;
  assumer: {
    managementAccountId: string;
    operatorAccountId: string;
    roleName: string;
    externalId?: string | undefined;
    sessionName: string;
    partition: string;
  };
  /** The operator's credentials as resolved by the main thread; the worker asks again before they expire. */
  operatorCredentials: AwsCredentialIdentity;
  logLevel: LogLevel;
  /** The management account's organization trails, judged once by the main thread. */
  organizationTrails: TrailJudgement[];
  /** Centralized root access as the main thread read it (the features, read once). */
  rootAccess?: { audits: boolean; features: WireResult<RootAccessFeatures> };
}

export type ToWorker =
  | { type: "evaluate"; id: number; account: OrgAccount }
  | { type: "credentials"; id: number; result: WireResult<AwsCredentialIdentity> }
  | { type: "close" };

export type FromWorker =
  /** The findings as JSON (findings-json.ts). */
  | { type: "result"; id: number; result: WireResult<string> }
  | { type: "credentials"; id: number }
  | { type: "log"; level: number; record: Record<string, unknown> }
  /** A call of account `scope` waits `ms` (a back-off or a throttled scope's pause): its place is lent meanwhile. */
  | { type: "wait"; scope: string; ms: number }
  | { type: "closed"; counts: ApiCallCounts };

export function errorToWire(err: OrgwardenError): WireError {
  return {
    code: err.code,
    message: err.message,
    ...(err.hint ? { hint: err.hint } : {}),
    ...(err.details ? { details: err.details } : {}),
  };
}

export function errorFromWire(e: WireError): OrgwardenError {
  return new OrgwardenError(e.code, e.message, {
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}
