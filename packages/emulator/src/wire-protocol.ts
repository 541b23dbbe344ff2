import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * How the emulator's stand-ins read a request and write an answer in each AWS wire protocol
 * orgwarden's clients speak, so every envelope is written once:
 * - query (IAM, STS): `<XResponse xmlns><XResult>…</XResult><ResponseMetadata><RequestId>…`, errors
 *   `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`;
 *   https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
 * - ec2-query: `<XResponse xmlns><requestId>…</requestId>…`, errors
 *   `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`;
 *   https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
 * - json (JSON 1.1: Organizations, Config, CloudTrail): the output as JSON, errors `{ "__type": code }`;
 * - rest-json (GuardDuty, Security Hub): the output as JSON, the error code in `x-amzn-errortype`.
 */
export type Protocol = "json" | "query" | "ec2-query" | "rest-json";

/** A request as the stand-in proxy has read it. */
export interface StandInRequest {
  req: IncomingMessage;
  body: Buffer;
  accessKey: string;
  service: string;
  action: string;
  /** The query-protocol parameters (empty for the JSON protocols). */
  form: URLSearchParams;
}

/** What a handler returns once it has answered the request. */
export type Answered = "answered";
export const ANSWERED: Answered = "answered";

const CONTENT_TYPE: Record<Protocol, string> = {
  json: "application/x-amz-json-1.1",
  query: "text/xml",
  "ec2-query": "text/xml",
  "rest-json": "application/json",
};

/** A request id shaped like AWS's (a UUID). */
export function requestId(): string {
  return randomBytes(16)
    .toString("hex")
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
}

/** Text for an XML element or attribute: the five characters XML reserves, escaped. */
export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string,
  );
}

/** A query-protocol answer; an action that returns nothing has no `<XResult>`. */
export function queryResponse(ns: string, action: string, result: string, id = requestId()): string {
  const inner = result ? `<${action}Result>${result}</${action}Result>` : "";
  return `<${action}Response xmlns="${ns}">${inner}<ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${action}Response>`;
}

/** An EC2 answer: the request id is the first element of the response itself. */
export function ec2Response(ns: string, action: string, result: string, id = requestId()): string {
  return `<${action}Response xmlns="${ns}"><requestId>${id}</requestId>${result}</${action}Response>`;
}

/** An error in the protocol's own shape, so the SDK reads its code as it would AWS's. */
export function errorBody(
  protocol: Protocol,
  status: number,
  code: string,
  message: string,
  options: { ns?: string; id?: string } = {},
): string {
  const id = options.id ?? requestId();
  switch (protocol) {
    case "query":
      return `<ErrorResponse${options.ns ? ` xmlns="${options.ns}"` : ""}><Error><Type>${status >= 500 ? "Receiver" : "Sender"}</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
    case "ec2-query":
      return `<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`;
    case "json":
      return JSON.stringify({ __type: code, message });
    case "rest-json":
      return JSON.stringify({ Code: code, Message: message });
  }
}

/** Writes an answer with the protocol's content type. */
export function sendAnswer(res: ServerResponse, protocol: Protocol, body: string, status = 200): Answered {
  res.writeHead(status, { "content-type": CONTENT_TYPE[protocol] });
  res.end(body);
  return ANSWERED;
}

/** Writes an error in the protocol's shape (REST-JSON also names the code in `x-amzn-errortype`). */
export function sendAwsError(
  res: ServerResponse,
  protocol: Protocol,
  status: number,
  code: string,
  message: string,
  options: { ns?: string } = {},
): Answered {
  res.writeHead(status, {
    "content-type": CONTENT_TYPE[protocol],
    ...(protocol === "rest-json" ? { "x-amzn-errortype": code } : {}),
  });
  res.end(errorBody(protocol, status, code, message, options));
  return ANSWERED;
}

/** A query-protocol answer, written. */
export function sendQuery(res: ServerResponse, ns: string, action: string, result: string): Answered {
  return sendAnswer(res, "query", queryResponse(ns, action, result));
}

/** A query-protocol error, written, in the service's namespace as IAM and STS answer them. */
export function sendQueryError(
  res: ServerResponse,
  ns: string,
  status: number,
  code: string,
  message: string,
): Answered {
  return sendAwsError(res, "query", status, code, message, { ns });
}

/** A JSON 1.1 or REST-JSON answer, written. */
export function sendJson(
  res: ServerResponse,
  output: unknown,
  protocol: "json" | "rest-json" = "json",
  status = 200,
): Answered {
  return sendAnswer(res, protocol, JSON.stringify(output), status);
}

/** The protocol of a request: JSON names the action in X-Amz-Target, query in the form body, REST by path. */
export function protocolOf(req: IncomingMessage): Protocol {
  if (typeof req.headers["x-amz-target"] === "string") return "json";
  if ((req.headers["content-type"] ?? "").includes("x-www-form-urlencoded"))
    return credentialScope(req).service === "ec2" ? "ec2-query" : "query";
  return "rest-json";
}

/** The API action of a request: JSON protocols name it in X-Amz-Target, query protocols in the body, REST by path. */
export function actionOf(req: IncomingMessage, body: Buffer): string {
  const amzTarget = req.headers["x-amz-target"];
  if (typeof amzTarget === "string") return amzTarget.slice(amzTarget.lastIndexOf(".") + 1);
  const form = new URLSearchParams(body.toString());
  return form.get("Action") ?? `${req.method} ${req.url?.split("?")[0] ?? ""}`;
}

/** The SigV4 credential scope of a request: access key id, region and service. */
export function credentialScope(req: IncomingMessage): {
  accessKeyId: string;
  region: string;
  service: string;
} {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(req.headers.authorization ?? ""));
  return { accessKeyId: m?.[1] ?? "", region: m?.[2] ?? "", service: m?.[3] ?? "" };
}
