import { type Inventory, OrgwardenError, orgPathOf, type Target } from "@orgwarden/core";
import { exemptionsOf, findExemptExamples, findRoleArn, type ListPrincipals } from "./exempt-principals.js";
import type { PolicySteps } from "./plan-policy-steps.js";
import { matchesPattern } from "./policy-pattern.js";
import type { Operator, ProbeSetting } from "./probes.js";
import type { RenderedPolicy, TemplateParameters } from "./render-policy.js";
import { reachedAccounts } from "./resolve-target.js";
import { skipReason } from "./skip-reason.js";

/**
 * Where the lockout guard's probes run: the regions, the organization, orgwarden's session tags,
 * an example principal for each exempt pattern, and the principals this plan stops exempting.
 */
/** What of a plan's input decides where the probes stand (PlanApplyInput has it all). */
export interface ProbeSettingInput {
  inventory: Inventory;
  params: TemplateParameters;
  policies: readonly RenderedPolicy[];
  regions?: readonly string[];
  principalTags?: Readonly<Record<string, string>>;
  listPrincipals?: ListPrincipals;
  operator?: Operator;
}

export async function probeSetting(
  input: ProbeSettingInput,
  target: Target,
  planned: Pick<PolicySteps, "updated" | "replaced">,
  notes: string[],
): Promise<{
  setting: { forAccount: (account: string, sharingPath?: readonly string[]) => ProbeSetting };
  formerlyExempt: string[];
}> {
  const { inventory, params } = input;
  // An RCP exempts no principal by ARN: the claim and exempt-principal probes are the SCPs'.
  const exempt = "ExemptPrincipalArns" in params ? params.ExemptPrincipalArns : undefined;
  const exempting = exempt !== undefined;
  // Principals today's documents exempt and the rendered ones no longer do (an update, or the
  // variant this plan replaces on the target).
  const formerlyExempt = !exempting
    ? []
    : [
        ...new Set(
          [...planned.updated, ...planned.replaced].flatMap((u) => {
            const still = new Set(exemptionsOf(u.policy.document));
            return exemptionsOf(u.current).filter((a) => !still.has(a));
          }),
        ),
      ];
  const patterns = exempt ? [...exempt.slice(1), ...formerlyExempt] : [];
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
        params,
        reachedAccounts(inventory, target).slice(0, 2),
        input.listPrincipals,
        notes,
        // Only a policy that exempts orgwarden's role by its ARN depends on how IAM spells it.
        exempting && input.policies.some((p) => "ExemptPrincipalArns" in p.parameters),
      )
    : undefined;
  const common: Omit<ProbeSetting, "account"> = {
    operator: input.operator ?? {
      accountId: inventory.managementAccountId,
      principalArn: `arn:${inventory.partition}:iam::${inventory.managementAccountId}:role/orgwarden-operator`,
      inOrganization: true,
    },
    regions: input.regions?.length ? input.regions : ["us-east-1"],
    organizationId: inventory.organizationId,
    ...(input.principalTags ? { principalTags: input.principalTags } : {}),
    ...(examples ? { exemptExamples: examples.examples } : {}),
    formerlyExempt,
  };
  const forAccount = (account: string, sharingPath?: readonly string[]): ProbeSetting => ({
    ...common,
    account,
    ...(sharingPath ? { accountsSharingPath: sharingPath } : {}),
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
  params: TemplateParameters,
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
    const covered = ("ExemptPrincipalArns" in params ? params.ExemptPrincipalArns : []).some((pattern) =>
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
