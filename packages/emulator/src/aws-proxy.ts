import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultInjector, type Faults, sleep } from "./fault-injector.js";
import { forwardRequest } from "./forward-request.js";
import { actionOf, protocolOf, sendAwsError } from "./wire-protocol.js";

/**
 * A small HTTP proxy in front of moto that behaves like the parts of AWS moto does not: it adds a
 * fixed latency per request, denies AssumeRole into chosen accounts (moto accepts any AssumeRole),
 * and injects faults — throttling, 5xx, connection resets, slow responses (fault-injector.ts), and
 * failures of chosen operations. Used by the fault-tolerance tests and the benchmark.
 */
export interface ProxyFaults extends Faults {
  /** Fail calls of an operation with a non-retryable error: the `from`-th call on (1-based), `count` times. */
  failOperation?: { action: string; from: number; count: number };
}

export interface AwsProxyOptions {
  target: string;
  /** Account ids whose role cannot be assumed: STS answers AccessDenied. */
  denyAssumeRoleInto?: Iterable<string>;
  latencyMs?: number;
  faults?: ProxyFaults;
  seed?: number;
  /** Sees every request (its action and body) before it is answered. */
  onRequest?: (action: string, body: Buffer, req: IncomingMessage) => void;
}

export interface AwsProxy {
  endpoint: string;
  /** Requests seen, by action (`AssumeRole`, `ListRoots`, ...), retries included. */
  requests: Map<string, number>;
  /** Faults injected, by kind. */
  injected: Map<string, number>;
  setFaults(faults: ProxyFaults | undefined): void;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const deny = new Set(options.denyAssumeRoleInto ?? []);
  const target = new URL(options.target);
  const requests = new Map<string, number>();
  const injected = new Map<string, number>();
  const calls = new Map<string, number>();
  const injector = new FaultInjector(options.faults, options.seed ?? 42);
  let failOperation = options.faults?.failOperation;
  let latency = options.latencyMs ?? 0;
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const action = actionOf(req, body);
    const protocol = protocolOf(req);
    bump(requests, action);
    options.onRequest?.(action, body, req);
    if (latency) await sleep(latency);

    if (action === "AssumeRole") {
      const roleArn = new URLSearchParams(body.toString()).get("RoleArn") ?? "";
      const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1];
      if (account && deny.has(account)) {
        return sendAwsError(
          res,
          protocol,
          403,
          "AccessDenied",
          `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        );
      }
    }
    const failing = failOperation;
    if (failing && action === failing.action) {
      const n = (calls.get(action) ?? 0) + 1;
      calls.set(action, n);
      if (n >= failing.from && n < failing.from + failing.count) {
        bump(injected, `fail:${action}`);
        return sendAwsError(
          res,
          protocol,
          400,
          "AccessDeniedException",
          `injected failure of ${action} call ${n}`,
        );
      }
    }
    if (!req.url?.startsWith("/moto-api")) {
      const kind = injector.choose(req, action, body);
      if (kind) {
        bump(injected, kind);
        if (await injector.inject(kind, req, res, protocol)) return;
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
      injector.set(next);
      failOperation = next?.failOperation;
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
