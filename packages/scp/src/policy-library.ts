import {
  type AuthorizationPolicyType,
  MANAGED_PREFIX,
  OrgwardenError,
  readJsonFolder,
  shippedDir,
} from "@orgwarden/core";
import { z } from "zod";
import { type PolicyKind, policyKindOf, SCP_KIND } from "./policy-kind.js";

/** A policy document from `scp/` or `rcp/`, still with its ${placeholders}. */
export interface PolicyTemplate {
  name: string;
  /** The library it was loaded from: an SCP's or an RCP's. */
  type: AuthorizationPolicyType;
  description: string;
  /** The raw document; rendered by renderPolicy. */
  template: unknown;
  file: string;
  /** What it denies, to whom, who is exempt, and the AWS pages it follows: for `scp show` and the README. */
  about: PolicyAbout;
}

export interface PolicyAbout {
  denies: string;
  appliesTo: string;
  exempts: string;
  follows: string[];
}

export const DEFAULT_POLICIES = ["require-mfa", "deny-root-user"] as const;

const templateFileSchema = z
  .object({
    description: z
      .string()
      .min(1)
      .regex(/^[^\n]+$/, "must be one line"),
    denies: z.string().min(1),
    appliesTo: z.string().min(1),
    exempts: z.string().min(1),
    follows: z
      .array(z.url().regex(/^https:\/\/docs\.aws\.amazon\.com\//, "must be an AWS documentation page"))
      .min(1),
    document: z.record(z.string(), z.unknown()),
  })
  .strict();

/** `scp/` (or `rcp/`): inside the installed package, or at the repository root in a checkout. */
export function defaultPolicyDir(kind: PolicyKind = SCP_KIND): string {
  return shippedDir(kind.family, import.meta.url);
}

/**
 * Loads and validates every `*.json` in `dir` (default: the kind's shipped folder) as templates of
 * the kind; a malformed file is an error naming file and field.
 */
export function loadPolicyLibrary(
  dir: string | undefined = undefined,
  kind: PolicyKind = SCP_KIND,
): Map<string, PolicyTemplate> {
  const type = kind.type;
  if (type !== "SERVICE_CONTROL_POLICY" && type !== "RESOURCE_CONTROL_POLICY")
    throw new OrgwardenError("INTERNAL", `${kind.many} have no library: they are rendered from parameters`, {
      hint: "Report this as a bug in orgwarden (renderDeclarativePolicy renders them).",
    });
  const library = new Map<string, PolicyTemplate>();
  for (const doc of readJsonFolder(
    dir ?? defaultPolicyDir(kind),
    templateFileSchema,
    `${kind.short} library`,
  )) {
    if (!/^[a-z0-9][a-z0-9-]{0,50}$/.test(doc.name) || /-[0-9a-f]{10}$/.test(doc.name)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `${doc.file}: the policy name "${doc.name}" must be up to 51 lower-case letters, digits and -, not ending in - and ten hex digits (that is a variant suffix)`,
      );
    }
    library.set(doc.name, {
      name: doc.name,
      type,
      description: doc.data.description,
      template: doc.data.document,
      file: doc.file,
      about: {
        denies: doc.data.denies,
        appliesTo: doc.data.appliesTo,
        exempts: doc.data.exempts,
        follows: doc.data.follows,
      },
    });
  }
  return library;
}

export function requirePolicy(library: ReadonlyMap<string, PolicyTemplate>, name: string): PolicyTemplate {
  const bare = name.startsWith(MANAGED_PREFIX) ? name.slice(MANAGED_PREFIX.length) : name;
  const t = library.get(bare);
  if (!t) {
    const first = library.values().next().value;
    const kind = first ? policyKindOf(first.type) : SCP_KIND;
    throw new OrgwardenError("INVALID_INPUT", `no policy named "${name}" in the ${kind.short} library`, {
      hint: `Known policies: ${[...library.keys()].join(", ")} (see \`orgwarden ${kind.family} list\`).`,
    });
  }
  return t;
}
