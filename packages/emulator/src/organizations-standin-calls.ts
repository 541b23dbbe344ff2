import type { IncomingMessage, ServerResponse } from "node:http";
import { forwardBuffered } from "./forward-request.js";
import { type StandInRequest, sendAwsError, sendJson } from "./wire-protocol.js";

/** What the Organizations stand-ins need of moto and of the JSON 1.1 protocol, written once. */

/** A request's JSON input, with the paginated lists' fields. */
export type OrganizationsInput = Record<string, unknown> & { NextToken?: string; MaxResults?: number };

export interface MotoRoot {
  Id: string;
  Arn: string;
  Name: string;
  PolicyTypes?: Array<{ Type: string; Status: string }>;
}

/** Asks moto an Organizations call as the request's caller (its signature's access key). */
export async function askOrganizations(
  upstream: URL,
  r: StandInRequest,
  action: string,
  input: unknown,
): Promise<{ status: number; json: () => Record<string, never> }> {
  const req = {
    method: "POST",
    url: "/",
    headers: {
      authorization: r.req.headers.authorization,
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSOrganizationsV20161128.${action}`,
    },
  } as unknown as IncomingMessage;
  const up = await forwardBuffered(upstream, req, Buffer.from(JSON.stringify(input)));
  return { status: up.status, json: () => JSON.parse(up.body.toString() || "{}") as Record<string, never> };
}

/** The organization's roots as moto lists them (its PolicyTypes are moto's types only). */
export async function motoRoots(upstream: URL, r: StandInRequest): Promise<MotoRoot[]> {
  return ((await askOrganizations(upstream, r, "ListRoots", {})).json().Roots ?? []) as MotoRoot[];
}

/** A root, OU or account as ListTargetsForPolicy lists it. */
export interface OrganizationsTarget {
  TargetId: string;
  Arn: string;
  Name: string;
  Type: "ROOT" | "ORGANIZATIONAL_UNIT" | "ACCOUNT";
}

/** The root, OU or account with this id, as moto knows it, or undefined when it has none. */
export async function describeTarget(
  upstream: URL,
  r: StandInRequest,
  id: string,
): Promise<OrganizationsTarget | undefined> {
  if (id.startsWith("r-")) {
    const root = (await motoRoots(upstream, r)).find((x) => x.Id === id);
    return root && { TargetId: id, Arn: root.Arn, Name: root.Name, Type: "ROOT" };
  }
  const ou = id.startsWith("ou-");
  const out = await askOrganizations(
    upstream,
    r,
    ou ? "DescribeOrganizationalUnit" : "DescribeAccount",
    ou ? { OrganizationalUnitId: id } : { AccountId: id },
  );
  if (out.status !== 200) return undefined;
  const found = (ou ? out.json().OrganizationalUnit : out.json().Account) as
    | { Arn: string; Name: string }
    | undefined;
  return (
    found && { TargetId: id, Arn: found.Arn, Name: found.Name, Type: ou ? "ORGANIZATIONAL_UNIT" : "ACCOUNT" }
  );
}

/** Writes a JSON 1.1 answer: the request is handled. */
export function answer(res: ServerResponse, output: unknown): true {
  sendJson(res, output);
  return true;
}

/** Writes an Organizations error; `extra` carries a ConstraintViolationException's Reason. */
export function refuse(
  res: ServerResponse,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): true {
  if (Object.keys(extra).length === 0) sendAwsError(res, "json", 400, code, message);
  else sendJson(res, { __type: code, message, ...extra }, "json", 400);
  return true;
}

/** One page of a list: MaxResults items (20 by default) from the index a NextToken names. */
export function pageOf<T>(
  key: string,
  items: readonly T[],
  input: OrganizationsInput,
): Record<string, unknown> {
  const start = Number(input.NextToken ?? 0) || 0;
  const size = Math.max(1, Number(input.MaxResults ?? 20));
  const next = start + size < items.length ? String(start + size) : undefined;
  return { [key]: items.slice(start, start + size), ...(next ? { NextToken: next } : {}) };
}
