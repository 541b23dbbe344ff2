import { createHash } from "node:crypto";
import {
  type AuthorizationPolicyType,
  MANAGED_PREFIX,
  MANAGED_TAG,
  OrgwardenError,
  placeholderNames,
  replacePlaceholders,
  wholePlaceholder,
} from "@orgwarden/core";
import { type PolicyDocument, policyDocumentSchema } from "./policy-document.js";
import { refuseUnsupportedElements } from "./policy-elements.js";
import { type PolicyTemplate, requirePolicy } from "./policy-library.js";
import { defaultRcpParameters, type RcpParameters } from "./rcp-parameters.js";
import { splitRevision } from "./revision-name.js";
import { defaultScpParameters, refuseAllAddresses, type ScpParameters } from "./scp-parameters.js";

/** Values for a template's ${placeholders}: the SCP library's, or the RCP library's. */
export type TemplateParameters = ScpParameters | RcpParameters;

export interface RenderedPolicy {
  name: string;
  /** SCP or RCP: the library the template came from. */
  type: AuthorizationPolicyType;
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
 * are kept only when the flag says so. A key with a list in it becomes one key per item. AWS policy
 * variables (`${aws:username}`) are left alone. Substitution works on the parsed tree, never on
 * text, so a value cannot break the JSON. What AWS refuses in the template's policy type (an Allow
 * in an RCP, …) is refused here, before any AWS call.
 */
export function renderPolicy(template: PolicyTemplate, params: TemplateParameters): RenderedPolicy {
  const where = `${template.name}`;
  const rendered = renderValue(template.template, params, where);
  const parsed = policyDocumentSchema.safeParse(rendered);
  const short = template.type === "RESOURCE_CONTROL_POLICY" ? "RCP" : "SCP";
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${template.file}: the rendered policy is not a valid ${short}: ${problems}`,
    );
  }
  refuseUnsupportedElements(template, parsed.data);
  const parameters = usedParameters(template, params);
  refuseAllAddresses(template.name, parameters);
  const content = JSON.stringify(parsed.data);
  const hash = parameterHash(parameters);
  const variant = hash === parameterHash(usedParameters(template, defaultsLike(params))) ? undefined : hash;
  return {
    name: template.name,
    type: template.type,
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
 * The library's defaults for the same partition (and, for RCPs, the same organization, whose id
 * every RCP names): a policy rendered with them has no variant suffix.
 */
function defaultsLike(params: TemplateParameters): TemplateParameters {
  return "OrganizationId" in params
    ? defaultRcpParameters(params.Partition, params.OrganizationId)
    : defaultScpParameters(params.Partition);
}

/**
 * Renders the named library policies once each: `require-mfa` and `orgwarden-require-mfa` are the
 * same policy, and rendering it twice would plan two creates of one name.
 */
export function renderLibraryPolicies(
  library: ReadonlyMap<string, PolicyTemplate>,
  names: readonly string[],
  params: TemplateParameters,
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

function usedParameters(template: PolicyTemplate, params: TemplateParameters): RenderedPolicy["parameters"] {
  const out: RenderedPolicy["parameters"] = {};
  const values = params as unknown as Readonly<Record<string, string | boolean | string[]>>;
  for (const name of templateParameterNames(template)) {
    const v = values[name];
    if (Object.hasOwn(values, name) && v !== undefined) out[name] = v;
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

function renderValue(
  value: unknown,
  params: TemplateParameters,
  where: string,
  insideArray = false,
): unknown {
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
      // Keys take placeholders too: aws:PrincipalTag/${MfaExemptTagKey}; a list in a key makes one
      // key per item, each with the value: {"${TrustedOidcProviders}:sub": "true"}.
      for (const key of renderKeys(k, params, where)) {
        if (Object.hasOwn(out, key)) {
          throw new OrgwardenError("INVALID_INPUT", `${where}: two keys render to "${key}"`);
        }
        out[key] = renderValue(v, params, where);
      }
    }
    return out;
  }
  return value;
}

/** An object key rendered: one key, or one per item of the one list it names. */
function renderKeys(key: string, params: TemplateParameters, where: string): string[] {
  const list = placeholderNames(key).find((name) => Array.isArray(paramValue(params, name, where)));
  if (list === undefined) return [renderString(key, params, where)];
  const items = paramValue(params, list, where) as string[];
  if (items.length === 0) throw emptyList(list, where);
  return items.map((item) =>
    renderString(
      replacePlaceholders(key, (name) => (name === list ? item : `\${${name}}`)),
      params,
      where,
    ),
  );
}

function includeItem(item: Record<string, unknown>, params: TemplateParameters, where: string): boolean {
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

function renderString(s: string, params: TemplateParameters, where: string): string {
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

function paramValue(params: TemplateParameters, name: string, where: string): string | boolean | string[] {
  const values = params as unknown as Readonly<Record<string, string | boolean | string[]>>;
  const v = values[name];
  if (!Object.hasOwn(values, name) || v === undefined) {
    throw new OrgwardenError("INVALID_INPUT", `${where}: unknown placeholder \${${name}}`, {
      hint: `Placeholders are ${Object.keys(params).join(", ")}.`,
    });
  }
  return v;
}

/** The flag (and config field) that fills a list a template needs. */
const LIST_FLAGS: Readonly<Record<string, string>> = {
  AllowedCidrs: "--allowed-cidr, or scp.allowedCidrs in the config file",
  TrustedOidcProviders: "--trusted-oidc-provider, or rcp.trustedOidcProviders in the config file",
};

function emptyList(name: string, where: string): OrgwardenError {
  const flag = LIST_FLAGS[name] ? ` (${LIST_FLAGS[name]})` : "";
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
