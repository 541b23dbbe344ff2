import { OrgwardenError } from "@orgwarden/core";

/**
 * One setting of a declarative policy a user chooses (S3 organization-level Block Public Access, an
 * EC2 declarative attribute): its name in a parameter set (and in the policy's tags), the flag that
 * sets it, where it goes in the policy, and the values AWS's syntax page allows.
 */
export interface DeclarativeParameter {
  /** Its name in a parameter set and in the tags, e.g. SnapshotBlockPublicAccess. */
  name: string;
  /** The command-line flag that sets it, named in refusals. */
  flag: string;
  /** The keys under the policy's top-level key, e.g. ["snapshot_block_public_access", "state"]. */
  path: readonly string[];
  /** What it sets, in a line (help text and plans). */
  describes: string;
  /**
   * The values the policy syntax allows, in the policy's own spelling (underscores: block_new_sharing);
   * or a check for a value that is not one of a list (a number, free text).
   */
  values: readonly string[] | { check: (value: string) => boolean; expected: string };
}

/** A parameter set: each chosen parameter's value in the policy's spelling, by name. */
export type DeclarativeParameters = Record<string, string>;

/**
 * A value as a user writes it, in the policy's spelling: the EC2 API and CLI spell values with
 * hyphens (block-new-sharing), the policy with underscores (block_new_sharing); both are taken, in
 * any letter case.
 */
export function policySpelling(value: string): string {
  return value.trim().toLowerCase().replace(/-/g, "_");
}

/** The API's spelling of a policy value (block_new_sharing → block-new-sharing), for messages. */
export function apiSpelling(value: string): string {
  return value.replace(/_/g, "-");
}

/**
 * Checks a parameter set against its parameters: an unknown parameter or a value the syntax does
 * not allow is INVALID_INPUT naming the flag, the value and what is allowed. Values of a list are
 * put in the policy's spelling; unset parameters (undefined or empty) are left out.
 */
export function checkDeclarativeParameters(
  specs: readonly DeclarativeParameter[],
  input: Readonly<Record<string, unknown>>,
): DeclarativeParameters {
  const known = new Map(specs.map((s) => [s.name, s]));
  for (const name of Object.keys(input)) {
    if (!known.has(name))
      throw new OrgwardenError("INVALID_INPUT", `"${name}" is not a setting of this policy`, {
        hint: `Its settings are ${specs.map((s) => `${s.name} (${s.flag})`).join(", ")}.`,
      });
  }
  const out: DeclarativeParameters = {};
  for (const spec of specs) {
    const raw = input[spec.name];
    if (raw === undefined || raw === null || raw === "") continue;
    if (typeof raw !== "string")
      throw new OrgwardenError("INVALID_INPUT", `${spec.flag}: ${JSON.stringify(raw)} is not text`);
    out[spec.name] = checkValue(spec, raw);
  }
  return out;
}

function checkValue(spec: DeclarativeParameter, raw: string): string {
  if (!Array.isArray(spec.values)) {
    const rule = spec.values as Exclude<DeclarativeParameter["values"], readonly string[]>;
    const value = raw.trim();
    if (rule.check(value)) return value;
    throw new OrgwardenError("INVALID_INPUT", `${spec.flag}: "${raw}" is not ${rule.expected}`, {
      hint: `${spec.flag} sets ${spec.describes}.`,
      details: { parameter: spec.name, value: raw },
    });
  }
  const value = policySpelling(raw);
  if (spec.values.includes(value)) return value;
  throw new OrgwardenError("INVALID_INPUT", `${spec.flag}: "${raw}" is not a value AWS allows`, {
    hint: `${spec.flag} sets ${spec.describes}: one of ${spec.values.map(apiSpelling).join(", ")}.`,
    details: { parameter: spec.name, value: raw, allowed: [...spec.values] },
  });
}

/**
 * The policy document of a parameter set: under `topKey`, each chosen parameter's path set with
 * `@@assign`, in the order of `specs` (so one set always makes one text).
 */
export function assignDocument(
  topKey: string,
  specs: readonly DeclarativeParameter[],
  parameters: DeclarativeParameters,
): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = parameters[spec.name];
    if (value === undefined) continue;
    let node = top;
    for (const key of spec.path.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[spec.path[spec.path.length - 1] as string] = { "@@assign": value };
  }
  return { [topKey]: top };
}
