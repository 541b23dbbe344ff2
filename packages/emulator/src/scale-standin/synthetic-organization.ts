import { MANAGED_TAG } from "@orgwarden/core";
/**
 * A synthetic organization for the scale stand-in: N member accounts spread over an OU tree, each in
 * a state derived from its index (so any account's state is computed in constant time, and two runs
 * see the same organization). States vary the way real organizations do, so the report takes every
 * branch: root MFA virtual or hardware or absent, password policies present or not, console users
 * with and without MFA, the MFA policy missing, unattached or attached through a group, trails,
 * GuardDuty detectors and Config recorders present or not, suspended accounts.
 */
export interface SyntheticOrganizationOptions {
  /** Member accounts (the management account comes on top). */
  accounts: number;
  /** OU levels below the root; accounts sit in the deepest level. */
  depth?: number;
  /** Child OUs per OU. */
  fanout?: number;
}

export interface SyntheticUnit {
  id: string;
  name: string;
  parentId: string;
  childOuIds: string[];
  accountIds: string[];
}

export interface SyntheticPolicy {
  id: string;
  name: string;
  description: string;
  awsManaged: boolean;
  content: string;
  tags: Array<{ Key: string; Value: string }>;
  targets: string[];
}

export interface SyntheticOrganization {
  organizationId: string;
  managementAccountId: string;
  rootId: string;
  /** The root and every OU, by id. */
  units: Map<string, SyntheticUnit>;
  /** Every account id (management first), with its index: 0 is the management account. */
  accountIndex: Map<string, number>;
  policies: SyntheticPolicy[];
}

export const MANAGEMENT_ACCOUNT_ID = "100000000000";

export function accountIdOf(index: number): string {
  return String(100_000_000_000 + index);
}

export function syntheticOrganization(options: SyntheticOrganizationOptions): SyntheticOrganization {
  const depth = options.depth ?? 3;
  const fanout = options.fanout ?? 4;
  const rootId = "r-sc01";
  const units = new Map<string, SyntheticUnit>();
  units.set(rootId, { id: rootId, name: "Root", parentId: "", childOuIds: [], accountIds: [] });
  let level = [rootId];
  let ouCount = 0;
  for (let d = 1; d <= depth; d++) {
    const next: string[] = [];
    for (const parentId of level) {
      for (let c = 0; c < fanout; c++) {
        ouCount += 1;
        const id = `ou-sc01-${String(ouCount).padStart(8, "0")}`;
        units.set(id, { id, name: `L${d}-${ouCount}`, parentId, childOuIds: [], accountIds: [] });
        units.get(parentId)?.childOuIds.push(id);
        next.push(id);
      }
    }
    level = next;
  }
  const accountIndex = new Map<string, number>([[MANAGEMENT_ACCOUNT_ID, 0]]);
  units.get(rootId)?.accountIds.push(MANAGEMENT_ACCOUNT_ID);
  for (let i = 1; i <= options.accounts; i++) {
    const id = accountIdOf(i);
    accountIndex.set(id, i);
    units.get(level[(i - 1) % level.length] as string)?.accountIds.push(id);
  }
  const managed = [{ ...MANAGED_TAG }];
  const everyTarget = [...units.keys(), ...accountIndex.keys()].filter((t) => t !== MANAGEMENT_ACCOUNT_ID);
  const firstOu = units.get(rootId)?.childOuIds[0] as string;
  const policies: SyntheticPolicy[] = [
    {
      id: "p-FullAWSAccess",
      name: "FullAWSAccess",
      description: "Allows access to every operation",
      awsManaged: true,
      content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
      }),
      tags: [],
      targets: everyTarget,
    },
    {
      id: "p-sc0000000001",
      name: "orgwarden-require-mfa",
      description: "orgwarden: require MFA for IAM users",
      awsManaged: false,
      content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
      }),
      tags: managed,
      targets: [firstOu],
    },
    {
      id: "p-sc0000000002",
      name: "orgwarden-deny-root-user",
      description: "orgwarden: deny the root user",
      awsManaged: false,
      content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }],
      }),
      tags: managed,
      targets: [rootId],
    },
    {
      id: "p-sc0000000003",
      name: "DenyLeaveOrganization",
      description: "not orgwarden's",
      awsManaged: false,
      content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" }],
      }),
      tags: [],
      targets: [rootId],
    },
  ];
  return {
    organizationId: "o-scale00001",
    managementAccountId: MANAGEMENT_ACCOUNT_ID,
    rootId,
    units,
    accountIndex,
    policies,
  };
}

/** What one account holds; a pure function of its index. */
export interface SyntheticAccountState {
  suspended: boolean;
  rootMfa: boolean;
  rootVirtualMfa: boolean;
  rootAccessKeys: boolean;
  rootPassword: boolean;
  passwordPolicy: "none" | "weak" | "strong";
  /** Console users: name and whether they have MFA. */
  users: Array<{ name: string; console: boolean; mfa: boolean; exempt: boolean }>;
  /** GenerateCredentialReport answers STARTED (a report is being generated) instead of COMPLETE. */
  reportStarting: boolean;
  mfaPolicy: "missing" | "unattached" | "group";
  /** The account's own multi-region trail: none, logging, or stopped. */
  trail: "none" | "logging" | "stopped";
  guardDuty: boolean;
  configRecorder: boolean;
}

export function accountState(index: number): SyntheticAccountState {
  const users = Array.from({ length: index % 6 }, (_, u) => ({
    name: `user${u}`,
    console: u % 2 === 0,
    mfa: (index + u) % 3 !== 0,
    exempt: u === 1 && index % 11 === 0,
  }));
  return {
    suspended: index > 0 && index % 97 === 0,
    rootMfa: index % 5 !== 0,
    rootVirtualMfa: index % 3 === 0,
    rootAccessKeys: index % 23 === 0,
    rootPassword: index % 2 === 0,
    passwordPolicy: index % 4 === 0 ? "none" : index % 4 === 1 ? "weak" : "strong",
    users,
    reportStarting: index % 10 === 0,
    mfaPolicy: index % 3 === 0 ? "missing" : index % 3 === 1 ? "unattached" : "group",
    trail: index % 4 === 0 ? "logging" : index % 4 === 1 ? "stopped" : "none",
    guardDuty: index % 6 !== 0,
    configRecorder: index % 8 !== 0,
  };
}
