import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type Clock, SYSTEM_CLOCK } from "@orgwarden/core";
import { type Answered, sendAwsError, sendJson } from "../wire-protocol.js";
import { evaluate, LakeSqlError, lakeText, matches, parseLakeSql } from "./lake-sql.js";
import { CloudTrailError, lookupEvents, type PlantedEvent } from "./lookup-events.js";

/**
 * What moto 5.2.1 lacks of CloudTrail, in front of it (JSON 1.1): LookupEvents, and CloudTrail Lake's
 * StartQuery, DescribeQuery and GetQueryResults, over events planted through the control path. Every
 * other CloudTrail action (trails, their status) passes on to moto.
 * - LookupEvents answers the caller's account (from its access key) in the region it signed for,
 *   and throttles past 2 requests per second per account and region as AWS does (a bucket of two,
 *   ThrottlingException): "The rate of lookup requests is limited to two per second, per account,
 *   per Region." https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html
 * - A Lake query runs the SQL subset of lake-sql.ts over every planted event, whatever the event data
 *   store; DescribeQuery reports QUEUED, then RUNNING, then FINISHED, one step per call.
 *
 * Control path (not AWS): PUT /orgwarden-standin/cloudtrail-events with `{ "events": [record, …] }`
 * plants records (account from recipientAccountId, region from awsRegion) and may set
 * `lookupEventsPerSecond` (0: never throttle); DELETE forgets the events; GET returns the counts.
 * POST /moto-api/reset forgets everything.
 */
export const CLOUDTRAIL_EVENTS_PATH = "/orgwarden-standin/cloudtrail-events";

export interface CloudTrailStandInState {
  events: number;
  lookupEventsPerSecond: number;
  /** LookupEvents requests received, the throttled ones included. */
  lookupEventsRequests: number;
  lookupEventsThrottled: number;
  lakeQueries: number;
  /** StartQuery, DescribeQuery and GetQueryResults requests. */
  lakeRequests: number;
}

export interface CloudTrailStandIn {
  /** Answers a CloudTrail request it stands in for; undefined passes it on to moto. */
  handle(
    action: string,
    body: Buffer,
    caller: { account: () => Promise<string>; region: string },
    res: ServerResponse,
  ): Promise<Answered | undefined>;
  control(method: string, body: Buffer, res: ServerResponse): Answered;
  reset(): void;
}

const LOOKUP_EVENTS_RATE = 2;
const LAKE_STEPS = ["QUEUED", "RUNNING", "FINISHED"] as const;
const MAX_QUERY_RESULTS = 1_000;

interface LakeRun {
  statement: string;
  rows: Record<string, string>[][];
  step: number;
}

export function cloudTrailStandIn(options: { clock?: Clock } = {}): CloudTrailStandIn {
  const clock = options.clock ?? SYSTEM_CLOCK;
  /** Newest first, per account and region. */
  let byAccountRegion = new Map<string, PlantedEvent[]>();
  let all: PlantedEvent[] = [];
  let buckets = new Map<string, { tokens: number; at: number }>();
  let queries = new Map<string, LakeRun>();
  let state = initialState();

  /** Takes a token of the account-region's bucket; false when it is empty (the request is throttled). */
  const take = (key: string): boolean => {
    const rate = state.lookupEventsPerSecond;
    if (rate <= 0) return true;
    const now = clock.now();
    const b = buckets.get(key) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };

  const answer = async (
    action: string,
    body: string,
    caller: { account: () => Promise<string>; region: string },
    res: ServerResponse,
  ): Promise<Answered | undefined> => {
    switch (action) {
      case "LookupEvents": {
        state.lookupEventsRequests++;
        const key = `${await caller.account()}/${caller.region}`;
        if (!take(key)) {
          state.lookupEventsThrottled++;
          throw new CloudTrailError("ThrottlingException", "Rate exceeded");
        }
        return sendJson(res, lookupEvents(byAccountRegion.get(key) ?? [], body));
      }
      case "StartQuery": {
        state.lakeRequests++;
        const input = JSON.parse(body || "{}") as { QueryStatement?: string };
        if (!input.QueryStatement)
          throw new CloudTrailError("InvalidParameterException", "QueryStatement is required");
        const rows = runLakeQuery(input.QueryStatement, all);
        const id = randomUUID();
        queries.set(id, { statement: input.QueryStatement, rows, step: 0 });
        state.lakeQueries++;
        return sendJson(res, { QueryId: id });
      }
      case "DescribeQuery": {
        state.lakeRequests++;
        const run = queryOf(queries, body);
        const status = LAKE_STEPS[run.step] as string;
        run.step = Math.min(run.step + 1, LAKE_STEPS.length - 1);
        return sendJson(res, {
          QueryId: JSON.parse(body).QueryId,
          QueryString: run.statement,
          QueryStatus: status,
          QueryStatistics: { EventsMatched: run.rows.length, EventsScanned: all.length, BytesScanned: 0 },
        });
      }
      case "GetQueryResults": {
        state.lakeRequests++;
        const run = queryOf(queries, body);
        const input = JSON.parse(body) as { NextToken?: string; MaxQueryResults?: number };
        const max = input.MaxQueryResults ?? MAX_QUERY_RESULTS;
        if (max < 1 || max > MAX_QUERY_RESULTS)
          throw new CloudTrailError(
            "InvalidMaxResultsException",
            "MaxQueryResults must be between 1 and 1000",
          );
        const status = LAKE_STEPS[run.step] as string;
        if (status !== "FINISHED") return sendJson(res, { QueryStatus: status, QueryResultRows: [] });
        const offset = input.NextToken ? Number(Buffer.from(input.NextToken, "base64").toString()) : 0;
        if (!Number.isInteger(offset) || offset < 0)
          throw new CloudTrailError("InvalidNextTokenException", "Invalid NextToken");
        const more = offset + max < run.rows.length;
        return sendJson(res, {
          QueryStatus: status,
          QueryStatistics: {
            ResultsCount: Math.min(max, run.rows.length - offset),
            TotalResultsCount: run.rows.length,
          },
          QueryResultRows: run.rows.slice(offset, offset + max),
          ...(more ? { NextToken: Buffer.from(String(offset + max)).toString("base64") } : {}),
        });
      }
      default:
        return undefined;
    }
  };

  return {
    async handle(action, body, caller, res) {
      try {
        return await answer(action, body.toString(), caller, res);
      } catch (err) {
        if (err instanceof CloudTrailError)
          return sendAwsError(res, "json", err.status, err.code, err.message);
        if (err instanceof LakeSqlError)
          return sendAwsError(res, "json", 400, "InvalidQueryStatementException", err.message);
        throw err;
      }
    },
    control(method, body, res) {
      if (method === "PUT") {
        const input = JSON.parse(body.toString() || "{}") as {
          events?: unknown[];
          lookupEventsPerSecond?: number;
        };
        try {
          all = [...all, ...(input.events ?? []).map(plantedEvent)].sort((a, b) => b.time - a.time);
          byAccountRegion = new Map();
          for (const e of all) {
            const key = `${e.record.recipientAccountId}/${e.record.awsRegion}`;
            const list = byAccountRegion.get(key) ?? [];
            list.push(e);
            byAccountRegion.set(key, list);
          }
        } catch (err) {
          return sendJson(res, { error: (err as Error).message }, "rest-json", 400);
        }
        if (typeof input.lookupEventsPerSecond === "number")
          state.lookupEventsPerSecond = input.lookupEventsPerSecond;
      } else if (method === "DELETE") {
        all = [];
        byAccountRegion = new Map();
        queries = new Map();
      } else if (method !== "GET") {
        return sendJson(res, { error: `${method} is not supported: GET, PUT or DELETE` }, "rest-json", 405);
      }
      state.events = all.length;
      return sendJson(res, state, "rest-json");
    },
    reset() {
      all = [];
      byAccountRegion = new Map();
      buckets = new Map();
      queries = new Map();
      state = initialState();
    },
  };
}

function initialState(): CloudTrailStandInState {
  return {
    events: 0,
    lookupEventsPerSecond: LOOKUP_EVENTS_RATE,
    lookupEventsRequests: 0,
    lookupEventsThrottled: 0,
    lakeQueries: 0,
    lakeRequests: 0,
  };
}

/** A record as planted: it must say its account, region and time, as every CloudTrail record does. */
function plantedEvent(value: unknown): PlantedEvent {
  const r = value as Record<string, unknown>;
  const time = typeof r?.eventTime === "string" ? Date.parse(r.eventTime) : Number.NaN;
  if (typeof r?.recipientAccountId !== "string" || typeof r.awsRegion !== "string" || Number.isNaN(time))
    throw new Error("each event needs recipientAccountId, awsRegion and eventTime (ISO 8601)");
  return { record: r, time };
}

function queryOf(queries: Map<string, LakeRun>, body: string): LakeRun {
  const id = (JSON.parse(body || "{}") as { QueryId?: string }).QueryId ?? "";
  const run = queries.get(id);
  if (!run) throw new CloudTrailError("QueryIdNotFoundException", `The query ID ${id} does not exist`);
  return run;
}

/** The rows of a query: one cell per selected column that has a value (`{ alias: text }`), newest event first. */
function runLakeQuery(statement: string, events: readonly PlantedEvent[]): Record<string, string>[][] {
  const query = parseLakeSql(statement);
  return events
    .filter((e) => matches(query.where, e.record))
    .map((e) =>
      query.columns.flatMap(({ expr, alias }) => {
        const text = lakeText(expr, evaluate(expr, e.record));
        return text === undefined ? [] : [{ [alias]: text }];
      }),
    );
}
