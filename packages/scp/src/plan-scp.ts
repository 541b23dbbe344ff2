import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  findTarget,
  type Inventory,
  MANAGED_PREFIX,
  OrgwardenError,
  requireTarget,
  type ScpSummary,
  type Target,
} from "@orgwarden/core";
import {
  accountPathGroups,
  type LevelOf,
  levelReader,
  pathLevels,
  reachedAccounts,
  targetsOfPolicy,
} from "./effective-policies.js";
import type { EvaluatedPolicy, PolicyLevel } from "./evaluate-scps.js";
import { findExemptExamples, type ListPrincipals } from "./exempt-principals.js";
import { type AccountPathGroup, checkLockoutAcross, type LockoutReport, runProbe } from "./lockout-guard.js";
import { diffPolicies } from "./policy-diff.js";
import { asList, type PolicyDocument, sameDocument, statementsOf } from "./policy-document.js";
import { PolicyReader } from "./policy-reader.js";
import { buildProbes, type ProbeSetting } from "./probes.js";
import { parseManagedName, type RenderedPolicy, type ScpParameters } from "./render-policy.js";
import type { QuotaSource, ScpQuotas } from "./scp-quotas.js";
import type { PolicyValidation } from "./validate-scp-documents.js";

export type ScpStep =
  | { kind: "enable-policy-type"; rootId: string }
  | { kind: "create-policy"; policy: RenderedPolicy }
  | { kind: "update-policy"; policy: RenderedPolicy; policyId: string }
  | { kind: "attach-policy"; policyName: string; policyId: string | undefined; targetId: string }
  | { kind: "detach-policy"; policyName: string; policyId: string; targetId: string }
  | { kind: "delete-policy"; policyName: string; policyId: string }
  | { kind: "tag-policy"; policy: RenderedPolicy; policyId: string; removeKeys: string[] }
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

export interface ScpPlan {
  action: "apply" | "detach";
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
}

export interface PlanApplyInput extends PlanScpInput {
  policies: RenderedPolicy[];
  params: ScpParameters;
  allowRoot?: boolean;
  /** How the caller's user allows the root (a flag, or a config field): the refusal names it. */
  allowRootHint?: string;
  /** Regions orgwarden calls in member accounts; the lockout guard probes each. Default us-east-1. */
  regions?: readonly string[];
  /** aws:PrincipalTag values of orgwarden's role sessions. */
  principalTags?: Readonly<Record<string, string>>;
  /** Lists an account's roles and users, to check exempt principals exist (skipped when absent). */
  listPrincipals?: ListPrincipals;
  /** AWS's own checks of the documents to be written (IAM Access Analyzer); skipped when absent. */
  validatePolicies?: (documents: Array<{ name: string; content: string }>) => Promise<PolicyValidation>;
}

/**
 * Works out what apply-scp would do, reading AWS but writing nothing: every check that can refuse
 * (target, quotas, ownership of same-named policies, AWS's policy validation, the lockout guard on
 * every account each created, updated or attached policy reaches) runs here, before any write.
 */
export async function planApplyScp(input: PlanApplyInput): Promise<ScpPlan> {
  const { inventory, quotas, params } = input;
  requireEveryAttachment(inventory);
  const target = checkTarget(inventory, input.targetId, input.allowRoot ?? false, input.allowRootHint);
  const notes = [...targetNotes(inventory, target), ...(quotas.notes ?? []).map((n) => `quotas: ${n}`)];
  if (inventory.featureSet !== "ALL") {
    throw new OrgwardenError(
      "REFUSED",
      "the organization has only consolidated billing features: SCPs are unavailable",
      { hint: "Enable all features in AWS Organizations, then run apply-scp again." },
    );
  }
  for (const p of input.policies) {
    if (p.size > quotas.maxPolicySize) {
      throw new OrgwardenError(
        "QUOTA_EXCEEDED",
        `${p.managedName} is ${p.size} characters minified, over the SCP size quota of ${quotas.maxPolicySize} (${sourceLabel(quotas.sources?.maxPolicySize)})`,
        {
          hint: "Shorten the policy (fewer exempt principals), or raise --max-scp-size (quotas.maxPolicySize in the config file) if Service Quotas shows a larger limit.",
        },
      );
    }
  }
  const reader = new PolicyReader(input.organizations);
  const { steps, attached, newAttachments, targetLevelNew, updated, replaced, unmanagedVariants } =
    await planPolicySteps(inventory, target, input.policies, reader);
  for (const v of unmanagedVariants) {
    notes.push(
      `${v} is attached to the target and named like an orgwarden policy, but is not tagged managed-by=orgwarden: left as it is (see \`orgwarden scp status\`)`,
    );
  }

  const after = attached.length + newAttachments - replaced.length;
  if (
    attached.length + newAttachments > quotas.maxPoliciesPerTarget &&
    after <= quotas.maxPoliciesPerTarget
  ) {
    // At the quota: the old variant has to go before the new one can be attached, but only once
    // the new one exists (created or updated), so a failed create leaves the old one in place.
    const detaches: ScpStep[] = steps.filter((st) => st.kind === "detach-policy");
    const rest: ScpStep[] = steps.filter((st) => st.kind !== "detach-policy");
    const firstAttach = rest.findIndex((st) => st.kind === "attach-policy");
    rest.splice(firstAttach < 0 ? rest.length : firstAttach, 0, ...detaches);
    steps.splice(0, steps.length, ...rest);
    notes.push(
      "the target is at its SCP quota, so each old variant is detached before its replacement is attached: for a moment neither is in effect",
    );
  }
  if (after > quotas.maxPoliciesPerTarget) {
    throw new OrgwardenError(
      "QUOTA_EXCEEDED",
      `${describeTarget(target)} has ${attached.length} SCP${attached.length === 1 ? "" : "s"} attached directly (${namesOf(inventory, attached).join(", ")}); attaching ${newAttachments} more would make ${after}, over the limit of ${quotas.maxPoliciesPerTarget} (${sourceLabel(quotas.sources?.maxPoliciesPerTarget)})`,
      {
        hint: "Detach an SCP you no longer need from the target, attach orgwarden's policies to a parent OU instead, or raise --max-scps-per-target (quotas.maxPoliciesPerTarget in the config file) if Service Quotas shows a higher limit.",
      },
    );
  }

  const written = input.policies.filter(
    (p) =>
      steps.some((s) => s.kind === "create-policy" && s.policy === p) || updated.some((u) => u.policy === p),
  );
  const validation = input.validatePolicies
    ? await input.validatePolicies(written.map((p) => ({ name: p.managedName, content: p.content })))
    : undefined;
  if (validation?.note) notes.push(validation.note);
  const errors = validation?.findings.filter((f) => f.findingType === "ERROR") ?? [];
  if (errors.length > 0) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `IAM Access Analyzer finds errors in the policies this plan would write: ${errors.map((f) => `${f.policy}: ${f.issueCode} (${f.details})`).join("; ")}`,
      {
        hint: "Fix the policy template (see --policy-dir) so that AWS would accept it. Nothing was changed.",
        details: { findings: errors },
      },
    );
  }

  // Principals today's documents exempt and the rendered ones no longer do (an update, or the
  // variant this plan replaces on the target).
  const formerlyExempt = [
    ...new Set(
      [...updated, ...replaced].flatMap((u) => {
        const still = new Set(exemptionsOf(u.policy.document));
        return exemptionsOf(u.current).filter((a) => !still.has(a));
      }),
    ),
  ];
  const patterns = [...params.ExemptPrincipalArns.slice(1), ...formerlyExempt];
  const examples =
    input.listPrincipals && patterns.length > 0
      ? await findExemptExamples(
          patterns,
          [
            {
              id: inventory.managementAccountId,
              label: `the management account ${inventory.managementAccountId}`,
            },
            ...reachedAccounts(inventory, target)
              .slice(0, 2)
              .map((id) => ({ id, label: `account ${id}` })),
          ],
          input.listPrincipals,
        )
      : undefined;
  notes.push(...(examples?.notes ?? []));
  const setting: Omit<ProbeSetting, "account"> = {
    regions: input.regions?.length ? input.regions : ["us-east-1"],
    organizationId: inventory.organizationId,
    ...(input.principalTags ? { principalTags: input.principalTags } : {}),
    ...(examples ? { exemptExamples: examples.examples } : {}),
    formerlyExempt,
  };

  // The policies in effect on the target after the change: inherited ones, plus the target's own
  // with managed policies replaced by the rendered library version.
  const rendered = new Map(input.policies.map((p) => [p.managedName, p]));
  const newLevelOf = levelReader(inventory, reader, (summary) => rendered.get(summary.name)?.document);
  const levels = await pathLevels(inventory, target.id, newLevelOf);
  const own = levels.at(-1);
  if (own) {
    const gone = new Set(replaced.map((r) => r.existing.name));
    own.policies = [...own.policies.filter((p) => !gone.has(p.name)), ...targetLevelNew];
  }
  const inEffect = managedNames(levels);
  const groups = await accountPathGroups(inventory, target, levels, newLevelOf);
  const lockout = checkLockoutAcross(groups, (account) =>
    buildProbes(params, inEffect, { ...setting, account }),
  );

  const elsewhere = await checkSharedPolicies(
    inventory,
    target,
    updated,
    reader,
    newLevelOf,
    (inEff, account) => buildProbes(params, inEff, { ...setting, account }),
  );
  refuseLockout(
    lockout,
    elsewhere,
    updated.map((u) => u.existing.name),
  );
  for (const pattern of formerlyExempt) {
    notes.push(
      `warning: this update removes the exemption of ${pattern} from the policies on ${target.path}`,
    );
  }

  if (
    !inEffect.has("protect-exempt-roles") &&
    input.policies.some((p) => "ExemptPrincipalArns" in p.parameters)
  ) {
    notes.push(
      "an exemption by role name is only as strong as the role: a member-account administrator could rewrite the trust policy of an exempt role and assume it. Attach protect-exempt-roles too (--policy protect-exempt-roles).",
    );
  }
  const updates: PolicyUpdate[] = updated.map((u) => ({
    policy: u.existing.name,
    policyId: u.existing.id,
    diff: diffPolicies(u.current, u.policy.document),
    alsoAttachedTo: targetsOfPolicy(inventory, u.existing.id)
      .filter((t) => t !== target.id)
      .map((t) => findTarget(inventory, t)?.path ?? t),
  }));
  const affected: AffectedTarget[] = [
    {
      targetId: target.id,
      path: target.path,
      kind: target.kind,
      accounts: reachedAccounts(inventory, target).length,
      reason: "target",
      policies: input.policies.map((p) => p.managedName),
    },
    ...elsewhere.map((e) => e.affected),
  ];
  return finishPlan("apply", target, steps, {
    sizes: input.policies.map((p) => ({ name: p.managedName, size: p.size, max: quotas.maxPolicySize })),
    attachments: {
      before: attached.length,
      after,
      limit: quotas.maxPoliciesPerTarget,
      names: namesOf(inventory, attached),
    },
    quotaSources: quotas.sources,
    affected,
    updates,
    replacements: replaced.map((r) => ({
      from: r.existing.name,
      fromId: r.existing.id,
      to: r.policy.managedName,
      diff: diffPolicies(r.current, r.policy.document),
    })),
    lockout,
    sharedPolicyChecks: elsewhere.map(({ affected: _a, ...rest }) => rest),
    validation,
    notes,
  });
}

/** Throws LOCKOUT_RISK when a probe would be locked out here or on another target of an updated policy. */
function refuseLockout(
  lockout: LockoutReport,
  elsewhere: SharedPolicyRegression[],
  updatedNames: string[],
): void {
  const blockedElsewhere = elsewhere.filter((e) => e.regressions.length > 0);
  if (lockout.blocking.length === 0 && blockedElsewhere.length === 0) return;
  const here = lockout.blocking.map((b) => `${b.probe.label} → ${b.decision} (${b.detail})`);
  const there = blockedElsewhere.flatMap((e) =>
    e.regressions.map(
      (r) =>
        `${e.targetPath}: ${r.label} would be denied (${r.detail}) in ${r.accounts} account${r.accounts === 1 ? "" : "s"}`,
    ),
  );
  const one = updatedNames.length === 1;
  throw new OrgwardenError("LOCKOUT_RISK", `refusing to apply: ${[...here, ...there].join("; ")}`, {
    hint:
      blockedElsewhere.length > 0
        ? `${updatedNames.join(", ")} ${one ? "is" : "are"} also attached elsewhere, and updating in place changes ${one ? "it" : "them"} there too: apply with the same parameters as there (--exempt-principal …, or --config), or detach ${one ? "it" : "them"} there first. Nothing was changed.`
        : "Exempt the principal (--exempt-principal ARN), scope the policy, or fix the policy named above. Nothing was changed.",
    details: { lockout, sharedPolicyChecks: elsewhere },
  });
}

interface PolicySteps {
  steps: ScpStep[];
  /** Policy ids attached to the target now. */
  attached: string[];
  newAttachments: number;
  /** Policies the plan attaches to the target, as they will be. */
  targetLevelNew: EvaluatedPolicy[];
  updated: Array<{ policy: RenderedPolicy; existing: ScpSummary; current: PolicyDocument }>;
  /** Other variants of the same library policies attached to the target: detached by this plan. */
  replaced: Array<{ policy: RenderedPolicy; existing: ScpSummary; current: PolicyDocument }>;
  /** Names of attached policies that look like variants but lack the managed tag. */
  unmanagedVariants: string[];
}

/** Create, update, attach or leave each policy: the writes, decided by reading what AWS has. */
async function planPolicySteps(
  inventory: Inventory,
  target: Target,
  policies: readonly RenderedPolicy[],
  reader: PolicyReader,
): Promise<PolicySteps> {
  const steps: ScpStep[] = [];
  if (inventory.scpPolicyType !== "ENABLED")
    steps.push({ kind: "enable-policy-type", rootId: inventory.rootId });
  const attached = inventory.scpAttachments.get(target.id) ?? [];
  const out: PolicySteps = {
    steps,
    attached,
    newAttachments: 0,
    targetLevelNew: [],
    updated: [],
    replaced: [],
    unmanagedVariants: [],
  };
  const detaches: ScpStep[] = [];
  const attach = (policy: RenderedPolicy, policyId: string | undefined) => {
    steps.push({ kind: "attach-policy", policyName: policy.managedName, policyId, targetId: target.id });
    out.newAttachments += 1;
    out.targetLevelNew.push({ name: policy.managedName, document: policy.document, managed: true });
  };
  for (const policy of policies) {
    const existing = findByName(inventory, policy.managedName);
    if (!existing) {
      steps.push({ kind: "create-policy", policy });
      attach(policy, undefined);
      continue;
    }
    await reader.requireManaged(existing);
    const current = await reader.document(existing.id, existing.name);
    const drifted = !sameDocument(current, policy.document);
    if (drifted) {
      steps.push({ kind: "update-policy", policy, policyId: existing.id });
      out.updated.push({ policy, existing, current });
    }
    // Parameters recorded in the tags (and the description) follow the library: a policy created
    // before they were recorded, or whose tags were edited, gets them back.
    const stale = staleTags(await reader.tags(existing.id), policy.tags);
    if (stale.set.length > 0 || stale.remove.length > 0) {
      steps.push({ kind: "tag-policy", policy, policyId: existing.id, removeKeys: stale.remove });
    }
    if (!attached.includes(existing.id)) attach(policy, existing.id);
    else if (!drifted) {
      steps.push({
        kind: "nothing-to-do",
        policyName: policy.managedName,
        reason: "attached, content up to date",
      });
    }
  }
  // Other variants of the same library policies on this target: the new parameters replace them.
  for (const policy of policies) {
    for (const id of attached) {
      const other = inventory.scps.get(id);
      if (!other || other.name === policy.managedName) continue;
      if (parseManagedName(other.name)?.name !== policy.name) continue;
      if (!(await reader.isManaged(other))) {
        out.unmanagedVariants.push(other.name);
        continue;
      }
      const current = await reader.document(other.id, other.name);
      out.replaced.push({ policy, existing: other, current });
      detaches.push({
        kind: "detach-policy",
        policyName: other.name,
        policyId: other.id,
        targetId: target.id,
      });
    }
  }
  steps.push(...detaches);
  return out;
}

/**
 * A managed SCP is one object: updating it for this target changes it on every other target it is
 * attached to. On each of those, every probe allowed with the document as it is now must still be
 * allowed with the new one; any probe that would lose access refuses the plan.
 */
async function checkSharedPolicies(
  inventory: Inventory,
  target: Target,
  updated: ReadonlyArray<{ policy: RenderedPolicy; existing: ScpSummary }>,
  reader: PolicyReader,
  newLevelOf: LevelOf,
  probesFor: (inEffect: ReadonlySet<string>, account: string) => ReturnType<typeof buildProbes>,
): Promise<Array<SharedPolicyRegression & { affected: AffectedTarget }>> {
  const byTarget = new Map<string, string[]>();
  for (const u of updated) {
    for (const t of targetsOfPolicy(inventory, u.existing.id)) {
      if (t === target.id) continue;
      byTarget.set(t, [...(byTarget.get(t) ?? []), u.existing.name]);
    }
  }
  const oldLevelOf = levelReader(inventory, reader);
  const out: Array<SharedPolicyRegression & { affected: AffectedTarget }> = [];
  for (const [targetId, policies] of byTarget) {
    const other = findTarget(inventory, targetId);
    if (!other) continue;
    const oldGroups = await accountPathGroups(
      inventory,
      other,
      await pathLevels(inventory, targetId, oldLevelOf),
      oldLevelOf,
    );
    const newGroups = await accountPathGroups(
      inventory,
      other,
      await pathLevels(inventory, targetId, newLevelOf),
      newLevelOf,
    );
    const regressions = new Map<string, { label: string; detail: string; accounts: number }>();
    newGroups.forEach((group: AccountPathGroup, gi) => {
      const before = oldGroups[gi] as AccountPathGroup;
      const account = group.accountIds[0] ?? inventory.managementAccountId;
      const inEffect = managedNames(group.levels);
      for (const probe of probesFor(inEffect, account)) {
        if (probe.expect === "DENY") continue;
        const was = runProbe(before.levels, probe);
        const now = runProbe(group.levels, probe);
        if (was.decision === "ALLOW" && now.decision === "DENY") {
          const r = regressions.get(probe.id) ?? { label: probe.label, detail: now.detail, accounts: 0 };
          r.accounts += group.accountIds.length;
          regressions.set(probe.id, r);
        }
      }
    });
    const accounts = reachedAccounts(inventory, other).length;
    out.push({
      targetPath: other.path,
      accounts,
      regressions: [...regressions.values()],
      affected: { targetId, path: other.path, kind: other.kind, accounts, reason: "shared-policy", policies },
    });
  }
  return out;
}

export interface PlanDetachInput extends Omit<PlanScpInput, "targetId"> {
  /** The root, OU or account to detach from; absent: only delete unused policies (deleteUnused). */
  targetId: string | undefined;
  /**
   * Library names (every variant attached to the target), or managed names with a variant suffix
   * (that variant only); empty means every orgwarden policy attached to the target.
   */
  policyNames: string[];
  /** Also delete every orgwarden-managed SCP that no root, OU or account has attached afterwards. */
  deleteUnused?: boolean;
}

/** What detach-scp would do. Only orgwarden-managed policies are ever detached or deleted. */
export async function planDetachScp(input: PlanDetachInput): Promise<ScpPlan> {
  const { inventory } = input;
  requireEveryAttachment(inventory);
  const target =
    input.targetId === undefined
      ? requireTarget(inventory, inventory.rootId)
      : checkTarget(inventory, input.targetId, true);
  const reader = new PolicyReader(input.organizations);
  const attached = input.targetId === undefined ? [] : (inventory.scpAttachments.get(target.id) ?? []);
  const attachedManaged = attached.flatMap((id) => {
    const p = inventory.scps.get(id);
    return p && parseManagedName(p.name) ? [p] : [];
  });
  const steps: ScpStep[] = [];
  const notes = input.targetId === undefined ? [] : targetNotes(inventory, target);
  const chosen = new Map<string, ScpSummary>();
  if (input.targetId !== undefined) {
    const everything = input.policyNames.length === 0;
    const wanted = everything ? attachedManaged.map((p) => p.name) : input.policyNames;
    for (const raw of wanted) {
      // A library name (require-mfa) means every variant of it; a full name (orgwarden-…) that one.
      const exact = raw.startsWith(MANAGED_PREFIX);
      const asked = parseManagedName(exact ? raw : `${MANAGED_PREFIX}${raw}`);
      const matches = attachedManaged.filter((p) =>
        exact ? p.name === raw : parseManagedName(p.name)?.name === asked?.name,
      );
      if (matches.length === 0) {
        const exists = [...inventory.scps.values()].some(
          (p) => parseManagedName(p.name)?.name === asked?.name,
        );
        steps.push({
          kind: "nothing-to-do",
          policyName: raw,
          reason: exists ? "not attached to the target" : "no such policy in the organization",
        });
      }
      for (const m of matches) chosen.set(m.id, m);
    }
  }
  for (const policy of [...chosen.values()]) {
    if (input.policyNames.length === 0 && !(await reader.isManaged(policy))) {
      // Not asked for by name: a look-alike someone else owns is left alone.
      chosen.delete(policy.id);
      notes.push(`${policy.name} (${policy.id}) is not tagged managed-by=orgwarden: left attached`);
      continue;
    }
    await reader.requireManaged(policy);
    steps.push({ kind: "detach-policy", policyName: policy.name, policyId: policy.id, targetId: target.id });
  }
  const detached = chosen.size;
  const after = attached.length - detached;
  if (input.targetId !== undefined && after < 1) {
    throw new OrgwardenError(
      "REFUSED",
      `detaching would leave ${describeTarget(target)} with no SCP at all`,
      {
        hint: "Attach FullAWSAccess (or your allow-list policy) to the target first: every target keeps at least one SCP.",
      },
    );
  }
  if (input.deleteUnused) {
    for (const policy of inventory.scps.values()) {
      if (!parseManagedName(policy.name)) continue;
      const stillAttached = targetsOfPolicy(inventory, policy.id).filter(
        (t) => !(t === target.id && chosen.has(policy.id)),
      );
      if (stillAttached.length > 0) continue;
      if (!(await reader.isManaged(policy))) {
        notes.push(
          `${policy.name} (${policy.id}) is attached nowhere but is not tagged managed-by=orgwarden: not deleted`,
        );
        continue;
      }
      steps.push({ kind: "delete-policy", policyName: policy.name, policyId: policy.id });
    }
  }
  return finishPlan("detach", target, steps, {
    sizes: [],
    attachments: {
      before: attached.length,
      after,
      limit: input.quotas.maxPoliciesPerTarget,
      names: namesOf(inventory, attached),
    },
    quotaSources: input.quotas.sources,
    affected:
      input.targetId === undefined
        ? []
        : [
            {
              targetId: target.id,
              path: target.path,
              kind: target.kind,
              accounts: reachedAccounts(inventory, target).length,
              reason: "target",
              policies: steps.flatMap((s) => (s.kind === "detach-policy" ? [s.policyName] : [])),
            },
          ],
    updates: [],
    replacements: [],
    lockout: undefined,
    sharedPolicyChecks: [],
    validation: undefined,
    notes,
  });
}

function finishPlan(
  action: ScpPlan["action"],
  target: Target,
  steps: ScpStep[],
  rest: Omit<ScpPlan, "action" | "target" | "steps" | "changes">,
): ScpPlan {
  return { action, target, steps, changes: steps.filter((s) => s.kind !== "nothing-to-do").length, ...rest };
}

function checkTarget(inventory: Inventory, id: string, allowRoot: boolean, allowRootHint?: string): Target {
  const target = requireTarget(inventory, id);
  if (target.kind === "root" && !allowRoot) {
    throw new OrgwardenError(
      "REFUSED",
      `refusing to attach SCPs to the organization root ${id}: they would apply to every account`,
      { hint: allowRootHint ?? "Attach to an OU instead, or pass --allow-root if that is what you mean." },
    );
  }
  if (target.kind === "account" && target.account.isManagement) {
    throw new OrgwardenError("REFUSED", `${id} is the management account: SCPs never affect it`, {
      hint: "Protect the management account with IAM policies and MFA on its root user instead.",
    });
  }
  return target;
}

function targetNotes(inventory: Inventory, target: Target): string[] {
  if (target.kind === "root") {
    return [
      `SCPs do not affect the management account ${inventory.managementAccountId}, which sits under the root.`,
    ];
  }
  return [];
}

/**
 * Planning counts every policy on a target (the quota of five) and evaluates every level's
 * policies (the lockout guard): an inventory that read only some SCPs' targets cannot plan.
 */
function requireEveryAttachment(inventory: Inventory): void {
  if (inventory.scpTargetsRead === "some")
    throw new OrgwardenError(
      "INTERNAL",
      "planning SCPs needs every SCP's attachments, and this inventory read only some",
      {
        hint: "Report this as a bug in orgwarden.",
      },
    );
}

export function describeTarget(target: Target): string {
  return `${target.kind === "account" ? "account" : target.kind === "root" ? "root" : "OU"} ${target.path} (${target.id})`;
}

function sourceLabel(source: QuotaSource | undefined): string {
  return source === "service-quotas"
    ? "from Service Quotas"
    : source === "configured"
      ? "from the config file or flags"
      : "AWS's documented default";
}

function findByName(inventory: Inventory, name: string): ScpSummary | undefined {
  for (const p of inventory.scps.values()) if (p.name === name) return p;
  return undefined;
}

function namesOf(inventory: Inventory, ids: string[]): string[] {
  return ids.map((id) => inventory.scps.get(id)?.name ?? id);
}

/** Library names (variant suffix removed) of the managed policies on the path. */
function managedNames(levels: readonly PolicyLevel[]): Set<string> {
  return new Set(
    levels.flatMap((l) =>
      l.policies.filter((p) => p.managed).map((p) => parseManagedName(p.name)?.name ?? p.name),
    ),
  );
}

/** Principals a document exempts: the values of ArnNotLike/ArnNotEquals on aws:PrincipalArn. */
export function exemptionsOf(doc: PolicyDocument): string[] {
  const out = new Set<string>();
  for (const st of statementsOf(doc)) {
    for (const [op, block] of Object.entries(st.Condition ?? {})) {
      if (!/^ArnNot(Like|Equals)/.test(op)) continue;
      for (const [key, values] of Object.entries(block)) {
        if (key.toLowerCase() === "aws:principalarn")
          for (const v of asList(values as string | string[])) out.add(String(v));
      }
    }
  }
  return [...out];
}

/** orgwarden:* tags to set (missing or different) and to remove (no longer rendered). */
function staleTags(
  current: ReadonlyArray<{ Key?: string; Value?: string }>,
  wanted: ReadonlyArray<{ Key: string; Value: string }>,
): { set: string[]; remove: string[] } {
  const now = new Map(current.map((t) => [t.Key ?? "", t.Value ?? ""]));
  const want = new Map(wanted.map((t) => [t.Key, t.Value]));
  return {
    set: [...want].filter(([k, v]) => now.get(k) !== v).map(([k]) => k),
    remove: [...now.keys()].filter((k) => k.startsWith("orgwarden:") && !want.has(k)),
  };
}
