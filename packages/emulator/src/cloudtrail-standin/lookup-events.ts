/**
 * LookupEvents over planted records, as the API reference describes it: management events only
 * (no data events), StartTime and EndTime inclusive, newest first, MaxResults 1 to 50 (default 50),
 * a NextToken that holds the query it continues, one LookupAttribute at most.
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 */

/** An AWS error the stand-in answers with (JSON 1.1: `{ "__type": code, "message" }`). */
export class CloudTrailError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

interface LookupEventsInput {
  StartTime?: number;
  EndTime?: number;
  MaxResults?: number;
  NextToken?: string;
  LookupAttributes?: { AttributeKey?: string; AttributeValue?: string }[];
}

/** A planted record, with what LookupEvents sorts and filters by read once. */
export interface PlantedEvent {
  record: Record<string, unknown>;
  time: number;
}

const MAX_RESULTS = 50;

/** What each LookupAttribute key compares (Username: the user, or the role session's issuer). */
const ATTRIBUTES: Record<string, (r: Record<string, unknown>) => unknown> = {
  EventId: (r) => r.eventID,
  EventName: (r) => r.eventName,
  EventSource: (r) => r.eventSource,
  ReadOnly: (r) => (r.readOnly === undefined ? undefined : String(r.readOnly)),
  Username: (r) => userName(r),
  AccessKeyId: (r) => identity(r).accessKeyId,
  ResourceName: (r) => resources(r).map((x) => x.ARN),
  ResourceType: (r) => resources(r).map((x) => x.type),
};

/** One page of LookupEvents over `events` (one account and region, newest first). */
export function lookupEvents(events: readonly PlantedEvent[], body: string): Record<string, unknown> {
  const input = JSON.parse(body || "{}") as LookupEventsInput;
  const max = input.MaxResults ?? MAX_RESULTS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS)
    throw new CloudTrailError(
      "InvalidMaxResultsException",
      `MaxResults must be between 1 and ${MAX_RESULTS}`,
    );
  const start = input.StartTime === undefined ? -Infinity : input.StartTime * 1000;
  const end = input.EndTime === undefined ? Infinity : input.EndTime * 1000;
  if (start > end) throw new CloudTrailError("InvalidTimeRangeException", "StartTime is after EndTime");
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length > 1)
    throw new CloudTrailError(
      "InvalidLookupAttributesException",
      "You can specify only one lookup attribute",
    );
  const [attribute] = attributes;
  const test = attribute?.AttributeKey ? ATTRIBUTES[attribute.AttributeKey] : undefined;
  if (attribute && !test)
    throw new CloudTrailError(
      "InvalidLookupAttributesException",
      `Unknown AttributeKey ${attribute.AttributeKey}`,
    );

  const query = JSON.stringify([start, end, attribute ?? null]);
  let offset = 0;
  if (input.NextToken) {
    const token = readToken(input.NextToken);
    if (!token || token.query !== query)
      throw new CloudTrailError("InvalidNextTokenException", "Invalid NextToken");
    offset = token.offset;
  }
  const found = events.filter(
    (e) =>
      e.time >= start &&
      e.time <= end &&
      isManagementEvent(e.record) &&
      (!test || [test(e.record)].flat().includes(attribute?.AttributeValue)),
  );
  const page = found.slice(offset, offset + max);
  const more = offset + max < found.length;
  return {
    Events: page.map((e) => eventOf(e)),
    ...(more
      ? { NextToken: Buffer.from(JSON.stringify({ query, offset: offset + max })).toString("base64") }
      : {}),
  };
}

function readToken(token: string): { query: string; offset: number } | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, "base64").toString()) as { query?: unknown; offset?: unknown };
    return typeof t.query === "string" && typeof t.offset === "number"
      ? { query: t.query, offset: t.offset }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The event history holds management events; a record that says it is a data event is left out. */
function isManagementEvent(r: Record<string, unknown>): boolean {
  return r.managementEvent !== false && (r.eventCategory === undefined || r.eventCategory === "Management");
}

function eventOf({ record: r, time }: PlantedEvent): Record<string, unknown> {
  const user = userName(r);
  const key = identity(r).accessKeyId;
  return {
    EventId: r.eventID,
    EventName: r.eventName,
    ...(r.readOnly === undefined ? {} : { ReadOnly: String(r.readOnly) }),
    ...(typeof key === "string" ? { AccessKeyId: key } : {}),
    EventTime: time / 1000,
    EventSource: r.eventSource,
    ...(typeof user === "string" ? { Username: user } : {}),
    Resources: resources(r).map((x) => ({ ResourceType: x.type, ResourceName: x.ARN })),
    CloudTrailEvent: JSON.stringify(r),
  };
}

function identity(r: Record<string, unknown>): Record<string, unknown> {
  return (r.userIdentity as Record<string, unknown> | undefined) ?? {};
}

function userName(r: Record<string, unknown>): unknown {
  const id = identity(r);
  const issuer = (id.sessionContext as { sessionIssuer?: { userName?: unknown } } | undefined)?.sessionIssuer;
  return id.userName ?? issuer?.userName;
}

function resources(r: Record<string, unknown>): { ARN?: string; type?: string }[] {
  return Array.isArray(r.resources) ? (r.resources as { ARN?: string; type?: string }[]) : [];
}
