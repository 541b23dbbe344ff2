import {
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListPolicies,
  paginateListRoots,
  paginateListTargetsForPolicy,
} from "@aws-sdk/client-organizations";
import { describeAwsError } from "./aws-error.js";
import { collectPages } from "./collect-pages.js";
import { OrgwardenError } from "./errors.js";
import { type Logger, silentLogger } from "./logger.js";
import { partitionOfArn } from "./partition.js";
import type { PolicyTypeName } from "./policy-types.js";

export type AccountState = "PENDING_ACTIVATION" | "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED";
export type PolicyTypeStatus = "ENABLED" | "PENDING_ENABLE" | "PENDING_DISABLE" | "DISABLED";

export interface OrgAccount {
  id: string;
  name: string;
  email: string;
  arn: string;
  state: AccountState;
  /** The root or OU the account sits in directly. */
  parentId: string;
  /** Names from the root down, e.g. `Root/Workloads/Prod`. */
  ouPath: string;
  isManagement: boolean;
}

export interface OrgUnit {
  id: string;
  name: string;
  kind: "root" | "ou";
  parentId: string | undefined;
  path: string;
  /** 0 for the root. */
  depth: number;
  childOuIds: string[];
  accountIds: string[];
}

export interface ScpSummary {
  id: string;
  name: string;
  arn: string;
  description: string;
  awsManaged: boolean;
}

/** The authorization policy types orgwarden changes: SCPs, and RCPs (read only when asked, see readRcps). */
export type AuthorizationPolicyType = "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY";

/** One policy type's policies and where each is attached directly. */
export interface AttachedPolicies {
  /** The type's status at the root. */
  status: PolicyTypeStatus;
  /** Every policy of the type, by policy id. */
  policies: Map<string, ScpSummary>;
  /** Directly attached policy ids per target (root, OU or account id), sorted. */
  attachments: Map<string, string[]>;
  /** "some" when only some policies' targets were read (a report reads only orgwarden's). */
  targetsRead?: "all" | "some";
}

/** One snapshot of the organization, built once per command and shared by every phase. */
export interface Inventory {
  organizationId: string;
  /** The partition of the organization's ARN (`aws`, `aws-us-gov`, `aws-cn`): every ARN orgwarden builds uses it. */
  partition: string;
  managementAccountId: string;
  featureSet: string;
  rootId: string;
  scpPolicyType: PolicyTypeStatus;
  /** The root and every OU, by id. */
  units: Map<string, OrgUnit>;
  /** Every account, sorted by OU path, name and id. */
  accounts: OrgAccount[];
  /** Every SCP in the organization, by policy id. */
  scps: Map<string, ScpSummary>;
  /**
   * Directly attached SCP ids per target (root, OU or account id): of every SCP, or only of the
   * SCPs the walk was asked to read targets for (`scpTargetsOf`, see `scpTargetsRead`).
   */
  scpAttachments: Map<string, string[]>;
  /** "all" when scpAttachments holds every SCP's targets, "some" when only those of `scpTargetsOf`. */
  scpTargetsRead: "all" | "some";
  /** The RESOURCE_CONTROL_POLICY type's status at the root (ListRoots says it with the SCP type's). */
  rcpPolicyType?: PolicyTypeStatus;
  /**
   * Every RCP and its targets, once readRcps has read them (apply-rcp, rcp status, a run with an
   * `rcp:` section, the report's RCP rows); undefined before, so a command that needs no RCP makes
   * no call for them.
   */
  rcps?: AttachedPolicies;
  /**
   * The policies and targets of the management policy types a command changes (S3, declarative
   * EC2), once readManagementPolicies has read them; undefined before, as for RCPs.
   */
  managementPolicies?: Partial<Record<PolicyTypeName, AttachedPolicies>>;
}

/** What DescribeOrganization says before the walk: enough for role assumption. */
export interface OrganizationIdentity {
  organizationId: string;
  managementAccountId: string;
  partition: string;
}

export interface BuildInventoryOptions {
  organizations: OrganizationsClient;
  logger?: Logger;
  /**
   * Called with each account as soon as the walk finds it (OU path known), so per-account work can
   * start while the rest of the tree is still being listed.
   */
  onAccount?: (account: OrgAccount) => void;
  /** Called once DescribeOrganization has answered, before the walk. */
  onOrganization?: (organization: OrganizationIdentity) => void;
  /**
   * Which SCPs' targets to list (ListTargetsForPolicy, 20 targets a page). Default: every SCP, which
   * planning an attachment needs (quotas, effective policies). A report needs only orgwarden's own:
   * FullAWSAccess alone targets every OU and account, one page chain of N/20 round trips.
   */
  scpTargetsOf?: (policy: ScpSummary) => boolean;
}

/**
 * Walks the organization once: the OU tree breadth-first with every level's calls in parallel, and
 * SCP attachments with ListPolicies + ListTargetsForPolicy (one paginated call per policy instead of
 * one ListPoliciesForTarget per root, OU and account). The Organizations client carries its own
 * small concurrency limit (ClientFactory.organizations).
 */
export async function buildInventory(options: BuildInventoryOptions): Promise<Inventory> {
  const org = options.organizations;
  const logger = options.logger ?? silentLogger();
  const started = Date.now();
  try {
    const described = await org.send(new DescribeOrganizationCommand({}));
    const o = described.Organization;
    if (!o?.Id || !o.MasterAccountId)
      throw new OrgwardenError("AWS_ERROR", "DescribeOrganization returned no organization");
    // An emulator may leave the ARN out; AWS always sends it.
    const partition = o.Arn ? partitionOfArn(o.Arn) : "aws";
    // Work that needs only the management account (role assumption) can start now.
    options.onOrganization?.({ organizationId: o.Id, managementAccountId: o.MasterAccountId, partition });
    const roots = await collectPages(paginateListRoots({ client: org, pageSize: 20 }, {}), (p) => p.Roots);
    const root = roots[0];
    if (!root?.Id) throw new OrgwardenError("AWS_ERROR", "ListRoots returned no root");
    const typeStatus = (type: AuthorizationPolicyType): PolicyTypeStatus =>
      (root.PolicyTypes?.find((t) => t.Type === type)?.Status as PolicyTypeStatus | undefined) ?? "DISABLED";

    const units = new Map<string, OrgUnit>();
    const accounts: OrgAccount[] = [];
    const rootUnit: OrgUnit = {
      id: root.Id,
      name: root.Name ?? "Root",
      kind: "root",
      parentId: undefined,
      path: root.Name ?? "Root",
      depth: 0,
      childOuIds: [],
      accountIds: [],
    };
    units.set(rootUnit.id, rootUnit);

    // Accounts are handed on page by page and child OUs are walked as soon as their page arrives,
    // so the walk's round trips overlap instead of going level by level.
    const listAccounts = async (unit: OrgUnit): Promise<void> => {
      for await (const page of paginateListAccountsForParent(
        { client: org, pageSize: 20 },
        { ParentId: unit.id },
      )) {
        for (const a of page.Accounts ?? []) {
          if (!a.Id) continue;
          unit.accountIds.push(a.Id);
          const account: OrgAccount = {
            id: a.Id,
            name: a.Name ?? "",
            email: a.Email ?? "",
            arn: a.Arn ?? "",
            // `Status` is retired on 9 Sept 2026; read `State` and fall back for older emulators.
            state: (a.State ?? a.Status ?? "ACTIVE") as AccountState,
            parentId: unit.id,
            ouPath: unit.path,
            isManagement: a.Id === o.MasterAccountId,
          };
          accounts.push(account);
          options.onAccount?.(account);
        }
      }
    };
    const walk = async (unit: OrgUnit): Promise<void> => {
      const children: Array<Promise<void>> = [listAccounts(unit)];
      for await (const page of paginateListOrganizationalUnitsForParent(
        { client: org, pageSize: 20 },
        { ParentId: unit.id },
      )) {
        for (const ou of page.OrganizationalUnits ?? []) {
          if (!ou.Id) continue;
          const child: OrgUnit = {
            id: ou.Id,
            name: ou.Name ?? ou.Id,
            kind: "ou",
            parentId: unit.id,
            path: `${unit.path}/${ou.Name ?? ou.Id}`,
            depth: unit.depth + 1,
            childOuIds: [],
            accountIds: [],
          };
          units.set(child.id, child);
          unit.childOuIds.push(child.id);
          children.push(walk(child));
        }
      }
      await Promise.all(children);
    };

    const [, scpResult] = await Promise.all([
      walk(rootUnit),
      o.FeatureSet === "ALL"
        ? listPolicyAttachments(org, "SERVICE_CONTROL_POLICY", options.scpTargetsOf)
        : Promise.resolve(undefined),
    ]);

    accounts.sort(
      (a, b) => a.ouPath.localeCompare(b.ouPath) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
    );
    for (const unit of units.values())
      unit.childOuIds.sort((a, b) => nameOf(units, a).localeCompare(nameOf(units, b)));

    const inventory: Inventory = {
      organizationId: o.Id,
      partition,
      managementAccountId: o.MasterAccountId,
      featureSet: o.FeatureSet ?? "ALL",
      rootId: rootUnit.id,
      scpPolicyType: typeStatus("SERVICE_CONTROL_POLICY"),
      rcpPolicyType: typeStatus("RESOURCE_CONTROL_POLICY"),
      units,
      accounts,
      scps: scpResult?.policies ?? new Map(),
      scpAttachments: scpResult?.attachments ?? new Map(),
      scpTargetsRead: options.scpTargetsOf ? "some" : "all",
    };
    logger.info(
      { accounts: accounts.length, ous: units.size - 1, scps: inventory.scps.size, ms: Date.now() - started },
      "inventory built",
    );
    return inventory;
  } catch (err) {
    throw describeAwsError(err, "Organizations");
  }
}

/**
 * Every RCP and its targets, read once into the inventory with the SCPs' two calls. The walk leaves
 * RCPs out, so a command that needs none (the default report, apply-scp) makes no call for them.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
export async function readRcps(
  inventory: Inventory,
  org: OrganizationsClient,
  /** Only these RCPs' targets (a report needs only orgwarden's); default every RCP's, as planning needs. */
  targetsOf?: (policy: ScpSummary) => boolean,
): Promise<AttachedPolicies> {
  const had = inventory.rcps;
  if (had && (had.targetsRead !== "some" || targetsOf)) return had;
  const status = inventory.rcpPolicyType ?? "DISABLED";
  const read =
    inventory.featureSet === "ALL"
      ? await listPolicyAttachments(org, "RESOURCE_CONTROL_POLICY", targetsOf).catch((err: unknown) => {
          throw describeAwsError(err, "Organizations");
        })
      : { policies: new Map<string, ScpSummary>(), attachments: new Map<string, string[]>() };
  inventory.rcps = { status, ...read, targetsRead: targetsOf ? "some" : "all" };
  return inventory.rcps;
}

/**
 * Every policy of a management policy type (S3_POLICY, DECLARATIVE_POLICY_EC2, …) and its targets,
 * with the type's status at the root, read once into the inventory with the SCPs' calls and one
 * ListRoots (the walk keeps only the SCP and RCP types' status). A command that changes none makes
 * no call for them. Unlike SCPs and RCPs, enabling such a type attaches nothing.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies.html
 */
export async function readManagementPolicies(
  inventory: Inventory,
  org: OrganizationsClient,
  type: PolicyTypeName,
): Promise<AttachedPolicies> {
  const had = inventory.managementPolicies?.[type];
  if (had) return had;
  try {
    const roots = await collectPages(paginateListRoots({ client: org, pageSize: 20 }, {}), (p) => p.Roots);
    const root = roots.find((r) => r.Id === inventory.rootId) ?? roots[0];
    const status =
      (root?.PolicyTypes?.find((t) => t.Type === type)?.Status as PolicyTypeStatus | undefined) ?? "DISABLED";
    const read =
      inventory.featureSet === "ALL"
        ? await listPolicyAttachments(org, type, undefined)
        : { policies: new Map<string, ScpSummary>(), attachments: new Map<string, string[]>() };
    const attached: AttachedPolicies = { status, ...read, targetsRead: "all" };
    inventory.managementPolicies = { ...inventory.managementPolicies, [type]: attached };
    return attached;
  } catch (err) {
    throw describeAwsError(err, "Organizations");
  }
}

async function listPolicyAttachments(
  org: OrganizationsClient,
  type: PolicyTypeName,
  targetsOf: ((policy: ScpSummary) => boolean) | undefined,
): Promise<Omit<AttachedPolicies, "status">> {
  const listed = await collectPages(
    paginateListPolicies({ client: org, pageSize: 20 }, { Filter: type }),
    (p) => p.Policies,
  );
  const policies = new Map<string, ScpSummary>();
  for (const p of listed) {
    if (!p.Id) continue;
    policies.set(p.Id, {
      id: p.Id,
      name: p.Name ?? p.Id,
      arn: p.Arn ?? "",
      description: p.Description ?? "",
      awsManaged: p.AwsManaged ?? false,
    });
  }
  const read = [...policies.values()].filter((summary) => !targetsOf || targetsOf(summary));
  return {
    policies,
    attachments: await readScpTargets(
      org,
      read.map((p) => p.id),
    ),
  };
}

/**
 * The roots, OUs and accounts each of these SCPs is attached to directly, as policy ids per target
 * (sorted): one paginated ListTargetsForPolicy per policy, in parallel, under the Organizations
 * client's own pace. The walk reads them for every SCP or only orgwarden's; a report that later
 * needs every SCP's (a refused region to explain) reads the rest with the same call.
 */
export async function readScpTargets(
  org: OrganizationsClient,
  policyIds: readonly string[],
): Promise<Map<string, string[]>> {
  const attachments = new Map<string, string[]>();
  await Promise.all(
    policyIds.map(async (policyId) => {
      const targets = await collectPages(
        paginateListTargetsForPolicy({ client: org, pageSize: 20 }, { PolicyId: policyId }),
        (page) => page.Targets,
      );
      for (const t of targets) {
        if (!t.TargetId) continue;
        const list = attachments.get(t.TargetId) ?? [];
        list.push(policyId);
        attachments.set(t.TargetId, list);
      }
    }),
  );
  for (const list of attachments.values()) list.sort();
  return attachments;
}

function nameOf(units: Map<string, OrgUnit>, id: string): string {
  return units.get(id)?.name ?? id;
}
