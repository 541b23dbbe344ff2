import { paginateListServiceQuotas, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import {
  type ClientFactory,
  type Credentials,
  organizationsRegion,
  POLICY_TYPES,
  policyQuotaOf,
  policyTypeEntry,
} from "@orgwarden/core";
import { type PolicyKind, RCP_KIND, SCP_KIND } from "./policy-kind.js";
import { skipReason } from "./skip-reason.js";

/**
 * The quotas of a policy type orgwarden writes: the most characters in one policy and the policies
 * attached directly per root, OU or account. AWS has raised them before, so the applied values are
 * read from Service Quotas (service code `organizations`, in us-east-1) when the operator may, else
 * taken from the config file or flags, else the policy-type catalogue's defaults (core's
 * policy-types.ts: the one place that says AWS's figure, or orgwarden's assumption where AWS
 * publishes none). Every policy attached counts, the full-access policies (FullAWSAccess,
 * RCPFullAWSAccess) and those AWS services attach themselves (ManagedBy=service-access) included.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export interface ScpQuotas {
  maxPolicySize: number;
  maxPoliciesPerTarget: number;
}

/**
 * Where a figure came from: Service Quotas, the config file or flags, AWS's documented default, or
 * orgwarden's own where AWS publishes none ("unpublished").
 */
export type QuotaSource = "service-quotas" | "configured" | "default" | "unpublished";

/** A kind's defaults from the policy-type catalogue, and which of them AWS publishes no figure for. */
export function defaultQuotas(kind: PolicyKind): { quotas: ScpQuotas; unpublished: Array<keyof ScpQuotas> } {
  const entry = policyTypeEntry(kind.type);
  return {
    quotas: { maxPolicySize: entry.maxSize.value, maxPoliciesPerTarget: entry.perTarget.value },
    unpublished: [
      ...(entry.maxSize.basis === "assumed" ? (["maxPolicySize"] as const) : []),
      ...(entry.perTarget.basis === "assumed" ? (["maxPoliciesPerTarget"] as const) : []),
    ],
  };
}

export const DEFAULT_SCP_QUOTAS: ScpQuotas = defaultQuotas(SCP_KIND).quotas;
export const DEFAULT_RCP_QUOTAS: ScpQuotas = defaultQuotas(RCP_KIND).quotas;

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
 * Which quota of a kind a Service Quotas name describes, by the catalogue's name patterns (AWS says
 * quota codes may change and names do not). A per-target name that names no type ("policies of each
 * type attached to a root, OU or account") is taken for SCPs only, as it was before other types had
 * figures of their own.
 */
export function quotaKindOf(kind: PolicyKind, quotaName: string): keyof ScpQuotas | undefined {
  const of = policyQuotaOf(quotaName);
  if (of) {
    if (of.type !== kind.type) return undefined;
    return of.kind === "perTarget" ? "maxPoliciesPerTarget" : "maxPolicySize";
  }
  const n = quotaName.toLowerCase();
  const unnamedPerTarget =
    /\bpolicies\b/.test(n) &&
    /attached|per (root|ou|organizational unit|account|target|entity)/.test(n) &&
    !POLICY_TYPES.some((t) => policyTypeEntry(t).quotaName.test(n));
  return kind.type === "SERVICE_CONTROL_POLICY" && unnamedPerTarget ? "maxPoliciesPerTarget" : undefined;
}

/**
 * The applied quotas of a kind: Service Quotas where it lists them, else the configured figures
 * (SCPs and RCPs), else the kind's defaults (defaultQuotas), each with where it came from.
 */
export async function resolveScpQuotas(input: ResolveScpQuotasInput): Promise<ResolvedScpQuotas> {
  const kind = input.kind ?? SCP_KIND;
  const quotaKind = (name: string) => quotaKindOf(kind, name);
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
