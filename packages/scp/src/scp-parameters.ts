import {
  DEFAULT_ROLE_NAME,
  IAM_ROLE_NAME_WILDCARD,
  isIamTagKey,
  OrgwardenError,
  VPC_ID,
} from "@orgwarden/core";
import { checkExemptPrincipal } from "./exempt-principals.js";
import { exemptTagKeysOf } from "./rcp-parameters.js";

/** The principal tag that exempts a keys-only IAM user from require-mfa (value "true"). */
export const DEFAULT_MFA_EXEMPT_TAG_KEY = "orgwarden:mfa-exempt";
/** The principal tag that exempts a role or user from restrict-source-ip (value "true"). */
export const DEFAULT_NETWORK_EXEMPT_TAG_KEY = "orgwarden:network-exempt";
/**
 * The automation that legitimately manages CloudTrail, Config and GuardDuty in member accounts:
 * Control Tower's execution role and the two kinds of CloudFormation StackSets execution roles.
 */
export const DEFAULT_AUDIT_AUTOMATION_ROLES = [
  "AWSControlTowerExecution",
  "stacksets-exec-*",
  "AWSCloudFormationStackSetExecutionRole",
] as const;

/** Values for the ${placeholders} of the SCP library (`scp/`). */
export interface ScpParameters {
  Partition: string;
  /** The role orgwarden assumes in member accounts: always exempt. */
  RoleName: string;
  /** Every principal the policies exempt: orgwarden's role plus break-glass ARNs (wildcards allowed). */
  ExemptPrincipalArns: string[];
  /** orgwarden's role and the exempt principals that are roles: what protect-exempt-roles guards. */
  ExemptRoleArns: string[];
  /** Leave centralized-root (AssumeRoot) sessions usable under deny-root-user. */
  ExemptAssumeRoot: boolean;
  /** Networks restrict-source-ip allows (IPv4 and IPv6). */
  AllowedCidrs: string[];
  /** VPCs whose endpoints restrict-source-ip allows; empty: calls through any VPC endpoint pass. */
  AllowedVpcs: string[];
  HasAllowedVpcs: boolean;
  /** The tag key (value "true") that exempts a keys-only IAM user from require-mfa. */
  MfaExemptTagKey: string;
  /** The tag key (value "true") that exempts a principal (e.g. a service role) from restrict-source-ip. */
  NetworkExemptTagKey: string;
  /** Role ARNs of the automation protect-audit lets manage the audit services. */
  AuditAutomationArns: string[];
  HasAuditAutomation: boolean;
  /**
   * The resource tag keys by which a resource opts out of an RCP (dp:exclude:identity, …): what
   * protect-exemption-tags keeps to orgwarden's role and the exempt principals.
   */
  ResourceExemptTagKeys: string[];
}

export interface ScpParameterInput {
  partition?: string;
  roleName: string;
  exemptPrincipals?: string[];
  exemptAssumeRoot?: boolean;
  allowedCidrs?: string[];
  allowedVpcs?: string[];
  mfaExemptTagKey?: string;
  networkExemptTagKey?: string;
  /** Role names (wildcards allowed) of audit automation; default DEFAULT_AUDIT_AUTOMATION_ROLES. */
  auditAutomationRoles?: string[];
  /** The RCPs' resource exemption tag keys; default those of DEFAULT_RESOURCE_EXEMPT_TAG_KEYS. */
  resourceExemptTagKeys?: string[];
}

/** The parameters of the library; every exempt principal must be one aws:PrincipalArn can equal. */
export function scpParameters(input: ScpParameterInput): ScpParameters {
  for (const arn of input.exemptPrincipals ?? []) checkExemptPrincipal(arn);
  const partition = input.partition ?? "aws";
  const own = `arn:${partition}:iam::*:role/${input.roleName}`;
  // Lists are sets: sorted and without duplicates, so the same set always makes the same variant.
  const exempt = [own, ...uniqueSorted(input.exemptPrincipals ?? []).filter((a) => a !== own)];
  const automation = (input.auditAutomationRoles ?? [...DEFAULT_AUDIT_AUTOMATION_ROLES]).map((r) => {
    if (!IAM_ROLE_NAME_WILDCARD.test(r)) {
      throw new OrgwardenError("INVALID_INPUT", `audit automation role "${r}" is not an IAM role name`, {
        hint: "Give role names such as AWSControlTowerExecution or stacksets-exec-* (wildcards allowed).",
      });
    }
    return `arn:${partition}:iam::*:role/${r}`;
  });
  for (const vpc of input.allowedVpcs ?? []) {
    if (!VPC_ID.test(vpc)) {
      throw new OrgwardenError("INVALID_INPUT", `allowed VPC "${vpc}" is not a VPC id like vpc-0a1b2c3d`);
    }
  }
  return {
    Partition: partition,
    RoleName: input.roleName,
    ExemptPrincipalArns: exempt,
    ExemptRoleArns: exempt.filter((a) => /:role\//.test(a)),
    ExemptAssumeRoot: input.exemptAssumeRoot ?? true,
    AllowedCidrs: uniqueSorted(input.allowedCidrs ?? []),
    AllowedVpcs: uniqueSorted(input.allowedVpcs ?? []),
    HasAllowedVpcs: (input.allowedVpcs ?? []).length > 0,
    MfaExemptTagKey: tagKey(input.mfaExemptTagKey ?? DEFAULT_MFA_EXEMPT_TAG_KEY),
    NetworkExemptTagKey: tagKey(input.networkExemptTagKey ?? DEFAULT_NETWORK_EXEMPT_TAG_KEY),
    AuditAutomationArns: uniqueSorted(automation),
    HasAuditAutomation: automation.length > 0,
    ResourceExemptTagKeys: uniqueSorted((input.resourceExemptTagKeys ?? exemptTagKeysOf()).map(tagKey)),
  };
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function tagKey(key: string): string {
  if (!isIamTagKey(key)) {
    throw new OrgwardenError("INVALID_INPUT", `"${key}" is not a valid IAM tag key`, {
      hint: "Up to 128 letters, digits, spaces and _.:/=+-@, not starting with aws:.",
    });
  }
  return key;
}

/** The library's parameters when nothing is configured: a policy rendered with them has no variant suffix. */
export function defaultScpParameters(partition = "aws"): ScpParameters {
  return scpParameters({ partition, roleName: DEFAULT_ROLE_NAME });
}

/**
 * An allowed range of every address (0.0.0.0/0, ::/0) makes a network restriction that denies
 * nothing from that address family: almost certainly not what was meant, and the guard would
 * otherwise refuse it for a reason that has nothing to do with the range.
 */
export function refuseAllAddresses(name: string, parameters: Readonly<Record<string, unknown>>): void {
  const cidrs = parameters.AllowedCidrs;
  if (!Array.isArray(cidrs)) return;
  const all =
    cidrs.find((c) => /\/0+$/.test(c)) ??
    (coversFamily(cidrs, 4) ? cidrs.filter((c) => !c.includes(":")).join(" + ") : undefined) ??
    (coversFamily(cidrs, 6) ? cidrs.filter((c) => c.includes(":")).join(" + ") : undefined);
  if (all === undefined) return;
  throw new OrgwardenError(
    "INVALID_INPUT",
    `${name} with the all-addresses range ${all} denies nothing: every ${all.includes(":") ? "IPv6" : "IPv4"} address is inside it`,
    {
      hint: "Drop the policy, or name your own ranges with --allowed-cidr (scp.allowedCidrs in the config file), e.g. your office's and your NAT gateways' addresses.",
      details: { allowedCidr: all },
    },
  );
}

/** True when the ranges of one address family together hold every address of it (0.0.0.0/1 + 128.0.0.0/1). */
function coversFamily(cidrs: readonly string[], family: 4 | 6): boolean {
  const bits = family === 4 ? 32 : 128;
  const ranges: Array<[bigint, bigint]> = [];
  for (const cidr of cidrs) {
    const [address = "", prefix = ""] = cidr.split("/");
    if (address.includes(":") !== (family === 6)) continue;
    const start = family === 4 ? ipv4Value(address) : ipv6Value(address);
    const length = Number(prefix);
    if (start === undefined || !Number.isInteger(length) || length < 0 || length > bits) continue;
    const size = 1n << BigInt(bits - length);
    const first = (start / size) * size;
    ranges.push([first, first + size - 1n]);
  }
  ranges.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  let next = 0n;
  for (const [first, last] of ranges) {
    if (first > next) return false;
    if (last + 1n > next) next = last + 1n;
  }
  return next === 1n << BigInt(bits);
}

function ipv4Value(address: string): bigint | undefined {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((n, p) => (n << 8n) + BigInt(p), 0n);
}

function ipv6Value(address: string): bigint | undefined {
  const [head = "", tail, ...more] = address.split("::");
  if (more.length > 0) return undefined;
  const groups = (text: string) => (text ? text.split(":") : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  const all = [...left, ...Array(missing).fill("0"), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.reduce((n, g) => (n << 16n) + BigInt(Number.parseInt(g, 16)), 0n);
}
