import { type IncomingMessage, request, type ServerResponse } from "node:http";
import { ANSWERED, type Answered } from "./wire-protocol.js";

/** An answer from moto read whole, so that a stand-in can change it before sendBuffered sends it on. */
export interface Buffered {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The same request, sent on to `target`. */
function upstreamRequest(target: URL, req: IncomingMessage) {
  return {
    host: target.hostname,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: { ...req.headers, host: target.host },
  };
}

export function forwardBuffered(target: URL, req: IncomingMessage, body: Buffer): Promise<Buffered> {
  return new Promise((resolve, reject) => {
    const up = request(upstreamRequest(target, req), (r) => {
      const chunks: Buffer[] = [];
      r.on("data", (c: Buffer) => chunks.push(c));
      r.on("end", () =>
        resolve({ status: r.statusCode ?? 502, headers: r.headers, body: Buffer.concat(chunks) }),
      );
      r.on("error", reject);
    });
    up.on("error", reject);
    up.end(body);
  });
}

export function sendBuffered(res: ServerResponse, up: Buffered): Answered {
  const headers = { ...up.headers };
  delete headers["content-length"];
  delete headers["transfer-encoding"];
  res.writeHead(up.status, { ...headers, "content-length": String(up.body.length) });
  res.end(up.body);
  return ANSWERED;
}

/**
 * Sends the request on to `target` and streams the answer back; a failure to reach it is a 502.
 * Also the fault proxy's way through (packages/emulator/src/aws-proxy.ts).
 */
export function forwardRequest(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
): Promise<Answered> {
  return new Promise((resolve) => {
    const up = request(upstreamRequest(target, req), (r) => {
      if (res.destroyed) {
        // The client went away (a reset the fault proxy injected): drain and forget the answer.
        r.resume();
        return resolve(ANSWERED);
      }
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      r.on("end", () => resolve(ANSWERED));
    });
    up.on("error", (err) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
      resolve(ANSWERED);
    });
    up.end(body);
  });
}
