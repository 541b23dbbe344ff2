import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { OrgwardenError } from "@orgwarden/core";
import { z } from "zod";

/** A policy document from `scp/`, still with its ${placeholders}. */
export interface PolicyTemplate {
  name: string;
  description: string;
  /** The raw document; rendered by renderPolicy. */
  template: unknown;
  file: string;
}

export const DEFAULT_POLICIES = ["require-mfa", "deny-root-user"] as const;

const templateFileSchema = z
  .object({
    description: z
      .string()
      .min(1)
      .regex(/^[^\n]+$/, "must be one line"),
    document: z.record(z.string(), z.unknown()),
  })
  .strict();

/** `scp/` at the repository root, next to the packages. */
export function defaultPolicyDir(): string {
  return fileURLToPath(new URL("../../../scp/", import.meta.url));
}

/** Loads and validates every `*.json` in `dir`; a malformed file is an error naming file and field. */
export function loadPolicyLibrary(dir: string = defaultPolicyDir()): Map<string, PolicyTemplate> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch (err) {
    throw new OrgwardenError("INVALID_INPUT", `cannot read the SCP library at ${dir}`, {
      hint: "Point --policy-dir at a folder of policy JSON files.",
      cause: err,
    });
  }
  const library = new Map<string, PolicyTemplate>();
  for (const f of files.sort()) {
    const file = join(dir, f);
    const name = basename(f, ".json");
    if (!/^[a-z0-9][a-z0-9-]{0,60}$/.test(name)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `${file}: the policy name "${name}" must be lower-case letters, digits and -`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (err) {
      throw new OrgwardenError("INVALID_INPUT", `${file} is not valid JSON: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const parsed = templateFileSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .map((i) => `${i.path.join(".") || "(file)"}: ${i.message}`)
        .join("; ");
      throw new OrgwardenError("INVALID_INPUT", `${file}: ${problems}`, {
        hint: 'A policy file is {"description": "one line", "document": {IAM policy JSON with placeholders}}.',
      });
    }
    library.set(name, { name, description: parsed.data.description, template: parsed.data.document, file });
  }
  return library;
}

export function requirePolicy(library: Map<string, PolicyTemplate>, name: string): PolicyTemplate {
  const bare = name.startsWith("orgwarden-") ? name.slice("orgwarden-".length) : name;
  const t = library.get(bare);
  if (!t) {
    throw new OrgwardenError("INVALID_INPUT", `no policy named "${name}" in the SCP library`, {
      hint: `Known policies: ${[...library.keys()].join(", ")} (see \`orgwarden scp list\`).`,
    });
  }
  return t;
}
