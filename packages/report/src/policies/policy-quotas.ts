import {
  type OrganizationsQuota,
  POLICY_TYPE_CATALOGUE,
  type PolicyTypeName,
  policyQuotaOf,
  policyTypeEntry,
} from "@orgwarden/core";

/**
 * Where a per-target quota comes from: Service Quotas (what AWS applies to this organization), the
 * default AWS publishes, or orgwarden's assumption where AWS publishes none (policy-types.ts).
 */
export type PolicyQuotaSource = "service-quotas" | "default" | "assumed";

export interface PolicyQuota {
  value: number;
  source: PolicyQuotaSource;
}

/** The per-target quota of every type, resolved once per command. */
export interface PolicyQuotas {
  perTarget(type: PolicyTypeName): PolicyQuota;
  /** Why Service Quotas was not used, when it was not. */
  notes: string[];
}

/**
 * Each type's policies-per-target quota: the applied value from Service Quotas when it names the type
 * (by name: AWS says codes change and names do not), else the catalogue's default. A failed read
 * costs only the live figures: `unread` says why, in the words of the caller (a permission, an
 * endpoint without the API).
 */
export function resolvePolicyQuotas(
  applied: readonly OrganizationsQuota[] | { unread: string },
): PolicyQuotas {
  const live = new Map<PolicyTypeName, number>();
  const notes: string[] = [];
  if ("unread" in applied) notes.push(`Service Quotas could not be read (${applied.unread}): defaults used`);
  else
    for (const q of applied) {
      const of = policyQuotaOf(q.name);
      if (of?.kind === "perTarget") live.set(of.type, q.value);
    }
  const resolved = new Map<PolicyTypeName, PolicyQuota>(
    POLICY_TYPE_CATALOGUE.map((e) => {
      const value = live.get(e.type);
      if (value !== undefined) return [e.type, { value, source: "service-quotas" }];
      return [
        e.type,
        { value: e.perTarget.value, source: e.perTarget.basis === "documented" ? "default" : "assumed" },
      ];
    }),
  );
  return {
    perTarget: (type) =>
      resolved.get(type) ?? { value: policyTypeEntry(type).perTarget.value, source: "assumed" },
    notes,
  };
}
