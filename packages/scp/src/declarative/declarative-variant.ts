import { OrgwardenError, policyTypeEntry } from "@orgwarden/core";
import { managedPolicyName, parameterHash, variantTags } from "../render-policy.js";
import type { DeclarativeParameters } from "./declarative-parameters.js";

/** The two declarative policy types orgwarden writes. */
export type DeclarativePolicyType = "S3_POLICY" | "DECLARATIVE_POLICY_EC2";

/**
 * One parameter set's policy, as orgwarden creates it: one policy per set, named and tagged as SCP
 * variants are (render-policy.ts), so that a re-run finds it, drift is told from its tags, and a
 * target that gets a new set has the old one replaced.
 */
export interface RenderedDeclarativePolicy {
  type: DeclarativePolicyType;
  /** The family, e.g. s3-bpa: the `orgwarden:policy` tag and the managed name's stem. */
  name: string;
  /** orgwarden-<name>-<variant>: every parameter set has its own policy, never a shared default. */
  managedName: string;
  /** 10 hex characters of SHA-256 over the parameter set. */
  variant: string;
  /** The set, in the policy's spelling: what the variant covers and the tags keep. */
  parameters: DeclarativeParameters;
  /** managed-by=orgwarden, orgwarden:policy, orgwarden:variant, orgwarden:parameters:N. */
  tags: Array<{ Key: string; Value: string }>;
  description: string;
  document: Record<string, unknown>;
  /** Minified JSON: what is uploaded, and what the size quota counts. */
  content: string;
  size: number;
}

/**
 * Names, tags and sizes a rendered document. A document over the type's size quota (the catalogue's
 * figure) is refused before anything is written.
 */
export function declarativeVariant(
  type: DeclarativePolicyType,
  name: string,
  summary: string,
  parameters: DeclarativeParameters,
  document: Record<string, unknown>,
): RenderedDeclarativePolicy {
  const content = JSON.stringify(document);
  const limit = policyTypeEntry(type).maxSize;
  if (content.length > limit.value)
    throw new OrgwardenError(
      "QUOTA_EXCEEDED",
      `the ${name} policy would be ${content.length} characters, over the ${limit.value} a ${type} policy may have${limit.basis === "assumed" ? ` (${limit.why})` : ""}`,
      { hint: "Shorten the exception message, the only free text of the policy." },
    );
  const variant = parameterHash(parameters);
  const description = `orgwarden ${name}: ${summary}`;
  return {
    type,
    name,
    managedName: managedPolicyName(name, variant),
    variant,
    parameters,
    tags: variantTags(name, variant, parameters),
    description: description.length <= 512 ? description : `${description.slice(0, 511)}…`,
    document,
    content,
    size: content.length,
  };
}
