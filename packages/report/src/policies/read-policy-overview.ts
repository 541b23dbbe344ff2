import {
  type EffectivePolicyType,
  type OrganizationsClient,
  paginateListAccountsWithInvalidEffectivePolicy,
  paginateListEffectivePolicyValidationErrors,
  paginateListPolicies,
  paginateListRoots,
  paginateListTagsForResource,
  paginateListTargetsForPolicy,
} from "@aws-sdk/client-organizations";
import {
  accountById,
  accountsUnder,
  collectPages,
  describeAwsError,
  findTarget,
  type Inventory,
  OrgwardenError,
  POLICY_TYPE_CATALOGUE,
  type PolicyTypeName,
  policyOwner,
  policyTypeEntry,
} from "@orgwarden/core";
import pLimit from "p-limit";
import type {
  AttachedPolicy,
  InvalidEffectivePolicy,
  PolicyOverview,
  PolicyTypeReadError,
  PolicyTypeState,
  TargetPolicies,
} from "./policy-overview.js";
import type { PolicyQuota, PolicyQuotas } from "./policy-quotas.js";
import { slotsOf } from "./policy-slots.js";

export interface ReadPolicyOverviewInput {
  organizations: OrganizationsClient;
  inventory: Inventory;
  /** Default: every type of the catalogue. */
  types?: readonly PolicyTypeName[] | undefined;
  /** Only this root, OU or account and what is under it. */
  underTargetId?: string | undefined;
  quotas: PolicyQuotas;
  /** Policies read at once per type (targets, tags, validation errors). */
  concurrency?: number;
  onProgress?: (message: string) => void;
}

/**
 * Reads every requested policy type: its status at the root (ListRoots), and for an enabled type its
 * policies (ListPolicies), their targets (ListTargetsForPolicy: one paginated call per policy, as the
 * inventory reads SCPs, rather than one ListPoliciesForTarget per target and type), the tags of those
 * attached in scope (ListTagsForResource: who owns them), and for a type with effective policies
 * the accounts whose effective policy is invalid (ListAccountsWithInvalidEffectivePolicy) with their
 * errors (ListEffectivePolicyValidationErrors). Every page is followed. A failure that only one type
 * suffers (a permission, throttling past every retry) is that type's `error`; one that every call
 * would suffer (no network, no credentials) is thrown.
 */
export async function readPolicyOverview(input: ReadPolicyOverviewInput): Promise<PolicyOverview> {
  const org = input.organizations;
  const limit = pLimit(Math.max(1, input.concurrency ?? 8));
  const types = input.types ?? POLICY_TYPE_CATALOGUE.map((e) => e.type);
  const scope = scopeOf(input.inventory, input.underTargetId);
  let roots: Awaited<ReturnType<typeof listRoots>>;
  try {
    roots = await listRoots(org);
  } catch (err) {
    throw describeAwsError(err, "Organizations");
  }
  const statusOf = new Map((roots[0]?.PolicyTypes ?? []).map((t) => [t.Type, t.Status]));
  let typesDone = 0;
  const read = await Promise.all(
    types.map(async (type) => {
      const status = (statusOf.get(type) as PolicyTypeState | undefined) ?? "NOT_ENABLED";
      const result = status === "ENABLED" ? await readType(org, input, type, scope, limit) : undefined;
      typesDone++;
      input.onProgress?.(`policies: ${typesDone} of ${types.length} policy types read`);
      return { type, status, result };
    }),
  );
  const overview: PolicyOverview = { types: [], targets: [], invalid: [], notes: [...input.quotas.notes] };
  for (const { type, status, result } of read) {
    const quota = input.quotas.perTarget(type);
    const targets = result ? targetRows(input.inventory, type, result.attached, quota) : [];
    overview.targets.push(...targets);
    overview.invalid.push(...(result?.invalid ?? []));
    overview.types.push({
      type,
      label: policyTypeEntry(type).label,
      status,
      walked: result !== undefined,
      quota,
      policies: result?.policies ?? 0,
      attachments: targets.reduce((n, t) => n + t.slots.attached, 0),
      full: targets.filter((t) => t.slots.state === "full").length,
      near: targets.filter((t) => t.slots.state === "near").length,
      invalidAccounts: result?.invalid.length ?? 0,
      errors: result?.errors ?? [],
    });
  }
  overview.targets.sort(
    (a, b) => a.targetPath.localeCompare(b.targetPath) || typeOrder(a.type) - typeOrder(b.type),
  );
  overview.invalid.sort(
    (a, b) =>
      a.ouPath.localeCompare(b.ouPath) ||
      a.accountName.localeCompare(b.accountName) ||
      typeOrder(a.type) - typeOrder(b.type),
  );
  return overview;
}

interface TypeReading {
  policies: number;
  /** Target id → the policies attached to it directly. */
  attached: Map<string, AttachedPolicy[]>;
  invalid: InvalidEffectivePolicy[];
  errors: PolicyTypeReadError[];
}

async function readType(
  org: OrganizationsClient,
  input: ReadPolicyOverviewInput,
  type: PolicyTypeName,
  scope: ReadonlySet<string> | undefined,
  limit: ReturnType<typeof pLimit>,
): Promise<TypeReading> {
  const reading: TypeReading = { policies: 0, attached: new Map(), invalid: [], errors: [] };
  const inScope = (id: string) => !scope || scope.has(id);
  const failed = (part: PolicyTypeReadError["part"]) => (err: unknown) => {
    reading.errors.push({ part, message: partialFailure(err).message });
  };
  const attachments = async () => {
    const policies = await collectPages(
      paginateListPolicies({ client: org, pageSize: 20 }, { Filter: type }),
      (p) => p.Policies,
    );
    reading.policies = policies.length;
    await Promise.all(
      policies.map((p) =>
        limit(async () => {
          if (!p.Id) return;
          const targets = await collectPages(
            paginateListTargetsForPolicy({ client: org, pageSize: 20 }, { PolicyId: p.Id }),
            (page) => page.Targets,
          );
          const here = targets.flatMap((t) => (t.TargetId && inScope(t.TargetId) ? [t.TargetId] : []));
          if (here.length === 0) return;
          const awsManaged = p.AwsManaged ?? false;
          // AWS's own policies carry no tags that could say otherwise: one call saved per type.
          const tags = awsManaged
            ? []
            : await collectPages(
                paginateListTagsForResource({ client: org }, { ResourceId: p.Id }),
                (page) => page.Tags,
              );
          const policy: AttachedPolicy = {
            id: p.Id,
            name: p.Name ?? p.Id,
            owner: policyOwner({ name: p.Name ?? "", awsManaged, tags }),
          };
          for (const id of here) reading.attached.set(id, [...(reading.attached.get(id) ?? []), policy]);
        }),
      ),
    );
  };
  // Only called for a type the catalogue (kept equal to the SDK's EffectivePolicyType) marks so.
  const effectiveType = type as EffectivePolicyType;
  const invalidAccounts = async () => {
    const accounts = await collectPages(
      paginateListAccountsWithInvalidEffectivePolicy(
        { client: org, pageSize: 20 },
        { PolicyType: effectiveType },
      ),
      (p) => p.Accounts,
    );
    await Promise.all(
      accounts
        .filter((a) => a.Id && inScope(a.Id))
        .map((a) =>
          limit(async () => {
            const id = a.Id as string;
            const known = accountById(input.inventory, id);
            const row: InvalidEffectivePolicy = {
              accountId: id,
              accountName: known?.name ?? a.Name ?? id,
              ouPath: known?.ouPath ?? "",
              type,
              errors: [],
            };
            try {
              const errors = await collectPages(
                paginateListEffectivePolicyValidationErrors(
                  { client: org },
                  { AccountId: id, PolicyType: effectiveType },
                ),
                (p) => p.EffectivePolicyValidationErrors,
              );
              row.errors = errors.map((e) => ({
                code: e.ErrorCode ?? "",
                message: e.ErrorMessage ?? "",
                path: e.PathToError ?? "",
                contributingPolicies: e.ContributingPolicies ?? [],
              }));
            } catch (err) {
              row.error = partialFailure(err).message;
            }
            reading.invalid.push(row);
          }),
        ),
    );
  };
  await Promise.all([
    attachments().catch(failed("attachments")),
    policyTypeEntry(type).effectivePolicies
      ? invalidAccounts().catch(failed("effective-policies"))
      : Promise.resolve(),
  ]);
  return reading;
}

/**
 * A failure one type's reads may suffer alone, as an error to show; one every call would suffer
 * (nothing reachable, no credentials, no organization) or a bug is thrown.
 */
function partialFailure(err: unknown): OrgwardenError {
  const e = describeAwsError(err, "Organizations");
  if (["UNREACHABLE", "CREDENTIALS", "NOT_IN_ORGANIZATION", "INTERNAL"].includes(e.code)) throw e;
  return e;
}

function listRoots(org: OrganizationsClient) {
  return collectPages(paginateListRoots({ client: org, pageSize: 20 }, {}), (p) => p.Roots);
}

/** The ids of the root, OUs and accounts at or below `underTargetId`; undefined for the whole organization. */
function scopeOf(inventory: Inventory, underTargetId: string | undefined): ReadonlySet<string> | undefined {
  if (!underTargetId) return undefined;
  const unit = inventory.units.get(underTargetId);
  if (!unit) {
    if (!inventory.accounts.some((a) => a.id === underTargetId))
      throw new OrgwardenError("NOT_FOUND", `no root, OU or account ${underTargetId} in the organization`);
    return new Set([underTargetId]);
  }
  const ids = new Set<string>();
  const stack = [unit];
  for (let u = stack.pop(); u; u = stack.pop()) {
    ids.add(u.id);
    for (const c of u.childOuIds) {
      const child = inventory.units.get(c);
      if (child) stack.push(child);
    }
  }
  for (const a of accountsUnder(inventory, underTargetId)) ids.add(a.id);
  return ids;
}

function targetRows(
  inventory: Inventory,
  type: PolicyTypeName,
  attached: Map<string, AttachedPolicy[]>,
  quota: PolicyQuota,
): TargetPolicies[] {
  return [...attached].map(([targetId, policies]) => {
    const target = findTarget(inventory, targetId);
    return {
      targetId,
      targetKind:
        target?.kind ?? (/^\d{12}$/.test(targetId) ? "account" : targetId.startsWith("r-") ? "root" : "ou"),
      targetPath: target?.path ?? targetId,
      type,
      policies: [...policies].sort((a, b) => a.name.localeCompare(b.name)),
      slots: slotsOf(policies.length, quota.value),
      quotaSource: quota.source,
    };
  });
}

function typeOrder(type: PolicyTypeName): number {
  return POLICY_TYPE_CATALOGUE.findIndex((e) => e.type === type);
}
