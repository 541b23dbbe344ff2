import { findTarget, type Inventory, OrgwardenError, type ScpSummary, type Target } from "@orgwarden/core";
import type { AwsConfirmation } from "./aws-simulator/confirm-with-aws.js";
import {
  type LevelOf,
  levelReader,
  managedNames,
  readAccountPathGroups,
  targetsOfPolicy,
} from "./effective-policies.js";
import {
  type AccountPathGroup,
  type Decide,
  evaluatorDecides,
  type LockoutReport,
  runProbe,
} from "./lockout-guard.js";
import { type PolicyKind, SCP_KIND } from "./policy-kind.js";
import type { PolicyReader } from "./policy-reader.js";
import type { Probe } from "./probes.js";
import type { RenderedPolicy } from "./render-policy.js";
import { reachedAccounts } from "./resolve-target.js";
import type { AffectedTarget, SharedPolicyRegression } from "./scp-plan.js";

/**
 * A managed SCP is one object: updating it for this target changes it on every other target it is
 * attached to. On each of those, every probe allowed with the document as it is now must still be
 * allowed with the new one; any probe that would lose access refuses the plan.
 */
export async function checkSharedPolicies(
  inventory: Inventory,
  target: Target,
  updated: ReadonlyArray<{ policy: RenderedPolicy; existing: ScpSummary }>,
  reader: PolicyReader,
  newLevelOf: LevelOf,
  probesFor: (inEffect: ReadonlySet<string>, account: string) => Probe[],
  decide: Decide = evaluatorDecides,
  kind: PolicyKind = SCP_KIND,
): Promise<Array<SharedPolicyRegression & { affected: AffectedTarget }>> {
  const byTarget = new Map<string, string[]>();
  for (const u of updated) {
    for (const t of targetsOfPolicy(inventory, u.existing.id, kind)) {
      if (t === target.id) continue;
      byTarget.set(t, [...(byTarget.get(t) ?? []), u.existing.name]);
    }
  }
  const oldLevelOf = levelReader(inventory, reader, undefined, kind);
  const out: Array<SharedPolicyRegression & { affected: AffectedTarget }> = [];
  for (const [targetId, policies] of byTarget) {
    const other = findTarget(inventory, targetId);
    if (!other) continue;
    const oldGroups = await readAccountPathGroups(inventory, other, oldLevelOf, kind);
    const newGroups = await readAccountPathGroups(inventory, other, newLevelOf, kind);
    const regressions = new Map<string, { label: string; detail: string; accounts: number }>();
    newGroups.forEach((group: AccountPathGroup, gi) => {
      const before = oldGroups[gi] as AccountPathGroup;
      const account = group.accountIds[0] ?? inventory.managementAccountId;
      const inEffect = managedNames(group.levels);
      for (const probe of probesFor(inEffect, account)) {
        if (probe.expect === "DENY") continue;
        // Today's state by orgwarden's evaluator; the state after the change as the guard decides it.
        const was = runProbe(before.levels, probe);
        const now = runProbe(group.levels, probe, decide);
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

/** Throws LOCKOUT_RISK when a probe would be locked out here or on another target of an updated policy. */
export function refuseLockout(
  lockout: LockoutReport,
  elsewhere: SharedPolicyRegression[],
  updatedNames: string[],
  awsCheck?: AwsConfirmation,
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
  // Probes that know what would let them pass (trusting the runner) say it instead of the generic hint.
  const remedies = [...new Set(lockout.blocking.map((b) => b.probe.remedy))];
  const remedy = blockedElsewhere.length === 0 && remedies.every((r) => r !== undefined) ? remedies : [];
  throw new OrgwardenError("LOCKOUT_RISK", `refusing to apply: ${[...here, ...there].join("; ")}`, {
    hint:
      remedy.length > 0
        ? `${remedy.join(" ")} Nothing was changed.`
        : blockedElsewhere.length === 0 && lockout.blocking.every((b) => b.awsOnly)
          ? // Only AWS's engine sees it: one of the two reads the policy differently.
            "AWS's policy simulator and orgwarden's evaluator disagree on the request named above: look at it with `orgwarden scp simulate` (the same principal, action and --with-planned policies), and please report the case. --verify-with-aws off (verifyWithAws: off in the config file) plans on orgwarden's evaluator alone. Nothing was changed."
          : blockedElsewhere.length > 0
            ? `${updatedNames.join(", ")} ${one ? "is" : "are"} also attached elsewhere, and updating in place changes ${one ? "it" : "them"} there too: apply with the same parameters as there (--exempt-principal …, or --config), or detach ${one ? "it" : "them"} there first. Nothing was changed.`
            : lockout.blocking.every((b) => b.probe.expect === "DENY")
              ? // Nothing is locked out: the policy lets through what it exists to deny.
                "The policy named above no longer denies what it is for: use the library's own template, or fix yours (--policy-dir). Nothing was changed."
              : "Exempt the principal (--exempt-principal ARN), scope the policy, or fix the policy named above. Nothing was changed.",
    details: { lockout, sharedPolicyChecks: elsewhere, ...(awsCheck ? { awsCheck } : {}) },
  });
}
