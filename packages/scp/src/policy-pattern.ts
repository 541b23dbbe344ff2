import type { RequestKeys } from "./request-keys.js";
import { lookupKey } from "./request-keys.js";

/**
 * How a string of a policy is read. IAM reads the same text differently depending on where it
 * stands: actions are case-insensitive with wildcards anywhere, resources are case-sensitive with
 * wildcards per ARN segment, ARN operators compare the six components one by one, StringEquals has
 * no wildcards at all. Policy variables resolve only in resources and in string and ARN conditions.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export type PatternMode =
  /** Action / NotAction: case-insensitive, `*` and `?` anywhere. */
  | "action"
  /** Resource / NotResource: `*` and `?` stay inside an ARN segment, except a `*` that ends a segment. */
  | "resource"
  /** ArnEquals / ArnLike: six colon-separated components, each matched on its own. */
  | "arn"
  /** StringLike: `*` and `?` anywhere, case-sensitive. */
  | "like"
  /** StringEquals: exact, case-sensitive. */
  | "equals"
  /** StringEqualsIgnoreCase: exact, case-insensitive. */
  | "equals-ignore-case";

type Token = { kind: "text"; text: string } | { kind: "star" } | { kind: "one" };

/**
 * An IAM policy variable as AWS fills it in at request time (`${aws:username}`, `${*}`,
 * `${aws:PrincipalTag/team, 'none'}`): not orgwarden's own `${Name}` template placeholders
 * (core's template-placeholders.ts), which are gone by the time a document is evaluated.
 */
const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Compiles one policy string into a matcher. Returns `undefined` when the string holds a policy
 * variable whose key is absent from the request (and that has no default): such a value matches
 * nothing, which the policy-variables page calls "effectively null".
 */
export function compilePattern(
  pattern: string,
  mode: PatternMode,
  keys: RequestKeys | undefined,
): RegExp | undefined {
  // The lockout guard matches the same few hundred policy strings against thousands of requests: a
  // string without a policy variable compiles to the same matcher whatever the request, so keep it.
  if (!pattern.includes("${")) {
    const key = `${mode}\u0000${pattern}`;
    let compiled = COMPILED.get(key);
    if (!compiled) {
      if (COMPILED.size >= 10_000) COMPILED.clear();
      compiled = compile(pattern, mode, undefined) as RegExp;
      COMPILED.set(key, compiled);
    }
    return compiled;
  }
  return compile(pattern, mode, keys);
}

/** Matchers of variable-free policy strings; pure values of their key, bounded in size. */
const COMPILED = new Map<string, RegExp>();

function compile(pattern: string, mode: PatternMode, keys: RequestKeys | undefined): RegExp | undefined {
  const tokens = tokenize(pattern, mode, keys);
  if (!tokens) return undefined;
  if (mode === "arn") return arnRegExp(pattern, tokens);
  const ignoreCase = mode === "action" || mode === "equals-ignore-case";
  let source = "";
  tokens.forEach((t, i) => {
    if (t.kind === "text") source += escapeRegExp(t.text);
    else if (t.kind === "one") source += mode === "resource" ? "[^:]" : ".";
    else if (mode === "resource") {
      // "If the * wildcard is the last character of a resource ARN segment, it can expand to match
      // beyond the colon boundaries" (Resource element page).
      const next = tokens[i + 1];
      const endsSegment = next === undefined || (next.kind === "text" && next.text.startsWith(":"));
      source += endsSegment ? ".*" : "[^:]*";
    } else source += ".*";
  });
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s");
}

/** True when the pattern matches the value; a pattern with an unresolved variable matches nothing. */
export function matchesPattern(
  pattern: string,
  mode: PatternMode,
  value: string,
  keys: RequestKeys | undefined,
): boolean {
  return compilePattern(pattern, mode, keys)?.test(value) ?? false;
}

function tokenize(pattern: string, mode: PatternMode, keys: RequestKeys | undefined): Token[] | undefined {
  const wildcards = mode === "action" || mode === "resource" || mode === "arn" || mode === "like";
  const variables = keys !== undefined && mode !== "action";
  const tokens: Token[] = [];
  const pushText = (text: string) => {
    for (const ch of text) {
      if (wildcards && ch === "*") tokens.push({ kind: "star" });
      else if (wildcards && ch === "?") tokens.push({ kind: "one" });
      else appendText(tokens, ch);
    }
  };
  if (!variables) {
    pushText(pattern);
    return tokens;
  }
  let last = 0;
  for (const m of pattern.matchAll(VARIABLE)) {
    pushText(pattern.slice(last, m.index));
    last = (m.index ?? 0) + m[0].length;
    const resolved = resolveVariable(m[1] ?? "", keys);
    if (resolved === undefined) return undefined;
    appendText(tokens, resolved);
  }
  pushText(pattern.slice(last));
  return tokens;
}

/**
 * One `${...}`: the escapes `${*}`, `${?}`, `${$}` stand for the literal character; `${key}` for the
 * key's value; `${key, 'default'}` for the default when the key is absent. A multivalued key cannot
 * be a variable, so it resolves like an absent one.
 */
function resolveVariable(body: string, keys: RequestKeys): string | undefined {
  if (body === "*" || body === "?" || body === "$") return body;
  const withDefault = /^\s*([^,]+?)\s*,\s*'([^']*)'\s*$/.exec(body);
  const key = (withDefault ? withDefault[1] : body)?.trim() ?? "";
  const value = lookupKey(keys, key);
  if (typeof value === "string") return value;
  return withDefault ? withDefault[2] : undefined;
}

function appendText(tokens: Token[], text: string): void {
  const prev = tokens.at(-1);
  if (prev?.kind === "text") prev.text += text;
  else tokens.push({ kind: "text", text });
}

/**
 * ArnEquals / ArnLike: "each of the six colon-delimited components of the ARN is checked separately".
 * A pattern with fewer than six components matches no ARN; the pattern `*` alone is read as "any
 * value", the reading under which a Deny keyed on it is never overlooked by the lockout guard.
 */
function arnRegExp(pattern: string, tokens: Token[]): RegExp | undefined {
  if (pattern === "*") return /^.*$/s;
  let source = "";
  let colons = 0;
  for (const t of tokens) {
    if (t.kind === "text") {
      for (const ch of t.text) {
        if (ch === ":") colons += 1;
        source += escapeRegExp(ch);
      }
    } else if (colons >= 5) source += t.kind === "star" ? ".*" : ".";
    else source += t.kind === "star" ? "[^:]*" : "[^:]";
  }
  if (colons < 5) return /(?!)/;
  return new RegExp(`^${source}$`, "s");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
