/**
 * The few SQL a CloudTrail Lake stand-in answers: what orgwarden's Lake source sends, no more.
 *
 *   SELECT expr AS alias, … FROM event-data-store-id WHERE pred AND pred …
 *   expr: a field path (userIdentity.sessionContext.sessionIssuer.arn), element_at(path, N).path,
 *         element_at(path, 'key')
 *   pred: path >= | <= | > | < | = 'literal', path IN ('a', 'b'), path IS [NOT] NULL
 *
 * Paths are case-insensitive, as Lake's (Trino's) identifiers are; eventTime compares as a time. Any
 * other statement is refused (LakeSqlError), as AWS refuses a statement it cannot run.
 */
export class LakeSqlError extends Error {
  override readonly name = "LakeSqlError";
}

type Expr =
  | { kind: "path"; path: string[] }
  | { kind: "element"; of: string[]; at: number | string; then: string[] };

type Pred =
  | { kind: "compare"; left: Expr; op: ">=" | "<=" | ">" | "<" | "="; value: string }
  | { kind: "in"; left: Expr; values: string[] }
  | { kind: "null"; left: Expr; not: boolean };

export interface LakeQuery {
  columns: { expr: Expr; alias: string }[];
  eventDataStore: string;
  where: Pred[];
}

/** A quoted value, a number, an operator, or a word: a field path, a keyword, an id ("6f3a…-…"), or ".field" after a call. */
const TOKEN = /\s*(?:('(?:[^']|'')*')|(\d+(?![\w-]))|(>=|<=|[(),=<>])|(\.?[A-Za-z0-9_][\w.-]*))/y;

function tokenize(sql: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < sql.trimEnd().length) {
    const m = TOKEN.exec(sql);
    if (!m)
      throw new LakeSqlError(
        `cannot read the statement at "${sql.slice(TOKEN.lastIndex, TOKEN.lastIndex + 20)}"`,
      );
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? "");
  }
  return tokens;
}

export function parseLakeSql(sql: string): LakeQuery {
  const t = tokenize(sql);
  let i = 0;
  const peek = () => t[i];
  const next = () => {
    const token = t[i++];
    if (token === undefined) throw new LakeSqlError("the statement ends too early");
    return token;
  };
  const keyword = (word: string) => {
    const token = next();
    if (token.toUpperCase() !== word) throw new LakeSqlError(`expected ${word}, found "${token}"`);
  };
  const literal = () => {
    const token = next();
    if (!token.startsWith("'")) throw new LakeSqlError(`expected a quoted value, found "${token}"`);
    return token.slice(1, -1).replace(/''/g, "'");
  };
  const path = (token: string) => {
    if (!/^[A-Za-z_]/.test(token)) throw new LakeSqlError(`expected a field, found "${token}"`);
    return token.split(".");
  };
  const expr = (): Expr => {
    const token = next();
    if (token.toLowerCase() !== "element_at") return { kind: "path", path: path(token) };
    if (next() !== "(") throw new LakeSqlError("element_at takes ( … )");
    const of = path(next());
    if (next() !== ",") throw new LakeSqlError("element_at takes two arguments");
    const arg = next();
    const at = arg.startsWith("'") ? arg.slice(1, -1) : Number(arg);
    if (next() !== ")") throw new LakeSqlError("element_at takes two arguments");
    // `element_at(resources, 1).arn`: the field after the call is one token, ".arn".
    let then: string[] = [];
    const after = peek();
    if (after?.startsWith(".")) then = path(next().slice(1));
    return { kind: "element", of, at, then };
  };

  keyword("SELECT");
  const columns: LakeQuery["columns"] = [];
  do {
    if (columns.length > 0) next();
    const e = expr();
    keyword("AS");
    columns.push({ expr: e, alias: next() });
  } while (peek() === ",");
  keyword("FROM");
  const eventDataStore = next();
  const where: Pred[] = [];
  if (peek() !== undefined) {
    keyword("WHERE");
    do {
      if (where.length > 0) keyword("AND");
      const left = expr();
      const op = next();
      if (op.toUpperCase() === "IN") {
        if (next() !== "(") throw new LakeSqlError("IN takes ( … )");
        const values: string[] = [];
        do {
          if (values.length > 0) next();
          values.push(literal());
        } while (peek() === ",");
        if (next() !== ")") throw new LakeSqlError("IN takes ( … )");
        where.push({ kind: "in", left, values });
      } else if (op.toUpperCase() === "IS") {
        const not = peek()?.toUpperCase() === "NOT";
        if (not) next();
        keyword("NULL");
        where.push({ kind: "null", left, not });
      } else if (op === ">=" || op === "<=" || op === ">" || op === "<" || op === "=") {
        where.push({ kind: "compare", left, op, value: literal() });
      } else {
        throw new LakeSqlError(`the stand-in does not answer the operator "${op}"`);
      }
    } while (peek() !== undefined);
  }
  return { columns, eventDataStore, where };
}

/** A field of a record by a case-insensitive path. */
function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const step of path) {
    if (typeof v !== "object" || v === null) return undefined;
    const key = Object.keys(v).find((k) => k.toLowerCase() === step.toLowerCase());
    v = key === undefined ? undefined : (v as Record<string, unknown>)[key];
  }
  return v;
}

export function evaluate(expr: Expr, record: unknown): unknown {
  if (expr.kind === "path") return at(record, expr.path);
  const container = at(record, expr.of);
  const element =
    typeof expr.at === "number"
      ? Array.isArray(container)
        ? container[expr.at - 1]
        : undefined
      : at(container, [expr.at]);
  return at(element, expr.then);
}

/** Lake's text for a value: a time as `2026-03-01 12:00:00.000`, the rest as text; null stays null. */
export function lakeText(expr: Expr, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isTimePath(expr) && typeof value === "string")
    return `${value
      .replace("T", " ")
      .replace(/Z$/, "")
      .replace(/(:\d{2})$/, "$1.000")}`;
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function isTimePath(expr: Expr): boolean {
  const last = (expr.kind === "path" ? expr.path : expr.then).at(-1)?.toLowerCase();
  return last === "eventtime" || last === "creationdate";
}

export function matches(where: readonly Pred[], record: unknown): boolean {
  return where.every((p) => {
    const value = evaluate(p.left, record);
    if (p.kind === "null") return (value === undefined || value === null) !== p.not;
    if (value === undefined || value === null) return false;
    if (p.kind === "in") return p.values.includes(String(value));
    const [a, b] = isTimePath(p.left)
      ? [Date.parse(String(value)), Date.parse(`${p.value.replace(" ", "T")}Z`)]
      : [String(value), p.value];
    if (p.op === ">=") return a >= b;
    if (p.op === "<=") return a <= b;
    if (p.op === ">") return a > b;
    if (p.op === "<") return a < b;
    return a === b;
  });
}
