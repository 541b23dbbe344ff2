import { DescribePolicyCommand, type OrganizationsClient } from "@aws-sdk/client-organizations";
import { ancestorIds, findTarget, type Inventory, type OrgAccount, readScpTargets } from "@orgwarden/core";
import {
  describeDecision,
  type EvaluatedPolicy,
  evaluateScps,
  type PolicyLevel,
  policyDocumentSchema,
  policyProblems,
} from "@orgwarden/scp";

/**
 * Why a region refused orgwarden: the SCP on the account's path that denies that region to every
 * principal (its name and where it is attached), or undefined when no SCP explains it.
 */
export type ExplainRegionDenial = (
  account: OrgAccount,
  region: string,
  action: string,
) => Promise<string | undefined>;

/**
 * A stand-in for any principal of the account: a role no SCP names, so a Deny that still applies to
 * it applies to everyone the SCP does not exempt by name.
 */
const ANY_ROLE = "orgwarden-any-principal";

/**
 * Explains regions where orgwarden's calls were denied, with the SCPs along the account's path (the
 * root, each OU, the account: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html)
 * judged by the scp package's evaluator, not by reading policy text. A region counts as denied to
 * everyone only when a request for it (aws:RequestedRegion) is denied both for orgwarden's role and
 * for an arbitrary role of the account, without the evaluator assuming a reading AWS does not
 * document: a region-deny SCP that exempts orgwarden's role, or one that denies only orgwarden, does
 * not explain the denial. Each path's policies are listed and read once per report.
 */
export function regionDenialExplainer(input: {
  organizations: OrganizationsClient;
  inventory: Inventory;
  /** orgwarden's member role, e.g. OrganizationAccountAccessRole. */
  roleName: string;
  partition?: string;
}): ExplainRegionDenial {
  const { organizations, inventory } = input;
  const partition = input.partition ?? "aws";
  const documents = new Map<string, Promise<EvaluatedPolicy>>();
  let everyAttachment: Promise<ReadonlyMap<string, string[]>> | undefined;

  // The walk read every SCP's targets, or only orgwarden's (a report's walk): then, on the first
  // refused region, every SCP's targets are read once (ListTargetsForPolicy, as the walk does).
  const attachments = (): Promise<ReadonlyMap<string, string[]>> => {
    if (inventory.scpTargetsRead === "all") return Promise.resolve(inventory.scpAttachments);
    everyAttachment ??= readScpTargets(organizations, [...inventory.scps.keys()]);
    return everyAttachment;
  };
  // In id order, so that of two SCPs denying a region the same one is named on every run.
  const policiesAt = async (nodeId: string): Promise<string[]> =>
    [...((await attachments()).get(nodeId) ?? [])].sort();
  const policy = (id: string): Promise<EvaluatedPolicy> => {
    let doc = documents.get(id);
    if (!doc) {
      doc = organizations.send(new DescribePolicyCommand({ PolicyId: id })).then((out) => {
        const name = out.Policy?.PolicySummary?.Name ?? inventory.scps.get(id)?.name ?? id;
        const parsed = policyDocumentSchema.safeParse(JSON.parse(out.Policy?.Content ?? "{}"));
        // A document the evaluator cannot judge explains nothing (the region stays unexplained).
        if (!parsed.success || policyProblems(parsed.data).length > 0)
          return { name, document: { Version: "2012-10-17", Statement: [] }, managed: false };
        return { name, document: parsed.data, managed: false };
      });
      documents.set(id, doc);
    }
    return doc;
  };
  const levelsOf = (accountId: string): Promise<PolicyLevel[]> =>
    Promise.all(
      [...ancestorIds(inventory, accountId), accountId].map(async (nodeId) => ({
        nodeId,
        nodePath: nodeId === accountId ? "the account" : (findTarget(inventory, nodeId)?.path ?? nodeId),
        policies: await Promise.all((await policiesAt(nodeId)).map(policy)),
      })),
    );
  const paths = new Map<string, Promise<PolicyLevel[]>>();

  return async (account, region, action) => {
    // SCPs never apply to the management account: a denial there is never a region-deny SCP's.
    if (account.isManagement || inventory.scpPolicyType !== "ENABLED") return undefined;
    let levels = paths.get(account.id);
    if (!levels) {
      levels = levelsOf(account.id);
      paths.set(account.id, levels);
    }
    const path = await levels;
    const decide = (role: string) =>
      evaluateScps(path, {
        action,
        resource: "*",
        keys: {
          "aws:RequestedRegion": region,
          "aws:PrincipalArn": `arn:${partition}:iam::${account.id}:role/${role}`,
          "aws:PrincipalAccount": account.id,
          "aws:PrincipalOrgID": inventory.organizationId,
          "aws:PrincipalType": "AssumedRole",
        },
      });
    const orgwarden = decide(input.roleName);
    const anyone = decide(ANY_ROLE);
    if (orgwarden.effect !== "DENY" || anyone.effect !== "DENY" || orgwarden.assumed || anyone.assumed)
      return undefined;
    return describeDecision(orgwarden);
  };
}
