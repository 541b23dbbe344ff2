import { findTarget, OrgwardenError, orgPathOf, type Target } from "@orgwarden/core";
import { AskedRequests, type AwsConfirmation, confirmWithAws } from "./aws-simulator/confirm-with-aws.js";
import type { AwsVerification } from "./aws-simulator/send-calls.js";
import { effectiveAfterApply, targetsOfPolicy } from "./effective-policies.js";
import { exemptionsOf, findExemptExamples, findRoleArn, type ListPrincipals } from "./exempt-principals.js";
import { checkLockoutAcross, type Decide } from "./lockout-guard.js";
import { type PolicySteps, planPolicySteps } from "./plan-policy-steps.js";
import { diffPolicies } from "./policy-diff.js";
import { matchesPattern } from "./policy-pattern.js";
import { PolicyReader } from "./policy-reader.js";
import { buildProbes, type ProbeSetting } from "./probes.js";
import { checkPolicySizes, fitAttachmentQuota } from "./quota-checks.js";
import type { RenderedPolicy, ScpParameters } from "./render-policy.js";
import { checkTarget, reachedAccounts, requireEveryAttachment, targetNotes } from "./resolve-target.js";
import {
  type AffectedTarget,
  finishPlan,
  namesOf,
  type PlanScpInput,
  type PolicyUpdate,
  type ScpPlan,
} from "./scp-plan.js";
import { checkSharedPolicies, refuseLockout } from "./shared-policy-checks.js";
import { skipReason } from "./skip-reason.js";
import type { PolicyValidation } from "./validate-scp-documents.js";

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
  /** AWS's policy simulator, to decide every probe request of the guard too (absent: `--verify-with-aws off`). */
  verifyWithAws?: AwsVerification;
}

/**
 * Works out what apply-scp would do, reading AWS but writing nothing: every check that can refuse
 * (target, quotas, ownership of same-named policies, AWS's policy validation, the lockout guard on
 * every account each created, updated or attached policy reaches) runs here, before any write.
 */
export async function planApplyScp(input: PlanApplyInput): Promise<ScpPlan> {
  const { inventory, quotas, params } = input;
  if (params.Partition !== inventory.partition) {
    // Policies rendered for another partition would exempt nobody here (see bindPartition).
    throw new OrgwardenError(
      "INTERNAL",
      `the SCP parameters are for partition ${params.Partition}, the organization is in ${inventory.partition}`,
      { hint: "Bind the parameters to the organization's partition (bindPartition) before planning." },
    );
  }
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
  checkPolicySizes(input.policies, quotas);
  const reader = new PolicyReader(input.organizations);
  const planned = await planPolicySteps(inventory, target, input.policies, reader);
  const { steps, attached, targetLevelNew, updated, replaced, unmanagedVariants } = planned;
  for (const v of unmanagedVariants) {
    notes.push(
      `${v} is attached to the target and named like an orgwarden policy, but is not tagged managed-by=orgwarden: left as it is (see \`orgwarden scp status\`)`,
    );
  }
  const after = fitAttachmentQuota(inventory, target, planned, quotas, notes);

  const validation = await validateWrites(input, planned);
  if (validation?.note) notes.push(validation.note);

  const { setting, formerlyExempt } = await probeSetting(input, target, planned, notes);
  const effective = await effectiveAfterApply(inventory, target, reader, {
    rendered: input.policies,
    attached: targetLevelNew,
    detached: replaced.map((r) => r.existing.name),
  });
  const { inEffect } = effective;
  const guard = (decide: Decide) =>
    Promise.all([
      checkLockoutAcross(
        effective.groups,
        (account) => buildProbes(params, inEffect, setting.forAccount(account)),
        decide,
      ),
      checkSharedPolicies(
        inventory,
        target,
        updated,
        reader,
        effective.levelOf,
        (inEff, account) => buildProbes(params, inEff, setting.forAccount(account)),
        decide,
      ),
    ] as const);
  const asked = new AskedRequests();
  let [lockout, elsewhere] = await guard(asked.decide);
  let awsCheck: AwsConfirmation | undefined;
  if (input.verifyWithAws) {
    const confirmed = await confirmWithAws(asked.all, input.verifyWithAws);
    awsCheck = confirmed.confirmation;
    // AWS disagreed: the guard again, each request decided by the engine that fails its probe.
    if (confirmed.decide) [lockout, elsewhere] = await guard(confirmed.decide);
  }
  refuseLockout(
    lockout,
    elsewhere,
    updated.map((u) => u.existing.name),
    awsCheck,
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
      "an exemption by role name is only as strong as the role: the policies keep a member-account administrator from creating, re-trusting or passing an exempt role, but not from changing its permissions or deleting it. Attach protect-exempt-roles too (--policy protect-exempt-roles).",
    );
  }
  // --block-assume-root takes the AssumeRoot exemption away on purpose; say what that costs.
  const blocksRoot = input.policies
    .map((p) => p.name)
    .filter((n) => n === "deny-root-user" || n === "restrict-source-ip");
  if (!params.ExemptAssumeRoot && blocksRoot.length > 0) {
    notes.push(
      `with --block-assume-root, ${blocksRoot.join(" and ")} also ${blocksRoot.length > 1 ? "deny" : "denies"} centralized-root (AssumeRoot) sessions${blocksRoot.includes("deny-root-user") ? "" : " from outside the allowed networks"} in the accounts under ${target.path}: orgwarden root status, root remove-credentials and run's root: entries will fail there${blocksRoot.includes("deny-root-user") ? "" : " when run from elsewhere"}`,
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
    awsCheck,
    sharedPolicyChecks: elsewhere.map(({ affected: _a, ...rest }) => rest),
    validation,
    notes,
  });
}

/** AWS's checks of the documents the plan creates or updates; refuses on any ERROR finding. */
async function validateWrites(
  input: PlanApplyInput,
  planned: Pick<PolicySteps, "steps" | "updated">,
): Promise<PolicyValidation | undefined> {
  const { steps, updated } = planned;
  const written = input.policies.filter(
    (p) =>
      steps.some((s) => s.kind === "create-policy" && s.policy === p) || updated.some((u) => u.policy === p),
  );
  const validation = input.validatePolicies
    ? await input.validatePolicies(written.map((p) => ({ name: p.managedName, content: p.content })))
    : undefined;
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
  return validation;
}

/**
 * Where the lockout guard's probes run: the regions, the organization, orgwarden's session tags,
 * an example principal for each exempt pattern, and the principals this plan stops exempting.
 */
async function probeSetting(
  input: PlanApplyInput,
  target: Target,
  planned: Pick<PolicySteps, "updated" | "replaced">,
  notes: string[],
): Promise<{ setting: { forAccount: (account: string) => ProbeSetting }; formerlyExempt: string[] }> {
  const { inventory } = input;
  // Principals today's documents exempt and the rendered ones no longer do (an update, or the
  // variant this plan replaces on the target).
  const formerlyExempt = [
    ...new Set(
      [...planned.updated, ...planned.replaced].flatMap((u) => {
        const still = new Set(exemptionsOf(u.policy.document));
        return exemptionsOf(u.current).filter((a) => !still.has(a));
      }),
    ),
  ];
  const patterns = [...input.params.ExemptPrincipalArns.slice(1), ...formerlyExempt];
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
  const toolRole = input.listPrincipals
    ? await findToolRole(
        input.params,
        reachedAccounts(inventory, target).slice(0, 2),
        input.listPrincipals,
        notes,
        // Only a policy that exempts orgwarden's role by its ARN depends on how IAM spells it.
        input.policies.some((p) => "ExemptPrincipalArns" in p.parameters),
      )
    : undefined;
  const common: Omit<ProbeSetting, "account"> = {
    regions: input.regions?.length ? input.regions : ["us-east-1"],
    organizationId: inventory.organizationId,
    ...(input.principalTags ? { principalTags: input.principalTags } : {}),
    ...(examples ? { exemptExamples: examples.examples } : {}),
    formerlyExempt,
  };
  const forAccount = (account: string): ProbeSetting => ({
    ...common,
    account,
    ownPolicies: input.policies.map((p) => p.name),
    // An empty OU is probed with a stand-in account: the organization's id alone.
    orgPath: orgPathOf(inventory, account) ?? `${inventory.organizationId}/`,
    // The role as IAM has it in the accounts listed; the same name and path elsewhere.
    ...(toolRole ? { toolRoleArn: toolRole.replace(/^(arn:[^:]+:iam::)\d{12}:/, `$1${account}:`) } : {}),
  });
  return { setting: { forAccount }, formerlyExempt };
}

/**
 * orgwarden's role as IAM names it in the first member accounts that list it. IAM role names are
 * not distinguished by case (`orgwardenrole` names the role OrgwardenRole), but aws:PrincipalArn
 * carries IAM's spelling and ArnNotLike compares case-sensitively, so policies rendered with the
 * given name would exempt nobody.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN Refused rather than rendered with IAM's spelling: the name also
 * builds every exemption and variant, and a plan should write what the configuration says.
 */
async function findToolRole(
  params: ScpParameters,
  accounts: readonly string[],
  listPrincipals: ListPrincipals,
  notes: string[],
  exemptsByArn: boolean,
): Promise<string | undefined> {
  const roleName = params.RoleName;
  for (const account of accounts) {
    const arns = await listPrincipals(account).catch((err: unknown) => {
      // Said once per account: the exempt-principal check may have said it already.
      if (notes.some((n) => n.startsWith(`could not list the roles and users of account ${account} `)))
        return undefined;
      notes.push(
        `could not list the roles of account ${account} (${skipReason(err, "iam:ListRoles")}): orgwarden's role was probed as …:role/${roleName}, not as IAM spells it`,
      );
      return undefined;
    });
    const arn = arns && findRoleArn(roleName, arns);
    if (!arn) continue;
    if (!exemptsByArn) return arn;
    const actual = arn.split("/").at(-1) as string;
    if (actual !== roleName) {
      throw new OrgwardenError(
        "REFUSED",
        `orgwarden's role is "${actual}" in account ${account}, not "${roleName}": IAM role names are not distinguished by case, but SCP conditions compare aws:PrincipalArn case-sensitively, so these policies would not exempt orgwarden's own sessions`,
        {
          hint: `Give the name as IAM has it: --role-name ${actual} (roleName in the config file). Nothing was changed.`,
          details: { roleName, iamRoleName: actual, accountId: account },
        },
      );
    }
    // A role with a path (role/ops/OpsRole) is not role/OpsRole, which is what the policies exempt.
    const withPath = arn.replace(/^arn:[^:]+:iam::\d{12}:/, `arn:${params.Partition}:iam::*:`);
    const covered = params.ExemptPrincipalArns.some((pattern) =>
      matchesPattern(pattern, "arn", withPath.replace("::*:", `::${account}:`), undefined),
    );
    if (!covered) {
      throw new OrgwardenError(
        "REFUSED",
        `orgwarden's role is ${arn} in account ${account}: its path ${arn.slice(arn.indexOf(":role/") + 5, arn.lastIndexOf("/") + 1)} is not in the ARN the policies exempt (arn:${params.Partition}:iam::*:role/${roleName}), so they would not exempt orgwarden's own sessions`,
        {
          hint: `Exempt it with its path: --exempt-principal ${withPath} (exemptPrincipals in the config file). Nothing was changed.`,
          details: { roleName, roleArn: arn, accountId: account },
        },
      );
    }
    return arn;
  }
  return undefined;
}
