import { OrgwardenError, placeholderNames, replacePlaceholders, wholePlaceholder } from "@orgwarden/core";

/**
 * One element of a list that an `$each` item repeats over (an OIDC provider and its tenants' sub
 * patterns): its fields are placeholders inside the item, as the parameters are elsewhere.
 */
export type TemplateRecord = Record<string, string | string[]>;

/** What a template placeholder or flag can stand for. */
export type TemplateValue = string | boolean | string[] | TemplateRecord[];

/** Values by placeholder name: the SCP or RCP library's parameters. */
export type TemplateValues = object;

/**
 * The template language of the libraries (`scp/`, `rcp/`): `${Name}` in strings is replaced, a
 * string that is exactly `${ListName}` inside an array is spliced with the list, and array items
 * with `"$if": "Flag"` / `"$unless": "Flag"` are kept only when the flag says so. A key with a list in
 * it becomes one key per item. An array item with `"$each": "Records"` is repeated once per element
 * of that list of records, the element's fields (and `Index`, from 1) being placeholders inside it:
 * one statement per OIDC provider, as AWS writes EnforceTrustedOIDCTenants. AWS policy variables
 * (`${aws:username}`) are left alone. Substitution works on the parsed tree, never on text, so a
 * value cannot break the JSON.
 */
export function renderTemplate(value: unknown, params: TemplateValues, where: string): unknown {
  return renderValue(value, params, where);
}

/** The placeholders and flags a template refers to (with the fields of `$each` elements), sorted. */
export function templateNames(template: unknown): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") for (const name of placeholderNames(v)) names.add(name);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (DIRECTIVES.includes(k) && typeof child === "string") names.add(child);
        else {
          for (const name of placeholderNames(k)) names.add(name);
          walk(child);
        }
      }
    }
  };
  walk(template);
  return [...names].sort();
}

/**
 * A value as a person reads it (a policy's description, `scp status`): a list joined with `separator`,
 * a record as its fields joined by = in the flag's form, `token.actions.githubusercontent.com=repo:my-org/*`.
 */
export function formatTemplateValue(v: TemplateValue, separator: string): string {
  if (!Array.isArray(v)) return String(v);
  return v
    .map((x) =>
      typeof x === "string"
        ? x
        : Object.values(x)
            .map((f) => (Array.isArray(f) ? f.join(",") : f))
            .join("="),
    )
    .join(separator);
}

const DIRECTIVES = ["$if", "$unless", "$each"];

function renderValue(value: unknown, params: TemplateValues, where: string, insideArray = false): unknown {
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
          out.push(...stringList(v, whole, where));
          continue;
        }
      }
      if (isObject(item) && !includeItem(item, params, where)) continue;
      if (isObject(item) && typeof item.$each === "string") {
        const { $each: _each, ...body } = item;
        for (const [i, element] of records(params, item.$each, where).entries()) {
          out.push(renderValue(body, withRecord(params, element, i, where), where, true));
        }
        continue;
      }
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
      if (DIRECTIVES.includes(k)) {
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
function renderKeys(key: string, params: TemplateValues, where: string): string[] {
  const list = placeholderNames(key).find((name) => Array.isArray(paramValue(params, name, where)));
  if (list === undefined) return [renderString(key, params, where)];
  const items = stringList(paramValue(params, list, where) as unknown[], list, where);
  if (items.length === 0) throw emptyList(list, where);
  return items.map((item) =>
    renderString(
      replacePlaceholders(key, (name) => (name === list ? item : `\${${name}}`)),
      params,
      where,
    ),
  );
}

function includeItem(item: Record<string, unknown>, params: TemplateValues, where: string): boolean {
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

function renderString(s: string, params: TemplateValues, where: string): string {
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

function paramValue(params: TemplateValues, name: string, where: string): TemplateValue {
  const values = params as Readonly<Record<string, TemplateValue | undefined>>;
  const v = values[name];
  if (!Object.hasOwn(values, name) || v === undefined) {
    throw new OrgwardenError("INVALID_INPUT", `${where}: unknown placeholder \${${name}}`, {
      hint: `Placeholders are ${Object.keys(params).join(", ")}.`,
    });
  }
  return v;
}

function stringList(v: readonly unknown[], name: string, where: string): string[] {
  if (v.every((x) => typeof x === "string")) return v as string[];
  throw new OrgwardenError(
    "INVALID_INPUT",
    `${where}: \${${name}} is a list of records: repeat an array item over it with "$each"`,
  );
}

function records(params: TemplateValues, name: string, where: string): TemplateRecord[] {
  const v = paramValue(params, name, where);
  if (Array.isArray(v) && v.every((x) => isObject(x))) return v as TemplateRecord[];
  throw new OrgwardenError("INVALID_INPUT", `${where}: "$each" must name a list of records, not \${${name}}`);
}

/** The parameters inside one repetition of an `$each` item: the element's fields and its Index. */
function withRecord(
  params: TemplateValues,
  element: TemplateRecord,
  i: number,
  where: string,
): TemplateValues {
  const fields: TemplateRecord = { ...element, Index: String(i + 1) };
  for (const name of Object.keys(fields)) {
    if (Object.hasOwn(params, name)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `${where}: the "$each" field ${name} hides the parameter \${${name}}`,
      );
    }
  }
  return { ...params, ...fields };
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
