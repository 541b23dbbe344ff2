import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { forwardRequest } from "@orgwarden/cli/demo";

/**
 * A small HTTP proxy in front of moto that behaves like the parts of AWS moto does not: it adds a
 * fixed latency per request, denies AssumeRole into chosen accounts (moto accepts any AssumeRole),
 * and injects faults — throttling, 5xx, connection resets, slow responses, and failures of chosen
 * operations. Used by the fault-tolerance tests and the benchmark.
 */
export interface Faults {
  /** Percent of requests answered with the service's throttling error. */
  throttlePct?: number;
  /** Percent answered with HTTP 500/503. */
  serverErrorPct?: number;
  /** Percent whose connection is reset without an answer. */
  resetPct?: number;
  /** Percent answered only after `slowMs` (longer than the client's timeout). */
  slowPct?: number;
  slowMs?: number;
  /**
   * At most this many faults for one logical request (same action, caller and body), so a run with
   * enough retries always gets through: the tests stay deterministic under random faults.
   */
  maxFaultsPerRequest?: number;
  /** Fail calls of an operation with a non-retryable error: the `from`-th call on (1-based), `count` times. */
  failOperation?: { action: string; from: number; count: number };
}

export interface AwsProxyOptions {
  target: string;
  /** Account ids whose role cannot be assumed: STS answers AccessDenied. */
  denyAssumeRoleInto?: Iterable<string>;
  latencyMs?: number;
  faults?: Faults;
  seed?: number;
}

export interface AwsProxy {
  endpoint: string;
  /** Requests seen, by action (`AssumeRole`, `ListRoots`, ...), retries included. */
  requests: Map<string, number>;
  /** Faults injected, by kind. */
  injected: Map<string, number>;
  setFaults(faults: Faults | undefined): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

type Protocol = "json" | "query" | "rest-json";

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const deny = new Set(options.denyAssumeRoleInto ?? []);
  const target = new URL(options.target);
  const requests = new Map<string, number>();
  const injected = new Map<string, number>();
  const faultsPerRequest = new Map<string, number>();
  const calls = new Map<string, number>();
  let faults = options.faults;
  let latency = options.latencyMs ?? 0;
  const random = mulberry32(options.seed ?? 42);
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const action = actionOf(req, body);
    const protocol = protocolOf(req);
    bump(requests, action);
    if (latency) await sleep(latency);

    if (action === "AssumeRole") {
      const roleArn = new URLSearchParams(body.toString()).get("RoleArn") ?? "";
      const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1];
      if (account && deny.has(account)) {
        return sendError(
          res,
          protocol,
          403,
          "AccessDenied",
          `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        );
      }
    }
    const f = faults;
    if (f?.failOperation && action === f.failOperation.action) {
      const n = (calls.get(action) ?? 0) + 1;
      calls.set(action, n);
      if (n >= f.failOperation.from && n < f.failOperation.from + f.failOperation.count) {
        bump(injected, `fail:${action}`);
        return sendError(
          res,
          protocol,
          400,
          "AccessDeniedException",
          `injected failure of ${action} call ${n}`,
        );
      }
    }
    if (f && !req.url?.startsWith("/moto-api")) {
      const key = fingerprint(req, action, body);
      const used = faultsPerRequest.get(key) ?? 0;
      if (used < (f.maxFaultsPerRequest ?? 2)) {
        const r = random() * 100;
        let edge = 0;
        const hit = (pct: number | undefined) => {
          edge += pct ?? 0;
          return r < edge;
        };
        if (hit(f.throttlePct)) {
          faultsPerRequest.set(key, used + 1);
          bump(injected, "throttle");
          const organizations = String(req.headers["x-amz-target"] ?? "").startsWith("AWSOrganizations");
          const name =
            protocol === "query"
              ? "Throttling"
              : organizations
                ? "TooManyRequestsException"
                : "ThrottlingException";
          return sendError(res, protocol, protocol === "rest-json" ? 429 : 400, name, "Rate exceeded");
        }
        if (hit(f.serverErrorPct)) {
          faultsPerRequest.set(key, used + 1);
          bump(injected, "5xx");
          return sendError(
            res,
            protocol,
            random() < 0.5 ? 500 : 503,
            "ServiceUnavailable",
            "injected server error",
          );
        }
        if (hit(f.resetPct)) {
          faultsPerRequest.set(key, used + 1);
          bump(injected, "reset");
          req.socket.destroy();
          return;
        }
        if (hit(f.slowPct)) {
          faultsPerRequest.set(key, used + 1);
          bump(injected, "slow");
          await sleep(f.slowMs ?? 5000);
        }
      }
    }
    await forwardRequest(target, req, body, res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(err));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.maxRequestsPerSocket = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    injected,
    setFaults: (next) => {
      faults = next;
      faultsPerRequest.clear();
      calls.clear();
    },
    setLatency: (ms) => {
      latency = ms;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The API action of a request: JSON protocols name it in X-Amz-Target, query protocols in the body, REST by path. */
export function actionOf(req: IncomingMessage, body: Buffer): string {
  const amzTarget = req.headers["x-amz-target"];
  if (typeof amzTarget === "string") return amzTarget.slice(amzTarget.lastIndexOf(".") + 1);
  const form = new URLSearchParams(body.toString());
  return form.get("Action") ?? `${req.method} ${req.url?.split("?")[0] ?? ""}`;
}

function protocolOf(req: IncomingMessage): Protocol {
  if (typeof req.headers["x-amz-target"] === "string") return "json";
  if ((req.headers["content-type"] ?? "").includes("x-www-form-urlencoded")) return "query";
  return "rest-json";
}

function sendError(
  res: ServerResponse,
  protocol: Protocol,
  status: number,
  code: string,
  message: string,
): void {
  if (protocol === "query") {
    res.writeHead(status, { "content-type": "text/xml" });
    res.end(
      `<ErrorResponse><Error><Type>${status >= 500 ? "Receiver" : "Sender"}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>proxy-${Date.now()}</RequestId></ErrorResponse>`,
    );
  } else if (protocol === "json") {
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify({ __type: code, message }));
  } else {
    res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": code });
    res.end(JSON.stringify({ message }));
  }
}

function fingerprint(req: IncomingMessage, action: string, body: Buffer): string {
  const auth = String(req.headers.authorization ?? "");
  const key = /Credential=([^/]+)\//.exec(auth)?.[1] ?? "";
  return createHash("sha1").update(`${action}|${key}|${req.url}|`).update(body).digest("hex");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A small seeded PRNG, so a fault pattern can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
