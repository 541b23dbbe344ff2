import { createHash } from "node:crypto";
import {
  DEFAULT_ROLE_NAME,
  IAM_ROLE_NAME_WILDCARD,
  isIamTagKey,
  MANAGED_PREFIX,
  MANAGED_TAG,
  OrgwardenError,
  placeholderNames,
  replacePlaceholders,
  VPC_ID,
  wholePlaceholder,
} from "@orgwarden/core";
import { checkExemptPrincipal } from "./exempt-principals.js";
import { type PolicyDocument, policyDocumentSchema } from "./policy-document.js";
import { type PolicyTemplate, requirePolicy } from "./policy-library.js";
import { splitRevision } from "./revision-name.js";

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

/** Values for the ${placeholders} of the library. */
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

export interface RenderedPolicy {
  name: string;
  /**
   * The name in AWS Organizations: orgwarden-<name> for the default parameters, else
   * orgwarden-<name>-<variant>, so targets that need different parameters never share a document.
   */
  managedName: string;
  /** A hash of the parameters the template uses; undefined for the default parameters. */
  variant: string | undefined;
  /** The parameters the template uses, by placeholder name: what the variant hash covers. */
  parameters: Record<string, string | boolean | string[]>;
  /** managed-by=orgwarden, the library name, the variant and the parameters (base64 JSON, chunked). */
  tags: Array<{ Key: string; Value: string }>;
  description: string;
  document: PolicyDocument;
  /** Minified JSON: what is uploaded, and what the size quota counts. */
  content: string;
  size: number;
}

/**
 * Renders a template: `${Name}` in strings is replaced, a string that is exactly `${ListName}` inside
 * an array is spliced with the list, and array items with `"$if": "Flag"` / `"$unless": "Flag"`
 * are kept only when the flag says so. AWS policy variables (`${aws:username}`) are left alone.
 * Substitution works on the parsed tree, never on text, so a value cannot break the JSON.
 */
export function renderPolicy(template: PolicyTemplate, params: ScpParameters): RenderedPolicy {
  const where = `${template.name}`;
  const rendered = renderValue(template.template, params, where);
  const parsed = policyDocumentSchema.safeParse(rendered);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${template.file}: the rendered policy is not a valid SCP: ${problems}`,
    );
  }
  const parameters = usedParameters(template, params);
  refuseAllAddresses(template.name, parameters);
  const content = JSON.stringify(parsed.data);
  const hash = parameterHash(parameters);
  const variant =
    hash === parameterHash(usedParameters(template, defaultScpParameters(params.Partition)))
      ? undefined
      : hash;
  return {
    name: template.name,
    managedName: managedPolicyName(template.name, variant),
    variant,
    parameters,
    tags: variantTags(template.name, variant, parameters),
    description: variantDescription(template.description, variant, parameters),
    document: parsed.data,
    content,
    size: content.length,
  };
}

/**
 * Renders the named library policies once each: `require-mfa` and `orgwarden-require-mfa` are the
 * same policy, and rendering it twice would plan two creates of one name.
 */
export function renderLibraryPolicies(
  library: ReadonlyMap<string, PolicyTemplate>,
  names: readonly string[],
  params: ScpParameters,
): RenderedPolicy[] {
  const templates = new Map(names.map((n) => requirePolicy(library, n)).map((t) => [t.name, t]));
  return [...templates.values()].map((t) => renderPolicy(t, params));
}

/** orgwarden-<name>, or orgwarden-<name>-<variant>. */
export function managedPolicyName(name: string, variant: string | undefined): string {
  return `${MANAGED_PREFIX}${name}${variant ? `-${variant}` : ""}`;
}

const VARIANT_SUFFIX = /-([0-9a-f]{10})$/;

/**
 * The library name and variant of a managed policy name, and the revision of a rollout's own name
 * (see revisionName); undefined for names orgwarden never gives.
 */
export function parseManagedName(
  managedName: string,
): { name: string; variant: string | undefined; revision?: string } | undefined {
  if (!managedName.startsWith(MANAGED_PREFIX)) return undefined;
  const { base: rest, revision } = splitRevision(managedName.slice(MANAGED_PREFIX.length));
  const m = VARIANT_SUFFIX.exec(rest);
  const parsed = m ? { name: rest.slice(0, m.index), variant: m[1] } : { name: rest, variant: undefined };
  return revision ? { ...parsed, revision } : parsed;
}

/** The placeholders and flags a template refers to, sorted. */
export function templateParameterNames(template: PolicyTemplate): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") for (const name of placeholderNames(v)) names.add(name);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, child] of Object.entries(v)) {
        if ((k === "$if" || k === "$unless") && typeof child === "string") names.add(child);
        else {
          for (const name of placeholderNames(k)) names.add(name);
          walk(child);
        }
      }
    }
  };
  walk(template.template);
  return [...names].sort();
}

function usedParameters(template: PolicyTemplate, params: ScpParameters): RenderedPolicy["parameters"] {
  const out: RenderedPolicy["parameters"] = {};
  for (const name of templateParameterNames(template)) {
    if (Object.hasOwn(params, name)) out[name] = params[name as keyof ScpParameters];
  }
  return out;
}

/** 10 hex characters of SHA-256 over the parameters (keys sorted). */
export function parameterHash(parameters: RenderedPolicy["parameters"]): string {
  const canonical = JSON.stringify(
    Object.keys(parameters)
      .sort()
      .map((k) => [k, parameters[k]]),
  );
  return createHash("sha256").update(canonical).digest("hex").slice(0, 10);
}

export const POLICY_TAG = "orgwarden:policy";
export const VARIANT_TAG = "orgwarden:variant";
export const PARAMETERS_TAG = "orgwarden:parameters";
/** Organizations tag values hold 256 characters, and no `*` or `,`: the parameters go base64, chunked. */
const TAG_VALUE_MAX = 256;

/** The tags of a variant: the managed tag, the family, the variant and its parameters (SCPs and declarative policies). */
export function variantTags(
  name: string,
  variant: string | undefined,
  parameters: RenderedPolicy["parameters"],
): RenderedPolicy["tags"] {
  const encoded = Buffer.from(JSON.stringify(parameters)).toString("base64");
  const tags = [
    { ...MANAGED_TAG },
    { Key: POLICY_TAG, Value: name },
    { Key: VARIANT_TAG, Value: variant ?? "default" },
  ];
  for (let i = 0; i * TAG_VALUE_MAX < encoded.length; i++) {
    tags.push({
      Key: `${PARAMETERS_TAG}:${i + 1}`,
      Value: encoded.slice(i * TAG_VALUE_MAX, (i + 1) * TAG_VALUE_MAX),
    });
  }
  return tags;
}

/** The parameters stored in a policy's tags by variantTags; undefined when absent or unreadable. */
export function parametersFromTags(
  tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }>,
): RenderedPolicy["parameters"] | undefined {
  const chunks = tags
    .flatMap((t) => {
      const m = t.Key?.startsWith(`${PARAMETERS_TAG}:`) ? /:(\d+)$/.exec(t.Key) : null;
      return m ? [{ i: Number(m[1]), v: t.Value ?? "" }] : [];
    })
    .sort((a, b) => a.i - b.i);
  if (chunks.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(chunks.map((c) => c.v).join(""), "base64").toString());
    return isObject(parsed) ? (parsed as RenderedPolicy["parameters"]) : undefined;
  } catch {
    return undefined;
  }
}

function variantDescription(
  description: string,
  variant: string | undefined,
  parameters: RenderedPolicy["parameters"],
): string {
  if (!variant) return description.slice(0, 512);
  const summary = Object.entries(parameters)
    .filter(([k]) => k !== "Partition" && k !== "RoleName")
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(" ") : String(v)}`)
    .join("; ");
  const full = `${description} [variant ${variant}: ${summary}]`;
  return full.length <= 512 ? full : `${full.slice(0, 510)}…]`;
}

function renderValue(value: unknown, params: ScpParameters, where: string, insideArray = false): unknown {
  if (typeof value === "string") return renderString(value, params, where);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    const spliced: string[] = [];
    for (const item of value) {
      if (typeof item === "string") {
        const whole = wholePlaceholder(item);
        const v = whole === undefined ? undefined : paramValue(params, whole, where);
        if (Array.isArray(v) && whole !== undefined) {
          spliced.push(whole);
          out.push(...v);
          continue;
        }
      }
      if (isObject(item) && !includeItem(item, params, where)) continue;
      out.push(renderValue(item, params, where, true));
    }
    // A list may be empty when another fills the array; an array left empty would match nothing.
    if (out.length === 0 && spliced.length > 0) throw emptyList(spliced[0] as string, where);
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // A conditional entry: `"key": {"$if": "Flag", "$value": …}` keeps the key (with the value)
      // only when the flag says so, for a condition key or operator that one option adds.
      if (isConditionalEntry(v)) {
        if (!includeItem(v, params, where)) continue;
        const key = renderString(k, params, where);
        if (Object.hasOwn(out, key)) {
          throw new OrgwardenError("INVALID_INPUT", `${where}: two keys render to "${key}"`);
        }
        out[key] = renderValue(v.$value, params, where);
        continue;
      }
      if (k === "$if" || k === "$unless") {
        if (!insideArray) {
          throw new OrgwardenError("INVALID_INPUT", `${where}: "${k}" only works on an item of an array`);
        }
        continue;
      }
      // Keys take placeholders too: aws:PrincipalTag/${MfaExemptTagKey}.
      const key = renderString(k, params, where);
      if (Object.hasOwn(out, key)) {
        throw new OrgwardenError("INVALID_INPUT", `${where}: two keys render to "${key}"`);
      }
      out[key] = renderValue(v, params, where);
    }
    return out;
  }
  return value;
}

function includeItem(item: Record<string, unknown>, params: ScpParameters, where: string): boolean {
  for (const [k, want] of [
    ["$if", true],
    ["$unless", false],
  ] as const) {
    const flag = item[k];
    if (flag === undefined) continue;
    const v = typeof flag === "string" ? paramValue(params, flag, where) : undefined;
    if (typeof v !== "boolean") {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `${where}: "${k}" must name a boolean parameter, not ${JSON.stringify(flag)}`,
      );
    }
    if (v !== want) return false;
  }
  return true;
}

function renderString(s: string, params: ScpParameters, where: string): string {
  return replacePlaceholders(s, (name) => {
    const v = paramValue(params, name, where);
    if (Array.isArray(v)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `${where}: the list \${${name}} must stand alone as an array item, not inside "${s}"`,
      );
    }
    return String(v);
  });
}

function paramValue(params: ScpParameters, name: string, where: string): string | boolean | string[] {
  if (!Object.hasOwn(params, name)) {
    throw new OrgwardenError("INVALID_INPUT", `${where}: unknown placeholder \${${name}}`, {
      hint: `Placeholders are ${Object.keys(params).join(", ")}.`,
    });
  }
  return params[name as keyof ScpParameters];
}

/**
 * An allowed range of every address (0.0.0.0/0, ::/0) makes a network restriction that denies
 * nothing from that address family: almost certainly not what was meant, and the guard would
 * otherwise refuse it for a reason that has nothing to do with the range.
 */
function refuseAllAddresses(name: string, parameters: RenderedPolicy["parameters"]): void {
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

function emptyList(name: string, where: string): OrgwardenError {
  const flag = name === "AllowedCidrs" ? " (--allowed-cidr, or scp.allowedCidrs in the config file)" : "";
  return new OrgwardenError("INVALID_INPUT", `${where} needs at least one value for \${${name}}${flag}`);
}

function isConditionalEntry(v: unknown): v is Record<string, unknown> & { $value: unknown } {
  return (
    isObject(v) &&
    Object.hasOwn(v, "$value") &&
    Object.keys(v).every((k) => k === "$value" || k === "$if" || k === "$unless")
  );
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
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
