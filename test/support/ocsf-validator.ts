import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * A validator for OCSF Compliance Finding events, from the class definition compiled out of
 * ocsf-schema 1.8.0 (test/fixtures/ocsf/compliance-finding-1.8.0.json), following the rules of the
 * OCSF server's validator: required attributes present, no attribute the class or object does not
 * define (profile attributes only with their profile in metadata.profiles), types and enum values,
 * "at least one of" constraints, and type_uid = class_uid × 100 + activity_id.
 */
interface AttributeSpec {
  requirement: "required" | "recommended" | "optional";
  type: string;
  object_type?: string;
  is_array?: boolean;
  enum?: string[];
  profiles?: string[];
}
interface ObjectSpec {
  attributes: Record<string, AttributeSpec>;
  constraints?: { at_least_one?: string[]; just_one?: string[] };
}
interface Schema {
  version: string;
  class: { name: string; uid: number; category_uid: number; attributes: Record<string, AttributeSpec> };
  objects: Record<string, ObjectSpec>;
}

export const OCSF_SCHEMA = JSON.parse(
  readFileSync(
    fileURLToPath(new URL("../fixtures/ocsf/compliance-finding-1.8.0.json", import.meta.url)),
    "utf8",
  ),
) as Schema;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function checkValue(
  path: string,
  spec: AttributeSpec,
  value: unknown,
  profiles: Set<string>,
  errors: string[],
): void {
  if (spec.is_array) {
    if (!Array.isArray(value)) {
      errors.push(`${path}: expected an array`);
      return;
    }
    for (const [i, v] of value.entries())
      checkValue(`${path}[${i}]`, { ...spec, is_array: false }, v, profiles, errors);
    return;
  }
  switch (spec.type) {
    case "integer_t":
    case "long_t":
    case "timestamp_t":
    case "port_t":
      if (!Number.isInteger(value)) errors.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
      break;
    case "float_t":
      if (typeof value !== "number") errors.push(`${path}: expected a number`);
      break;
    case "boolean_t":
      if (typeof value !== "boolean") errors.push(`${path}: expected a boolean`);
      break;
    case "object_t":
      if (!isObject(value)) errors.push(`${path}: expected an object`);
      else if (spec.object_type && spec.object_type !== "object")
        checkObject(path, OCSF_SCHEMA.objects[spec.object_type] as ObjectSpec, value, profiles, errors);
      break;
    case "json_t":
      break;
    default:
      // string_t and its kinds (datetime_t is a string too)
      if (typeof value !== "string") errors.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
  }
  if (spec.enum && !spec.enum.includes(String(value)))
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${spec.enum.join(", ")}`);
}

function checkObject(
  path: string,
  spec: ObjectSpec,
  value: Record<string, unknown>,
  profiles: Set<string>,
  errors: string[],
): void {
  const active = (a: AttributeSpec) => !a.profiles || a.profiles.some((p) => profiles.has(p));
  for (const [name, v] of Object.entries(value)) {
    const a = spec.attributes[name];
    if (!a || !active(a)) {
      errors.push(
        `${path}.${name}: not an attribute of ${path || "the class"}${a ? ` without the ${a.profiles?.join("/")} profile` : ""}`,
      );
      continue;
    }
    if (v === null || v === undefined) continue;
    checkValue(`${path}.${name}`, a, v, profiles, errors);
  }
  for (const [name, a] of Object.entries(spec.attributes))
    if (a.requirement === "required" && active(a) && value[name] === undefined)
      errors.push(`${path}.${name}: required`);
  const atLeastOne = spec.constraints?.at_least_one;
  if (atLeastOne && !atLeastOne.some((k) => value[k] !== undefined))
    errors.push(`${path}: needs at least one of ${atLeastOne.join(", ")}`);
}

/** The problems of one event; [] when it is a valid Compliance Finding. */
export function validateComplianceFinding(event: Record<string, unknown>): string[] {
  const errors: string[] = [];
  const metadata = isObject(event.metadata) ? event.metadata : {};
  const profiles = new Set(Array.isArray(metadata.profiles) ? (metadata.profiles as string[]) : []);
  checkObject("", { attributes: OCSF_SCHEMA.class.attributes }, event, profiles, errors);
  if (event.class_uid !== OCSF_SCHEMA.class.uid) errors.push(`class_uid: not ${OCSF_SCHEMA.class.uid}`);
  if (event.category_uid !== OCSF_SCHEMA.class.category_uid)
    errors.push("category_uid: not the class's category");
  if (event.type_uid !== (event.class_uid as number) * 100 + (event.activity_id as number))
    errors.push("type_uid: not class_uid × 100 + activity_id");
  if (metadata.version !== OCSF_SCHEMA.version) errors.push(`metadata.version: not ${OCSF_SCHEMA.version}`);
  return errors;
}
