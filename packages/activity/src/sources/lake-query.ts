import type { ReadScope } from "./event-source.js";

/**
 * The CloudTrail Lake query of a read, and its result rows read back as CloudTrail records.
 *
 * Lake returns every column as text, and a nested column (userIdentity, resources) as Trino's
 * `{type=AssumedRole, arn=…}` rendering, not JSON: so the query selects each field a record is read
 * for on its own, and each row is rebuilt into the record's own shape (`userIdentity.sessionContext
 * .sessionIssuer.arn`, `resources[0].ARN`). What is not selected is not there: resources after the
 * first, requestParameters other than the names an IAM event's resource is read from, responseElements,
 * additionalEventData other than MFAUsed,
 * tlsDetails, and userIdentity.accessKeyId (orgwarden drops access keys anyway).
 * The schema: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html
 * The SQL (Trino's SELECT, functions such as element_at): https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html
 */

interface LakeColumn {
  /** Where the value goes in the record (a number is an array index). */
  path: (string | number)[];
  /** The SQL that selects it. */
  sql: string;
  /** How Lake's text becomes the record's value: a timestamp to ISO 8601, "true"/"false" to a boolean. */
  kind?: "time" | "boolean";
}

/** A field selected by its own path in the record, e.g. "userIdentity.sessionContext.sessionIssuer.arn". */
function field(path: string, kind?: LakeColumn["kind"]): LakeColumn {
  return { path: path.split("."), sql: path, ...(kind ? { kind } : {}) };
}

export const LAKE_COLUMNS: readonly LakeColumn[] = [
  field("eventVersion"),
  field("eventTime", "time"),
  field("eventSource"),
  field("eventName"),
  field("awsRegion"),
  field("sourceIPAddress"),
  field("userAgent"),
  field("errorCode"),
  field("errorMessage"),
  field("requestID"),
  field("eventID"),
  field("readOnly", "boolean"),
  field("eventType"),
  field("managementEvent", "boolean"),
  field("recipientAccountId"),
  field("sharedEventID"),
  field("vpcEndpointId"),
  field("vpcEndpointAccountId"),
  field("eventCategory"),
  field("userIdentity.type"),
  field("userIdentity.principalId"),
  field("userIdentity.arn"),
  field("userIdentity.accountId"),
  field("userIdentity.userName"),
  field("userIdentity.invokedBy"),
  field("userIdentity.identityProvider"),
  field("userIdentity.sessionContext.attributes.mfaAuthenticated"),
  field("userIdentity.sessionContext.attributes.creationDate", "time"),
  // "true" in a privileged session from sts:AssumeRoot: without it such a call reads as the root user's own.
  field("userIdentity.sessionContext.assumedRoot"),
  field("userIdentity.sessionContext.sessionIssuer.type"),
  field("userIdentity.sessionContext.sessionIssuer.principalId"),
  field("userIdentity.sessionContext.sessionIssuer.arn"),
  field("userIdentity.sessionContext.sessionIssuer.accountId"),
  field("userIdentity.sessionContext.sessionIssuer.userName"),
  field("userIdentity.sessionContext.sourceIdentity"),
  field("userIdentity.onBehalfOf.userId"),
  field("userIdentity.onBehalfOf.identityStoreArn"),
  // element_at, not resources[1]: a subscript past the end fails the query, element_at gives NULL.
  { path: ["resources", 0, "ARN"], sql: "element_at(resources, 1).arn" },
  { path: ["resources", 0, "accountId"], sql: "element_at(resources, 1).accountId" },
  { path: ["resources", 0, "type"], sql: "element_at(resources, 1).type" },
  { path: ["additionalEventData", "MFAUsed"], sql: "element_at(additionalEventData, 'MFAUsed')" },
  // The names an IAM event's request gives its resource (iam-resource.ts), and nothing else of it.
  ...["instanceProfileName", "groupName", "roleName", "userName", "policyArn"].map((name) => ({
    path: ["requestParameters", name],
    sql: `element_at(requestParameters, '${name}')`,
  })),
];

/** StartQuery's QueryStatement is at most 10,000 characters (API reference, StartQuery). */
export const MAX_STATEMENT_LENGTH = 10_000;

/** Column aliases: Lake (Trino) lower-cases identifiers, so each column is named by its position. */
const alias = (i: number) => `c${i}`;

/**
 * The statements that read `scope` from the event data store `eventDataStoreId`: the window, the
 * scope's accounts (the account each event was recorded in, as the trail's folders are) and
 * regions, errors only when asked; the accounts split over several statements where one would
 * pass StartQuery's length limit.
 */
export function lakeStatements(
  eventDataStoreId: string,
  scope: ReadScope,
): { statement: string; accounts: string[] }[] {
  const select = `SELECT ${LAKE_COLUMNS.map((c, i) => `${c.sql} AS ${alias(i)}`).join(", ")} FROM ${eventDataStoreId}`;
  const where = [
    `eventTime >= '${lakeTime(scope.window.start)}'`,
    `eventTime <= '${lakeTime(scope.window.end)}'`,
    `awsRegion IN (${scope.regions.map(quoted).join(", ")})`,
    ...(scope.errorsOnly ? ["errorCode IS NOT NULL"] : []),
  ].join(" AND ");
  const statement = (accounts: readonly string[]) =>
    `${select} WHERE ${where} AND recipientAccountId IN (${accounts.map(quoted).join(", ")})`;
  const statements: { statement: string; accounts: string[] }[] = [];
  let chunk: string[] = [];
  for (const account of scope.accounts) {
    if (chunk.length > 0 && statement([...chunk, account]).length > MAX_STATEMENT_LENGTH) {
      statements.push({ statement: statement(chunk), accounts: chunk });
      chunk = [];
    }
    chunk.push(account);
  }
  if (chunk.length > 0) statements.push({ statement: statement(chunk), accounts: chunk });
  return statements;
}

/** A timestamp as Lake's SQL compares eventTime: `2026-03-01 12:00:00`. */
export function lakeTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

/** One row of GetQueryResults (`[{ c0: "…" }, { c1: "…" }, …]`) as the CloudTrail record it came from. */
export function recordOfRow(row: readonly Record<string, string>[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const cell of row) {
    for (const [name, text] of Object.entries(cell)) {
      const column = LAKE_COLUMNS[Number(name.toLowerCase().slice(1))];
      if (!column || text === null || text === undefined || text === "") continue;
      setPath(record, column.path, cellValue(text, column.kind));
    }
  }
  return record;
}

function cellValue(text: string, kind: LakeColumn["kind"]): unknown {
  if (kind === "boolean") return text === "true";
  // `2026-03-01 12:00:00.000` → `2026-03-01T12:00:00Z`, as CloudTrail writes eventTime.
  if (kind === "time") return `${text.replace(" ", "T").replace(/\.\d+$/, "")}Z`;
  return text;
}

function setPath(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let at: Record<string | number, unknown> = target;
  path.forEach((step, i) => {
    if (i === path.length - 1) {
      at[step] = value;
      return;
    }
    const next = path[i + 1];
    at[step] ??= typeof next === "number" ? [] : {};
    at = at[step] as Record<string | number, unknown>;
  });
}

function quoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
