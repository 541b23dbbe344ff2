import { OrgwardenError } from "@orgwarden/core";
import type { ExternalFindings } from "./access-analyzer/list-external-findings.js";
import { AskedRequests, type AwsConfirmation, confirmWithAws } from "./aws-simulator/confirm-with-aws.js";
import type { AwsVerification } from "./aws-simulator/send-calls.js";
import { effectiveAfterApply } from "./effective-policies.js";
import type { ListPrincipals } from "./exempt-principals.js";
import { checkLockoutAcross, type Decide } from "./lockout-guard.js";
import {
  describeRewrites,
  type PolicySteps,
  planTargetSteps,
  type TargetStepsInput,
} from "./plan-policy-steps.js";
import { type PolicyKind, SCP_KIND } from "./policy-kind.js";
import { probeSetting } from "./probe-setting.js";
import type { Operator } from "./probes.js";
import { buildProbes, buildResourceProbes } from "./probes.js";
import { fitAttachmentQuota } from "./quota-checks.js";
import { rcpNotes, reviewRcpEffect } from "./rcp-plan-notes.js";
import type { RenderedPolicy, TemplateParameters } from "./render-policy.js";
import { reachedAccounts } from "./resolve-target.js";
import { type AffectedTarget, finishPlan, namesOf, type ScpPlan } from "./scp-plan.js";
import { checkSharedPolicies, refuseLockout } from "./shared-policy-checks.js";
import type { PolicyValidation } from "./validate-scp-documents.js";

export interface PlanApplyInput extends TargetStepsInput<RenderedPolicy> {
  policies: RenderedPolicy[];
  /** The SCP library's parameters, or the RCP library's (with `kind` RCP_KIND). */
  params: TemplateParameters;
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
  /** Who runs orgwarden, for the RCP guard's own-access probes (default: the management account). */
  operator?: Operator;
  /** RCPs: IAM Access Analyzer's active external-access findings, to say which the change stops. */
  externalFindings?: () => Promise<ExternalFindings>;
}

/**
 * Works out what apply-scp would do, reading AWS but writing nothing: every check that can refuse
 * (target, quotas, ownership of same-named policies, AWS's policy validation, the lockout guard on
 * every account each created, updated or attached policy reaches) runs here, before any write.
 */
export async function planApplyScp(input: PlanApplyInput): Promise<ScpPlan> {
  const { quotas, params } = input;
  const kind = input.kind ?? SCP_KIND;
  checkParameters(input, kind);
  const { inventory, target, reader, planned, notes } = await planTargetSteps(input, kind, (r, id, name) =>
    r.document(id, name),
  );
  const { steps, attached, targetLevelNew, updated, replaced } = planned;
  if ("OrganizationId" in params) notes.push(...rcpNotes(planned.steps, input.operator, params));
  const after = fitAttachmentQuota(inventory, target, planned, quotas, notes, kind);

  const validation = await validateWrites(input, planned);
  if (validation?.note) notes.push(validation.note);

  const { setting, formerlyExempt } = await probeSetting(input, target, planned, notes);
  const effective = await effectiveAfterApply(
    inventory,
    target,
    reader,
    {
      rendered: input.policies,
      attached: targetLevelNew,
      detached: replaced.map((r) => r.existing.name),
    },
    kind,
  );
  const { inEffect } = effective;
  // Principals' requests under SCPs; requests to the accounts' resources under RCPs.
  const probesOf = (inEff: ReadonlySet<string>, account: string, sharingPath?: readonly string[]) =>
    "OrganizationId" in params
      ? buildResourceProbes(params, inEff, setting.forAccount(account, sharingPath))
      : buildProbes(params, inEff, setting.forAccount(account, sharingPath));
  const guard = (decide: Decide) =>
    Promise.all([
      checkLockoutAcross(
        effective.groups,
        (account, sharing) => probesOf(inEffect, account, sharing),
        decide,
        kind.many,
      ),
      checkSharedPolicies(inventory, target, updated, reader, effective.levelOf, probesOf, decide, kind),
    ] as const);
  const asked = new AskedRequests();
  let [lockout, elsewhere] = await guard(asked.decide);
  let awsCheck: AwsConfirmation | undefined;
  if (input.verifyWithAws && kind.family === "rcp") {
    // iam:SimulateCustomPolicy takes an SCP hierarchy, not RCPs: the guard is orgwarden's evaluator alone.
    notes.push(
      "AWS's policy simulator does not evaluate RCPs: the lockout check is orgwarden's evaluator alone",
    );
  } else if (input.verifyWithAws) {
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
    kind.family === "scp" &&
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
  if ("ExemptAssumeRoot" in params && !params.ExemptAssumeRoot && blocksRoot.length > 0) {
    notes.push(
      `with --block-assume-root, ${blocksRoot.join(" and ")} also ${blocksRoot.length > 1 ? "deny" : "denies"} centralized-root (AssumeRoot) sessions${blocksRoot.includes("deny-root-user") ? "" : " from outside the allowed networks"} in the accounts under ${target.path}: orgwarden root status, root remove-credentials and run's root: entries will fail there${blocksRoot.includes("deny-root-user") ? "" : " when run from elsewhere"}`,
    );
  }
  // RCPs: what they leave to other policies, and which of Access Analyzer's findings they stop.
  const rcpReview =
    "OrganizationId" in params
      ? await reviewRcpEffect({
          inventory,
          target,
          policies: input.policies,
          params,
          groups: effective.groups,
          reader,
          regions: input.regions?.length ? input.regions : ["us-east-1"],
          ...(input.externalFindings ? { externalFindings: input.externalFindings } : {}),
        })
      : undefined;
  notes.push(...(rcpReview?.notes ?? []));
  const externalAccess = rcpReview?.externalAccess;
  const { updates, replacements } = describeRewrites(inventory, target, planned, kind);
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
    policyType: kind.type,
    sizes: input.policies.map((p) => ({ name: p.managedName, size: p.size, max: quotas.maxPolicySize })),
    attachments: {
      before: attached.length,
      after,
      limit: quotas.maxPoliciesPerTarget,
      names: namesOf(inventory, attached, kind),
    },
    quotaSources: quotas.sources,
    affected,
    updates,
    replacements,
    lockout,
    awsCheck,
    ...(externalAccess ? { externalAccess } : {}),
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
  // Nothing to be written is nothing to validate: no "no findings" line for a plan that writes no policy.
  const validation =
    input.validatePolicies && written.length > 0
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

/** Refuses parameters rendered for another partition or organization, or for the other library. */
function checkParameters(input: PlanApplyInput, kind: PolicyKind): void {
  const { inventory, params } = input;
  if (params.Partition !== inventory.partition) {
    // Policies rendered for another partition would exempt nobody here (see bindPartition).
    throw new OrgwardenError(
      "INTERNAL",
      `the ${kind.short} parameters are for partition ${params.Partition}, the organization is in ${inventory.partition}`,
      { hint: "Bind the parameters to the organization's partition (bindPartition) before planning." },
    );
  }
  if ("OrganizationId" in params !== (kind.family === "rcp")) {
    throw new OrgwardenError("INTERNAL", `${kind.short} plan with the other library's parameters`, {
      hint: "Report this as a bug in orgwarden.",
    });
  }
  if ("OrganizationId" in params && params.OrganizationId !== inventory.organizationId) {
    // An identity perimeter around another organization would shut this one out of its resources.
    throw new OrgwardenError(
      "INTERNAL",
      `the RCP parameters are for organization ${params.OrganizationId}, the organization is ${inventory.organizationId}`,
      { hint: "Bind the parameters to the organization (bindOrganization) before planning." },
    );
  }
}
