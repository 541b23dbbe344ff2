import { OrgwardenError } from "@orgwarden/core";
import { checkExemptPrincipal } from "./exempt-principals.js";
import { type PolicyDocument, policyDocumentSchema } from "./policy-document.js";
import type { PolicyTemplate } from "./policy-library.js";

export const MANAGED_PREFIX = "orgwarden-";
export const MANAGED_TAG = { Key: "managed-by", Value: "orgwarden" } as const;

/** Values for the ${placeholders} of the library. */
export interface ScpParameters {
  Partition: string;
  /** The role orgwarden assumes in member accounts: always exempt. */
  RoleName: string;
  /** Every principal the policies exempt: orgwarden's role plus break-glass ARNs (wildcards allowed). */
  ExemptPrincipalArns: string[];
  /** Leave centralized-root (AssumeRoot) sessions usable under deny-root-user. */
  ExemptAssumeRoot: boolean;
  /** Networks restrict-source-ip allows. */
  AllowedCidrs: string[];
}

export interface ScpParameterInput {
  partition?: string;
  roleName: string;
  exemptPrincipals?: string[];
  exemptAssumeRoot?: boolean;
  allowedCidrs?: string[];
}

/** The parameters of the library; every exempt principal must be one aws:PrincipalArn can equal. */
export function scpParameters(input: ScpParameterInput): ScpParameters {
  for (const arn of input.exemptPrincipals ?? []) checkExemptPrincipal(arn);
  const partition = input.partition ?? "aws";
  const own = `arn:${partition}:iam::*:role/${input.roleName}`;
  return {
    Partition: partition,
    RoleName: input.roleName,
    ExemptPrincipalArns: [own, ...(input.exemptPrincipals ?? []).filter((a) => a !== own)],
    ExemptAssumeRoot: input.exemptAssumeRoot ?? true,
    AllowedCidrs: input.allowedCidrs ?? [],
  };
}

export interface RenderedPolicy {
  name: string;
  /** The name in AWS Organizations: orgwarden-<name>. */
  managedName: string;
  description: string;
  document: PolicyDocument;
  /** Minified JSON: what is uploaded, and what the size quota counts. */
  content: string;
  size: number;
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

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
  const content = JSON.stringify(parsed.data);
  return {
    name: template.name,
    managedName: `${MANAGED_PREFIX}${template.name}`,
    description: template.description.slice(0, 512),
    document: parsed.data,
    content,
    size: content.length,
  };
}

function renderValue(value: unknown, params: ScpParameters, where: string): unknown {
  if (typeof value === "string") return renderString(value, params, where);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (typeof item === "string") {
        const whole = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/.exec(item);
        const v = whole ? paramValue(params, whole[1] as string, where) : undefined;
        if (Array.isArray(v)) {
          if (v.length === 0) throw emptyList(whole?.[1] as string, where);
          out.push(...v);
          continue;
        }
      }
      if (isObject(item) && !includeItem(item, params, where)) continue;
      out.push(renderValue(item, params, where));
    }
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "$if" || k === "$unless") continue;
      out[k] = renderValue(v, params, where);
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
  return s.replace(PLACEHOLDER, (_m, name: string) => {
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

function emptyList(name: string, where: string): OrgwardenError {
  const flag = name === "AllowedCidrs" ? " (--allowed-cidr, or scp.allowedCidrs in the config file)" : "";
  return new OrgwardenError("INVALID_INPUT", `${where} needs at least one value for \${${name}}${flag}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
