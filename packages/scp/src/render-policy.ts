import { createHash } from "node:crypto";
import { type AuthorizationPolicyType, MANAGED_PREFIX, MANAGED_TAG, OrgwardenError } from "@orgwarden/core";
import { type PolicyDocument, policyDocumentSchema } from "./policy-document.js";
import { refuseUnsupportedElements } from "./policy-elements.js";
import { type PolicyTemplate, requirePolicy } from "./policy-library.js";
import { defaultRcpParameters, type RcpParameters } from "./rcp-parameters.js";
import { formatTemplateValue, renderTemplate, type TemplateValue, templateNames } from "./render-template.js";
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
  parameters: Record<string, TemplateValue>;
  /** managed-by=orgwarden, the library name, the variant and the parameters (base64 JSON, chunked). */
  tags: Array<{ Key: string; Value: string }>;
  description: string;
  document: PolicyDocument;
  /** Minified JSON: what is uploaded, and what the size quota counts. */
  content: string;
  size: number;
}

/**
 * Renders a template in the libraries' template language (renderTemplate), names it by its variant
 * and tags it. What AWS refuses in the template's policy type (an Allow in an RCP, …) is refused
 * here, before any AWS call.
 */
export function renderPolicy(template: PolicyTemplate, params: TemplateParameters): RenderedPolicy {
  const where = `${template.name}`;
  const rendered = renderTemplate(template.template, params, where);
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

/** The placeholders and flags a template refers to (with the fields of `$each` elements), sorted. */
export function templateParameterNames(template: PolicyTemplate): string[] {
  return templateNames(template.template);
}

function usedParameters(template: PolicyTemplate, params: TemplateParameters): RenderedPolicy["parameters"] {
  const out: RenderedPolicy["parameters"] = {};
  const values = params as unknown as Readonly<Record<string, TemplateValue | undefined>>;
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
    .map(([k, v]) => `${k}=${formatTemplateValue(v, " ")}`)
    .join("; ");
  const full = `${description} [variant ${variant}: ${summary}]`;
  return full.length <= 512 ? full : `${full.slice(0, 510)}…]`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
