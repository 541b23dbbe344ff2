import {
  DescribePolicyCommand,
  ListTagsForResourceCommand,
  type OrganizationsClient,
} from "@aws-sdk/client-organizations";
import {
  accountsUnder,
  ancestorIds,
  describeAwsError,
  findTarget,
  type Inventory,
  OrgwardenError,
  requireTarget,
  type ScpSummary,
  type Target,
} from "@orgwarden/core";
import type { EvaluatedPolicy, PolicyLevel } from "./evaluate-scps.js";
import {
  type AccountPathGroup,
  buildProbes,
  checkLockoutAcross,
  type LockoutReport,
} from "./lockout-guard.js";
import { type PolicyDocument, policyDocumentSchema } from "./policy-document.js";
import { MANAGED_PREFIX, MANAGED_TAG, type RenderedPolicy, type ScpParameters } from "./render-policy.js";
import type { ScpQuotas } from "./scp-quotas.js";

export type ScpStep =
  | { kind: "enable-policy-type"; rootId: string }
  | { kind: "create-policy"; policy: RenderedPolicy }
  | { kind: "update-policy"; policy: RenderedPolicy; policyId: string }
  | { kind: "attach-policy"; policyName: string; policyId: string | undefined; targetId: string }
  | { kind: "detach-policy"; policyName: string; policyId: string; targetId: string }
  | { kind: "nothing-to-do"; policyName: string; reason: string };

export interface ScpPlan {
  action: "apply" | "detach";
  target: Target;
  steps: ScpStep[];
  /** Each policy's rendered size against the quota (apply only). */
  sizes: Array<{ name: string; size: number; max: number }>;
  attachments: { before: number; after: number; limit: number; names: string[] };
  lockout: LockoutReport | undefined;
  notes: string[];
  /** Steps that write to AWS. */
  changes: number;
}

export interface PlanScpInput {
  inventory: Inventory;
  organizations: OrganizationsClient;
  targetId: string;
  quotas: ScpQuotas;
}

export interface PlanApplyInput extends PlanScpInput {
  policies: RenderedPolicy[];
  params: ScpParameters;
  allowRoot?: boolean;
}

/**
 * Works out what apply-scp would do, reading AWS but writing nothing: every check that can refuse
 * (target, quotas, ownership of same-named policies, the lockout guard) runs here, before any write.
 */
export async function planApplyScp(input: PlanApplyInput): Promise<ScpPlan> {
  const { inventory, quotas } = input;
  const target = checkTarget(input.inventory, input.targetId, input.allowRoot ?? false);
  const notes = targetNotes(inventory, target);
  if (inventory.featureSet !== "ALL") {
    throw new OrgwardenError(
      "REFUSED",
      "the organization has only consolidated billing features: SCPs are unavailable",
      {
        hint: "Enable all features in AWS Organizations, then run apply-scp again.",
      },
    );
  }
  for (const p of input.policies) {
    if (p.size > quotas.maxPolicySize) {
      throw new OrgwardenError(
        "QUOTA_EXCEEDED",
        `${p.managedName} is ${p.size} characters minified, over the SCP size quota of ${quotas.maxPolicySize}`,
        {
          hint: "Shorten the policy (fewer exempt principals), or raise --max-scp-size if Service Quotas shows a larger limit.",
        },
      );
    }
  }
  const reader = new PolicyReader(input.organizations);
  const steps: ScpStep[] = [];
  if (inventory.scpPolicyType !== "ENABLED")
    steps.push({ kind: "enable-policy-type", rootId: inventory.rootId });

  const attached = inventory.scpAttachments.get(target.id) ?? [];
  let newAttachments = 0;
  const targetLevelNew: EvaluatedPolicy[] = [];
  for (const policy of input.policies) {
    const existing = findByName(inventory, policy.managedName);
    if (!existing) {
      steps.push({ kind: "create-policy", policy });
      steps.push({
        kind: "attach-policy",
        policyName: policy.managedName,
        policyId: undefined,
        targetId: target.id,
      });
      newAttachments += 1;
      targetLevelNew.push({ name: policy.managedName, document: policy.document, managed: true });
      continue;
    }
    await reader.requireManaged(existing);
    const current = await reader.document(existing.id);
    const drifted = !sameDocument(current, policy.document);
    if (drifted) steps.push({ kind: "update-policy", policy, policyId: existing.id });
    if (attached.includes(existing.id)) {
      if (!drifted) {
        steps.push({
          kind: "nothing-to-do",
          policyName: policy.managedName,
          reason: "attached, content up to date",
        });
      }
    } else {
      steps.push({
        kind: "attach-policy",
        policyName: policy.managedName,
        policyId: existing.id,
        targetId: target.id,
      });
      newAttachments += 1;
      targetLevelNew.push({ name: policy.managedName, document: policy.document, managed: true });
    }
  }

  const after = attached.length + newAttachments;
  if (after > quotas.maxPoliciesPerTarget) {
    throw new OrgwardenError(
      "QUOTA_EXCEEDED",
      `${describeTarget(target)} has ${attached.length} SCP${attached.length === 1 ? "" : "s"} attached directly (${namesOf(inventory, attached).join(", ")}); attaching ${newAttachments} more would make ${after}, over the limit of ${quotas.maxPoliciesPerTarget}`,
      {
        hint: "Detach an SCP you no longer need from the target, attach orgwarden's policies to a parent OU instead, or raise --max-scps-per-target if Service Quotas shows a higher limit.",
      },
    );
  }

  // The policies in effect on the target after the change: inherited ones, plus the target's own
  // with managed policies replaced by the rendered library version.
  const rendered = new Map(input.policies.map((p) => [p.managedName, p]));
  const levelOf = levelReader(inventory, reader, (summary) => rendered.get(summary.name)?.document);
  const levels = await Promise.all([...ancestorIds(inventory, target.id), target.id].map(levelOf));
  const targetLevel = levels.at(-1);
  if (targetLevel) targetLevel.policies.push(...targetLevelNew);
  const inEffect = new Set(
    levels.flatMap((l) =>
      l.policies.filter((p) => p.managed).map((p) => p.name.slice(MANAGED_PREFIX.length)),
    ),
  );
  const groups = await accountPathGroups(inventory, target, levels, levelOf);
  const lockout = checkLockoutAcross(groups, buildProbes(input.params, inEffect));
  if (lockout.blocking.length > 0) {
    throw new OrgwardenError(
      "LOCKOUT_RISK",
      `refusing to apply: ${lockout.blocking.map((b) => `${b.probe.label} → ${b.decision} (${b.detail})`).join("; ")}`,
      {
        hint: "Exempt the principal (--exempt-principal ARN), scope the policy, or fix the policy named above. Nothing was changed.",
        details: { lockout },
      },
    );
  }
  return finishPlan("apply", target, steps, {
    sizes: input.policies.map((p) => ({ name: p.managedName, size: p.size, max: quotas.maxPolicySize })),
    attachments: {
      before: attached.length,
      after,
      limit: quotas.maxPoliciesPerTarget,
      names: namesOf(inventory, attached),
    },
    lockout,
    notes,
  });
}

export interface PlanDetachInput extends PlanScpInput {
  /** Managed names (orgwarden-<name>); empty means every orgwarden policy attached to the target. */
  policyNames: string[];
}

/** What detach-scp would do. Only orgwarden-managed policies are ever detached. */
export async function planDetachScp(input: PlanDetachInput): Promise<ScpPlan> {
  const { inventory } = input;
  const target = checkTarget(inventory, input.targetId, true);
  const reader = new PolicyReader(input.organizations);
  const attached = inventory.scpAttachments.get(target.id) ?? [];
  const names =
    input.policyNames.length > 0
      ? input.policyNames
      : attached.map((id) => inventory.scps.get(id)?.name ?? id).filter((n) => n.startsWith(MANAGED_PREFIX));
  const steps: ScpStep[] = [];
  let detached = 0;
  for (const name of names) {
    const existing = findByName(inventory, name);
    if (!existing) {
      steps.push({ kind: "nothing-to-do", policyName: name, reason: "no such policy in the organization" });
      continue;
    }
    await reader.requireManaged(existing);
    if (!attached.includes(existing.id)) {
      steps.push({ kind: "nothing-to-do", policyName: name, reason: "not attached to the target" });
      continue;
    }
    steps.push({ kind: "detach-policy", policyName: name, policyId: existing.id, targetId: target.id });
    detached += 1;
  }
  const after = attached.length - detached;
  if (after < 1) {
    throw new OrgwardenError(
      "REFUSED",
      `detaching would leave ${describeTarget(target)} with no SCP at all`,
      {
        hint: "Attach FullAWSAccess (or your allow-list policy) to the target first: every target keeps at least one SCP.",
      },
    );
  }
  return finishPlan("detach", target, steps, {
    sizes: [],
    attachments: {
      before: attached.length,
      after,
      limit: input.quotas.maxPoliciesPerTarget,
      names: namesOf(inventory, attached),
    },
    lockout: undefined,
    notes: targetNotes(inventory, target),
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

function checkTarget(inventory: Inventory, id: string, allowRoot: boolean): Target {
  const target = requireTarget(inventory, id);
  if (target.kind === "root" && !allowRoot) {
    throw new OrgwardenError(
      "REFUSED",
      `refusing to attach SCPs to the organization root ${id}: they would apply to every account`,
      {
        hint: "Attach to an OU instead, or pass --allow-root if that is what you mean.",
      },
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

export function describeTarget(target: Target): string {
  return `${target.kind === "account" ? "account" : target.kind === "root" ? "root" : "OU"} ${target.path} (${target.id})`;
}

function findByName(inventory: Inventory, name: string): ScpSummary | undefined {
  for (const p of inventory.scps.values()) if (p.name === name) return p;
  return undefined;
}

function namesOf(inventory: Inventory, ids: string[]): string[] {
  return ids.map((id) => inventory.scps.get(id)?.name ?? id);
}

function sameDocument(a: PolicyDocument, b: PolicyDocument): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

type LevelOf = (nodeId: string) => Promise<PolicyLevel>;

/**
 * Reads the SCPs attached directly at one root, OU or account, with their documents: managed
 * policies as the library renders them (`override`), the rest as AWS has them.
 */
function levelReader(
  inventory: Inventory,
  reader: PolicyReader,
  override: (summary: ScpSummary) => PolicyDocument | undefined,
): LevelOf {
  return async (nodeId) => {
    const policies = await Promise.all(
      (inventory.scpAttachments.get(nodeId) ?? []).map(async (id): Promise<EvaluatedPolicy> => {
        const summary = inventory.scps.get(id);
        const name = summary?.name ?? id;
        const document = (summary && override(summary)) ?? (await reader.document(id));
        return { name, document, managed: name.startsWith(MANAGED_PREFIX) };
      }),
    );
    return { nodeId, nodePath: findTarget(inventory, nodeId)?.path ?? nodeId, policies };
  };
}

/**
 * The paths below the target, one per distinct set of SCPs: the target's levels, then each
 * intermediate OU and the account itself. Active member accounts only (SCPs never apply to the
 * management account); an empty OU is evaluated at its own level.
 */
async function accountPathGroups(
  inventory: Inventory,
  target: Target,
  targetLevels: PolicyLevel[],
  levelOf: LevelOf,
): Promise<AccountPathGroup[]> {
  const accounts = (
    target.kind === "account" ? [target.account] : accountsUnder(inventory, target.id)
  ).filter((a) => a.state === "ACTIVE" && !a.isManagement);
  if (target.kind === "account" || accounts.length === 0) {
    return [{ levels: targetLevels, accountIds: accounts.map((a) => a.id) }];
  }
  const groups = new Map<string, { nodes: string[]; accountIds: string[] }>();
  for (const account of accounts) {
    const ancestors = ancestorIds(inventory, account.id);
    const below = [...ancestors.slice(ancestors.indexOf(target.id) + 1), account.id];
    const key = below.map((n) => (inventory.scpAttachments.get(n) ?? []).join(",")).join("|");
    const g = groups.get(key) ?? { nodes: below, accountIds: [] };
    g.accountIds.push(account.id);
    groups.set(key, g);
  }
  return Promise.all(
    [...groups.values()].map(async (g) => ({
      accountIds: g.accountIds,
      levels: [...targetLevels, ...(await Promise.all(g.nodes.map(levelOf)))],
    })),
  );
}

/** Reads policy documents and tags once each. */
class PolicyReader {
  readonly #org: OrganizationsClient;
  readonly #docs = new Map<string, Promise<PolicyDocument>>();

  constructor(org: OrganizationsClient) {
    this.#org = org;
  }

  document(id: string): Promise<PolicyDocument> {
    let doc = this.#docs.get(id);
    if (!doc) {
      doc = this.#read(id);
      this.#docs.set(id, doc);
    }
    return doc;
  }

  async #read(id: string): Promise<PolicyDocument> {
    let content: string | undefined;
    try {
      const out = await this.#org.send(new DescribePolicyCommand({ PolicyId: id }));
      content = out.Policy?.Content;
    } catch (err) {
      throw describeAwsError(err, "Organizations");
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(content ?? "");
    } catch {
      throw new OrgwardenError("INVALID_INPUT", `SCP ${id} has content that is not JSON`);
    }
    const doc = policyDocumentSchema.safeParse(parsed);
    if (!doc.success) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `SCP ${id} uses policy elements the lockout guard cannot read`,
        {
          hint: "orgwarden refuses to change SCPs on a path it cannot evaluate.",
        },
      );
    }
    return doc.data;
  }

  async requireManaged(policy: ScpSummary): Promise<void> {
    let tags: Array<{ Key?: string; Value?: string }> = [];
    try {
      const out = await this.#org.send(new ListTagsForResourceCommand({ ResourceId: policy.id }));
      tags = out.Tags ?? [];
    } catch (err) {
      throw describeAwsError(err, "Organizations");
    }
    if (!tags.some((t) => t.Key === MANAGED_TAG.Key && t.Value === MANAGED_TAG.Value)) {
      throw new OrgwardenError(
        "REFUSED",
        `a policy named ${policy.name} (${policy.id}) exists but is not tagged ${MANAGED_TAG.Key}=${MANAGED_TAG.Value}: orgwarden does not touch it`,
        { hint: "Rename that policy, or tag it managed-by=orgwarden if orgwarden should own it." },
      );
    }
  }
}
