import { paginateListServiceQuotas, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import {
  type ClientFactory,
  type Credentials,
  organizationsRegion,
  policyQuotaOf,
  policyTypeEntry,
} from "@orgwarden/core";
import { type PolicyKind, SCP_KIND } from "./policy-kind.js";
import { skipReason } from "./skip-reason.js";

/**
 * SCP quotas. AWS documents 5,120 characters per SCP and, since 15 May 2026, 10 SCPs attached directly
 * per root, OU or account (5 before), and has raised them before: the applied values are read from
 * Service Quotas (service code `organizations`, in us-east-1) when the operator may, else taken from
 * the config file or flags, else these documented defaults. Every SCP attached counts, FullAWSAccess
 * and the SCPs AWS services attach themselves (tagged ManagedBy=service-access) included.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export interface ScpQuotas {
  maxPolicySize: number;
  maxPoliciesPerTarget: number;
}

export const DEFAULT_SCP_QUOTAS: ScpQuotas = { maxPolicySize: 5120, maxPoliciesPerTarget: 10 };

/**
 * RCP quotas: AWS documents 5,120 characters per RCP and publishes no number of RCPs attached per
 * root, OU or account; orgwarden assumes five (the SCPs' figure until 2026) and says so in the plan.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const DEFAULT_RCP_QUOTAS: ScpQuotas = { maxPolicySize: 5120, maxPoliciesPerTarget: 5 };

/**
 * Where a figure came from: Service Quotas, the config file or flags, AWS's documented default, or
 * orgwarden's own where AWS publishes none ("unpublished").
 */
export type QuotaSource = "service-quotas" | "configured" | "default" | "unpublished";

/**
 * The documented defaults of a kind, and the quotas AWS documents no figure for. A management type's
 * are the policy-type catalogue's, labelled there as AWS's figure or orgwarden's assumption.
 */
export function defaultQuotas(kind: PolicyKind): { quotas: ScpQuotas; unpublished: Array<keyof ScpQuotas> } {
  if (kind.category === "management") {
    const entry = policyTypeEntry(kind.type);
    return {
      quotas: { maxPolicySize: entry.maxSize.value, maxPoliciesPerTarget: entry.perTarget.value },
      unpublished: [
        ...(entry.maxSize.basis === "assumed" ? (["maxPolicySize"] as const) : []),
        ...(entry.perTarget.basis === "assumed" ? (["maxPoliciesPerTarget"] as const) : []),
      ],
    };
  }
  return kind.family === "rcp"
    ? { quotas: DEFAULT_RCP_QUOTAS, unpublished: ["maxPoliciesPerTarget"] }
    : { quotas: DEFAULT_SCP_QUOTAS, unpublished: [] };
}

export interface ResolvedScpQuotas extends ScpQuotas {
  sources: Record<keyof ScpQuotas, QuotaSource>;
  /** Why Service Quotas was not used, when it was not. */
  notes: string[];
}

export interface ResolveScpQuotasInput {
  /** Values from --max-scp-size / --max-scps-per-target or `quotas:` in the config file. */
  configured: Partial<ScpQuotas>;
  factory?: ClientFactory;
  credentials?: Credentials;
  /** SCPs (the default), RCPs, or a management kind. */
  kind?: PolicyKind;
}

/**
 * Which quota of the `organizations` service a name describes. AWS says quota codes may change and
 * names do not, so quotas are recognised by name.
 */
export function scpQuotaKind(quotaName: string): keyof ScpQuotas | undefined {
  const n = quotaName.toLowerCase();
  const scp = /service control polic|\bscps?\b/.test(n);
  if (scp && /(size|characters|length)/.test(n)) return "maxPolicySize";
  if (
    /attached|per (root|ou|organizational unit|account|target|entity)/.test(n) &&
    (scp || /policies/.test(n))
  ) {
    return /tag|backup|ai services|chat|declarative|resource control/.test(n)
      ? undefined
      : "maxPoliciesPerTarget";
  }
  return undefined;
}

/**
 * Which RCP quota of the `organizations` service a name describes: only names that say resource
 * control policies (a quota "of each type" is not taken as a published RCP figure).
 */
export function rcpQuotaKind(quotaName: string): keyof ScpQuotas | undefined {
  const n = quotaName.toLowerCase();
  if (!/resource control polic|\brcps?\b/.test(n)) return undefined;
  if (/(size|characters|length)/.test(n)) return "maxPolicySize";
  if (/attached|per (root|ou|organizational unit|account|target|entity)/.test(n))
    return "maxPoliciesPerTarget";
  return undefined;
}

/** Which quota of a management type a Service Quotas name describes (the catalogue's patterns). */
function managementQuotaKind(kind: PolicyKind, quotaName: string): keyof ScpQuotas | undefined {
  const of = policyQuotaOf(quotaName);
  if (of?.type !== kind.type) return undefined;
  return of.kind === "perTarget" ? "maxPoliciesPerTarget" : "maxPolicySize";
}

/**
 * The applied quotas of a kind: Service Quotas where it lists them, else the configured figures
 * (SCPs and RCPs), else the kind's defaults (defaultQuotas), each with where it came from.
 */
export async function resolveScpQuotas(input: ResolveScpQuotasInput): Promise<ResolvedScpQuotas> {
  const kind = input.kind ?? SCP_KIND;
  const quotaKind =
    kind.category === "management"
      ? (name: string) => managementQuotaKind(kind, name)
      : kind.family === "rcp"
        ? rcpQuotaKind
        : scpQuotaKind;
  const defaults = defaultQuotas(kind);
  const applied: Partial<ScpQuotas> = {};
  const notes: string[] = [];
  if (input.factory && input.credentials) {
    try {
      const client = input.factory.create(ServiceQuotasClient, {
        scope: "operator",
        credentials: input.credentials,
        region: organizationsRegion(input.factory.options.region),
        maxAttempts: 3,
      });
      for await (const page of paginateListServiceQuotas({ client }, { ServiceCode: "organizations" })) {
        for (const q of page.Quotas ?? []) {
          const which = quotaKind(q.QuotaName ?? "");
          if (which && typeof q.Value === "number" && q.Value > 0) applied[which] = Math.floor(q.Value);
        }
      }
      if (applied.maxPolicySize === undefined && applied.maxPoliciesPerTarget === undefined) {
        notes.push(`Service Quotas lists no ${kind.short} quota for this organization`);
      }
    } catch (err) {
      notes.push(`Service Quotas could not be read (${skipReason(err, "servicequotas:ListServiceQuotas")})`);
    }
  }
  const pick = (k: keyof ScpQuotas): [number, QuotaSource] => {
    const fromAws = applied[k];
    if (fromAws !== undefined) return [fromAws, "service-quotas"];
    const configured = input.configured[k];
    if (configured !== undefined) return [configured, "configured"];
    return [defaults.quotas[k], defaults.unpublished.includes(k) ? "unpublished" : "default"];
  };
  const [maxPolicySize, sizeSource] = pick("maxPolicySize");
  const [maxPoliciesPerTarget, perTargetSource] = pick("maxPoliciesPerTarget");
  return {
    maxPolicySize,
    maxPoliciesPerTarget,
    sources: { maxPolicySize: sizeSource, maxPoliciesPerTarget: perTargetSource },
    notes,
  };
}
