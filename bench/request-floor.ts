/**
 * The floor of one request: `pnpm bench:request [--requests 20000] [--scopes 64]`.
 *
 * orgwarden's CPU per account is mostly the SDK's request path (serialising, endpoint resolution,
 * signing, the HTTP exchange, parsing). This sends GetAccountSummary through the ClientFactory
 * (one shared IAM client, a view per scope, as the report does) to a local server that answers at
 * once, and prints the CPU per request — client and server together, in one process — so a change
 * to the request path can be measured without the noise of a whole report.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { GetAccountSummaryCommand, IAMClient } from "@aws-sdk/client-iam";
import { ClientFactory } from "@orgwarden/core";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    scopes: { type: "string", default: "64" },
  },
});
const BODY =
  '<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountSummaryResult><SummaryMap><entry><key>Users</key><value>1</value></entry><entry><key>AccountMFAEnabled</key><value>1</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetAccountSummaryResponse>';
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "text/xml" });
    res.end(BODY);
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const factory = new ClientFactory({ region: "us-east-1", endpoint });
// One view per scope, with assumed-role-like credentials (a session token).
const clients = Array.from({ length: Number(values.scopes) }, (_, i) =>
  factory.create(IAMClient, {
    scope: `scope-${i}`,
    credentials: {
      accessKeyId: `ASIA${String(i).padStart(16, "0")}`,
      secretAccessKey: "secret",
      sessionToken: "t".repeat(300),
    },
  }),
);
async function send(n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (next++ < n) await c.send(new GetAccountSummaryCommand({}));
    }),
  );
}
const n = Number(values.requests);
// Warm-up: module loading and JIT are not the request's cost.
await send(Math.min(2_000, n));
const before = process.cpuUsage();
const t0 = performance.now();
await send(n);
const used = process.cpuUsage(before);
console.log(
  `${n} requests over ${clients.length} scopes: ${((used.user + used.system) / n).toFixed(0)} µs of CPU per request (client and server), ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
factory.destroy();
server.close();
