import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small HTTP proxy in front of moto that behaves like the parts of AWS moto does not: it denies
 * AssumeRole into chosen accounts (moto accepts any AssumeRole) and adds latency per request.
 */
export interface AwsProxyOptions {
  target: string;
  /** Account ids whose role cannot be assumed: STS answers AccessDenied. */
  denyAssumeRoleInto?: Iterable<string>;
  latencyMs?: number;
}

export interface AwsProxy {
  endpoint: string;
  /** Requests seen, by action (`AssumeRole`, `ListRoots`, ...). */
  requests: Map<string, number>;
  stop(): Promise<void>;
}

export async function startAwsProxy(options: AwsProxyOptions): Promise<AwsProxy> {
  const deny = new Set(options.denyAssumeRoleInto ?? []);
  const target = new URL(options.target);
  const requests = new Map<string, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const action = actionOf(req, body);
    requests.set(action, (requests.get(action) ?? 0) + 1);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (action === "AssumeRole") {
      const roleArn = new URLSearchParams(body.toString()).get("RoleArn") ?? "";
      const account = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(roleArn)?.[1];
      if (account && deny.has(account)) {
        res.writeHead(403, { "content-type": "text/xml" });
        res.end(
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>` +
            `<Message>User: arn:aws:iam::123456789012:user/operator is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message>` +
            `</Error><RequestId>denied-by-test-proxy</RequestId></ErrorResponse>`,
        );
        return;
      }
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The API action of a request: JSON protocols name it in X-Amz-Target, query protocols in the body. */
export function actionOf(req: IncomingMessage, body: Buffer): string {
  const amzTarget = req.headers["x-amz-target"];
  if (typeof amzTarget === "string") return amzTarget.slice(amzTarget.lastIndexOf(".") + 1);
  const form = new URLSearchParams(body.toString());
  return form.get("Action") ?? `${req.method} ${req.url?.split("?")[0] ?? ""}`;
}
