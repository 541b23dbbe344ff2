import { type Inventory, type OrgAccount, type PolicyTypeName, policyTypeEntry } from "@orgwarden/core";
import type { ControlOutcome } from "../report-model.js";
import type { InvalidEffectivePolicy, PolicyOverview, TargetPolicies } from "./policy-overview.js";

const RESOURCE_TYPE: Record<TargetPolicies["targetKind"], string> = {
  root: "AWS::Organizations::Root",
  ou: "AWS::Organizations::OrganizationalUnit",
  account: "AWS::::Account",
};

/**
 * The rows of the report's `policies` source, per account:
 * - `policy-slots`, one per target and type at the quota (NON_COMPLIANT: the next policy of the type
 *   is refused there, orgwarden's included) or one slot from it (COMPLIANT, the reason says "near
 *   the quota"), and ERROR for a type whose attachments could not be read. An account's own
 *   attachments are its rows; a root's or an OU's are the management account's, where AWS
 *   Organizations keeps them, so they are in a report whose scope has the management account.
 * - `effective-policy-valid`, one per account: NON_COMPLIANT naming each type whose effective
 *   policy is invalid with its validation errors, ERROR when a type's could not be read,
 *   NOT_APPLICABLE when no type with effective policies is enabled, SKIPPED for an account that is
 *   not active.
 */
export function policyOutcomes(
  overview: PolicyOverview,
  inventory: Inventory,
  accounts: readonly OrgAccount[],
): Map<string, ControlOutcome[]> {
  const out = new Map<string, ControlOutcome[]>(accounts.map((a) => [a.id, []]));
  const add = (accountId: string, o: ControlOutcome) => out.get(accountId)?.push(o);
  const management = inventory.managementAccountId;

  for (const t of overview.targets) {
    if (t.slots.state === "ok") continue;
    const where =
      t.targetKind === "account" ? "" : `${t.targetKind === "root" ? "the root" : "OU"} ${t.targetPath}: `;
    const used = `${t.slots.attached} of ${t.slots.quota} ${typeLabel(overview, t.type)} policies attached (quota from ${t.quotaSource})`;
    add(t.targetKind === "account" ? t.targetId : management, {
      control: "policy-slots",
      status: t.slots.state === "full" ? "NON_COMPLIANT" : "COMPLIANT",
      resourceType: RESOURCE_TYPE[t.targetKind],
      resourceId: t.targetId,
      reason:
        t.slots.state === "full"
          ? `${where}${used}: no ${t.type} can be attached here`
          : `${where}${used}: ${t.slots.left} slot left, near the quota`,
    });
  }
  for (const type of overview.types) {
    for (const e of type.errors.filter((x) => x.part === "attachments"))
      add(management, {
        control: "policy-slots",
        status: "ERROR",
        resourceType: RESOURCE_TYPE.root,
        resourceId: inventory.rootId,
        reason: `${type.type}: its policies and targets could not be read: ${e.message}`,
      });
  }

  const effective = overview.types.filter((t) => t.walked && policyTypeEntry(t.type).effectivePolicies);
  const unread = effective.flatMap((t) =>
    t.errors.filter((e) => e.part === "effective-policies").map((e) => `${t.type}: ${e.message}`),
  );
  const invalidOf = new Map<string, InvalidEffectivePolicy[]>();
  for (const i of overview.invalid) invalidOf.set(i.accountId, [...(invalidOf.get(i.accountId) ?? []), i]);
  for (const account of accounts) {
    const base = { control: "effective-policy-valid" as const };
    const invalid = invalidOf.get(account.id) ?? [];
    if (account.state !== "ACTIVE")
      add(account.id, { ...base, status: "SKIPPED", reason: `account is ${account.state}` });
    else if (invalid.length > 0)
      add(account.id, { ...base, status: "NON_COMPLIANT", reason: invalid.map(describeInvalid).join("; ") });
    else if (unread.length > 0)
      add(account.id, {
        ...base,
        status: "ERROR",
        reason: `invalid effective policies could not be read: ${unread.join("; ")}`,
      });
    else if (effective.length === 0)
      add(account.id, {
        ...base,
        status: "NOT_APPLICABLE",
        reason: "no policy type with effective policies is enabled at the root",
      });
    else
      add(account.id, {
        ...base,
        status: "COMPLIANT",
        reason: `no invalid effective policy of ${effective.map((t) => t.type).join(", ")}`,
      });
  }
  return out;
}

function typeLabel(overview: PolicyOverview, type: PolicyTypeName): string {
  return overview.types.find((t) => t.type === type)?.label ?? type;
}

function describeInvalid(i: InvalidEffectivePolicy): string {
  if (i.errors.length === 0)
    return `${i.type}: invalid effective policy${i.error ? ` (its errors could not be read: ${i.error})` : ""}`;
  return `${i.type}: ${i.errors
    .map(
      (e) =>
        `${e.code}${e.path ? ` at ${e.path}` : ""}${e.message ? ` (${e.message})` : ""}${e.contributingPolicies.length ? ` from ${e.contributingPolicies.join(", ")}` : ""}`,
    )
    .join(", ")}`;
}
