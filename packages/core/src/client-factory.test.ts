import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { CloudTrailClient, DescribeTrailsCommand, paginateListTrails } from "@aws-sdk/client-cloudtrail";
import { GetAccountSummaryCommand, IAMClient } from "@aws-sdk/client-iam";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiCallCounter } from "./api-call-counter.js";
import { ClientFactory } from "./client-factory.js";
import { manualClock } from "./clock.js";
import { RequestPace } from "./request-pace.js";

// A server that answers GetAccountSummary and records the access key of each request's signature.
const seen: string[] = [];
let leaked = 0;
let endpoint = "";
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    seen.push(/Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1] ?? "");
    // The scope's id travels in a header to the signer only: it never reaches AWS.
    if (req.headers["x-orgwarden-scope"] !== undefined) leaked += 1;
    // A little latency, so requests of different scopes are in flight together.
    setTimeout(() => {
      // JSON-protocol services (CloudTrail) name the operation in X-Amz-Target.
      if (req.headers["x-amz-target"]) {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end("{}");
        return;
      }
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(
        '<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>1</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetAccountSummaryResponse>',
      );
    }, 5);
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("ClientFactory: one SDK client per service, each account signing as itself", () => {
  it("signs every request with its own scope's credentials, with many scopes in flight at once", async () => {
    const counter = new ApiCallCounter();
    const factory = new ClientFactory({ region: "us-east-1", endpoint, callCounter: counter });
    seen.length = 0;
    const keys = Array.from({ length: 40 }, (_, i) => `ASIA${String(i).padStart(16, "0")}`);
    // Static identities and providers (as assumed-role credentials are), interleaved.
    const clients = keys.map((key, i) =>
      factory.create(IAMClient, {
        scope: `account-${i}`,
        credentials:
          i % 2 === 0
            ? { accessKeyId: key, secretAccessKey: "s" }
            : async () => ({
                accessKeyId: key,
                secretAccessKey: "s",
                expiration: new Date(Date.now() + 3_600_000),
              }),
      }),
    );
    const order: string[] = [];
    await Promise.all(
      clients.flatMap((c, i) =>
        [0, 1, 2].map(async () => {
          await c.send(new GetAccountSummaryCommand({}));
          order.push(keys[i] as string);
        }),
      ),
    );
    expect(seen).toHaveLength(120);
    // Each key signed exactly its own three requests.
    for (const key of keys) expect(seen.filter((k) => k === key)).toHaveLength(3);
    expect(counter.byScope()["account-7"]).toBe(3);
    expect(counter.byOperation()["IAM.GetAccountSummary"]).toBe(120);
    // The views share one SDK client: same configuration (each with its scope's credentials), same class.
    expect(clients[0]).toBeInstanceOf(IAMClient);
    expect(Object.getPrototypeOf(clients[0]?.config)).toBe(Object.getPrototypeOf(clients[1]?.config));
    expect(clients[1]?.config.credentials).not.toBe(clients[0]?.config.credentials);
    factory.destroy();
  });

  it("without AsyncLocalStorage: every service and protocol signs as the view's scope, a reused input object too", async () => {
    const factory = new ClientFactory({ region: "us-east-1", endpoint });
    seen.length = 0;
    const keys = Array.from({ length: 24 }, (_, i) => `AKIA${String(i).padStart(16, "0")}`);
    // One input object shared by every scope's commands: each command is still signed as its own scope.
    const shared = {};
    await Promise.all(
      keys.flatMap((key, i) => {
        const credentials = { accessKeyId: key, secretAccessKey: "s" };
        const iam = factory.create(IAMClient, { scope: `account-${i}`, credentials });
        const trail = factory.create(CloudTrailClient, { scope: `account-${i}`, credentials });
        return [
          iam.send(new GetAccountSummaryCommand(shared)),
          trail.send(new DescribeTrailsCommand(shared)),
          trail.send(new DescribeTrailsCommand({})),
        ];
      }),
    );
    expect(seen).toHaveLength(72);
    expect(leaked).toBe(0);
    for (const key of keys) expect(seen.filter((k) => k === key)).toHaveLength(3);
    // No promise hook is left on: nothing in the factory uses AsyncLocalStorage.
    expect(readFileSync(new URL("./client-factory.ts", import.meta.url), "utf8")).not.toContain(
      "AsyncLocalStorage",
    );
    factory.destroy();
  });

  it("signs with a key derived from the scope's own secret, with more scopes in flight than the SDK's 50-key cache", async () => {
    // A server that checks each signature as AWS does (SigV4 computed here with node:crypto), with
    // the secret of the access key that signed.
    const secrets = new Map<string, string>();
    const verdicts: boolean[] = [];
    const verifying = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        verdicts.push(sigV4Holds(req, Buffer.concat(chunks), secrets));
        setTimeout(() => {
          res.writeHead(200, { "content-type": "text/xml" });
          res.end(
            "<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap></SummaryMap></GetAccountSummaryResult></GetAccountSummaryResponse>",
          );
        }, 2);
      });
    });
    await new Promise<void>((r) => verifying.listen(0, "127.0.0.1", r));
    const factory = new ClientFactory({
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${(verifying.address() as AddressInfo).port}`,
    });
    const send = (i: number, generation: number) => {
      const accessKeyId = `ASIA${String(i).padStart(12, "0")}G${generation}`;
      const secretAccessKey = `secret-${i}-${generation}`;
      secrets.set(accessKeyId, secretAccessKey);
      // Credentials rotate: a new object with a new secret signs with a key of its own.
      return factory
        .create(IAMClient, {
          scope: `account-${i}|${generation}`,
          credentials: { accessKeyId, secretAccessKey },
        })
        .send(new GetAccountSummaryCommand({}));
    };
    const scopes = Array.from({ length: 120 }, (_, i) => i);
    await Promise.all(scopes.flatMap((i) => [send(i, 1), send(i, 1), send(i, 2)]));
    expect(verdicts).toHaveLength(360);
    expect(verdicts.every(Boolean)).toBe(true);
    factory.destroy();
    await new Promise<void>((r) => verifying.close(() => r()));
  });

  it("counts a throttled call's retry and back-off, and the account's span, for the benchmark's fault runs", async () => {
    let n = 0;
    const throttling = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        n += 1;
        if (n === 1) {
          res.writeHead(400, { "content-type": "text/xml" });
          res.end(
            "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>x</RequestId></ErrorResponse>",
          );
          return;
        }
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(
          "<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap></SummaryMap></GetAccountSummaryResult></GetAccountSummaryResponse>",
        );
      });
    });
    await new Promise<void>((r) => throttling.listen(0, "127.0.0.1", r));
    const counter = new ApiCallCounter();
    const factory = new ClientFactory({
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${(throttling.address() as AddressInfo).port}`,
      callCounter: counter,
    });
    const iam = factory.create(IAMClient, {
      scope: "111111111111",
      credentials: { accessKeyId: "A", secretAccessKey: "s" },
    });
    await iam.send(new GetAccountSummaryCommand({}));
    const waits = counter.waitSummary();
    expect(n).toBe(2);
    expect(waits.retries).toEqual({ throttling: 1, transient: 0 });
    expect(waits.accountSpanMs.max).toBeGreaterThanOrEqual(waits.backoffMs.throttling);
    factory.destroy();
    await new Promise<void>((r) => throttling.close(() => r()));
  });

  it("sends on every request the user-agent headers the SDK itself makes for that request", async () => {
    const heard: string[] = [];
    const recording = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        const service = req.method === "PUT" ? "s3" : req.headers["x-amz-target"] ? "cloudtrail" : "iam";
        heard.push(`${service} ${req.headers["user-agent"]} | ${req.headers["x-amz-user-agent"]}`);
        if (service === "s3") {
          res.writeHead(200, { etag: '"e"' });
          res.end();
        } else if (service === "cloudtrail") {
          res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
          res.end("{}");
        } else {
          res.writeHead(200, { "content-type": "text/xml" });
          res.end(
            '<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountSummaryResult><SummaryMap></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetAccountSummaryResponse>',
          );
        }
      });
    });
    await new Promise<void>((r) => recording.listen(0, "127.0.0.1", r));
    const at = `http://127.0.0.1:${(recording.address() as AddressInfo).port}`;
    const credentials = (i: number) => ({
      accessKeyId: `AKIA${String(i).padStart(16, "0")}`,
      secretAccessKey: "s",
    });
    // Plain and paginated calls, and S3 uploads whose feature metrics differ from one to the next
    // (a checksum asked for, or not): a header cached under the wrong key shows.
    const calls = async (iam: IAMClient, trail: CloudTrailClient, s3: S3Client) => {
      await iam.send(new GetAccountSummaryCommand({}));
      await trail.send(new DescribeTrailsCommand({}));
      for await (const _ of paginateListTrails({ client: trail }, {})) break;
      const put = { Bucket: "b", Key: "k", Body: "x" };
      await s3.send(new PutObjectCommand(put));
      await s3.send(new PutObjectCommand({ ...put, ChecksumAlgorithm: "SHA256" }));
      await s3.send(new PutObjectCommand(put));
      await s3.send(new PutObjectCommand({ ...put, ChecksumAlgorithm: "CRC32" }));
    };
    try {
      // The SDK's own middleware, in its own place: plain clients made as the factory makes its
      // shared ones (credentials from a provider, the middleware stack cached per command).
      const plain = {
        region: "us-east-1",
        endpoint: at,
        credentials: async () => credentials(0),
        cacheMiddleware: true,
      };
      const sdkClients = [
        new IAMClient(plain),
        new CloudTrailClient(plain),
        new S3Client({ ...plain, forcePathStyle: true }),
      ] as const;
      for (let round = 0; round < 2; round++) await calls(...sdkClients);
      for (const c of sdkClients) c.destroy();
      const sdk = heard.splice(0);
      // Through the factory: the same calls, as two scopes one after the other on its shared clients.
      const factory = new ClientFactory({ region: "us-east-1", endpoint: at });
      for (const i of [1, 2]) {
        const scope = { scope: `account-${i}`, credentials: credentials(i) };
        await calls(
          factory.create(IAMClient, scope),
          factory.create(CloudTrailClient, scope),
          factory.create(S3Client, scope),
        );
      }
      factory.destroy();
      expect(heard).toHaveLength(14);
      expect(heard).toEqual(sdk);
      // The uploads' metrics do differ from one to the next.
      expect(new Set(sdk.filter((h) => h.startsWith("s3 "))).size).toBeGreaterThan(1);
      expect(sdk[0]).toMatch(/^iam aws-sdk-js\/\S+ ua\/\S+ os\/.* api\/iam#\S+ m\/\S+ \| aws-sdk-js\/\S+$/);
    } finally {
      await new Promise<void>((r) => recording.close(() => r()));
    }
  });

  it("a scope's view is reused until released, then made again", () => {
    const factory = new ClientFactory({ region: "us-east-1", endpoint });
    const creds = { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "s" };
    const a = factory.create(IAMClient, { scope: "111111111111", credentials: creds });
    expect(factory.create(IAMClient, { scope: "111111111111", credentials: creds })).toBe(a);
    factory.releaseScope("111111111111");
    const b = factory.create(IAMClient, { scope: "111111111111", credentials: creds });
    expect(b).not.toBe(a);
    // A new view of the same shared client.
    expect(Object.getPrototypeOf(b.config)).toBe(Object.getPrototypeOf(a.config));
    factory.destroy();
  });
});

describe("RequestPace", () => {
  it("starts a burst at once, then at most `rate` per second, and runs at most `concurrency` at once", async () => {
    const clock = manualClock();
    const pace = new RequestPace(50, 2, 5, clock);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 11 }, () =>
        pace.run(async () => {
          started.push(clock.now());
          running += 1;
          most = Math.max(most, running);
          await new Promise((r) => setImmediate(r));
          running -= 1;
        }),
      ),
    );
    expect(most).toBeLessThanOrEqual(2);
    // 5 at once (the burst needs no wait), then 6 more 20 ms apart.
    expect(started).toEqual([0, 0, 0, 0, 0, 20, 40, 60, 80, 100, 120]);
  });

  it("refills while quiet: after a second of nothing, a whole burst again", async () => {
    const clock = manualClock();
    const pace = new RequestPace(10, 5, 5, clock);
    const started: number[] = [];
    const run = (n: number) =>
      Promise.all(Array.from({ length: n }, () => pace.run(async () => void started.push(clock.now()))));
    await run(6);
    await clock.sleep(1000);
    await run(5);
    expect(started).toEqual([0, 0, 0, 0, 0, 100, 1100, 1100, 1100, 1100, 1100]);
  });
});

/**
 * Whether a request's SigV4 signature is the one its access key's secret gives: the canonical
 * request and string to sign of AWS's "Create a signed AWS API request" page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
function sigV4Holds(req: IncomingMessage, body: Buffer, secrets: ReadonlyMap<string, string>): boolean {
  const auth =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization),
    );
  if (!auth) return false;
  const [, keyId, day, region, service, signedHeaders, signature] = auth as unknown as string[];
  const secret = secrets.get(keyId as string);
  if (!secret) return false;
  const sha = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");
  const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
  const url = new URL(String(req.url), "http://x");
  const names = String(signedHeaders).split(";");
  const canonical = [
    req.method,
    url.pathname,
    [...url.searchParams]
      .sort()
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join("&"),
    ...names.map((n) => `${n}:${String(req.headers[n]).trim().replace(/\s+/g, " ")}`),
    "",
    signedHeaders,
    sha(body),
  ].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", String(req.headers["x-amz-date"]), scope, sha(canonical)].join("\n");
  let key: Buffer = hmac(`AWS4${secret}`, day as string);
  for (const part of [region, service, "aws4_request"]) key = hmac(key, part as string);
  return createHmac("sha256", key).update(toSign).digest("hex") === signature;
}
