// A tiny S3 for bench/impact-read.ts: ListObjectsV2 (prefix, delimiter, 1,000 keys a page,
// continuation tokens) and GetObject, path-style, from objects held in memory, counting its requests.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A path-style S3 endpoint over `objects`: ListObjectsV2 (prefix, delimiter, 1,000 keys a page) and GetObject. */
export async function startS3StandIn(bucket: string, objects: Map<string, Buffer>) {
  const keys = [...objects.keys()];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = decodeURIComponent(url.pathname);
    if (path === `/${bucket}` || path === `/${bucket}/`) {
      res.writeHead(200, { "content-type": "application/xml" });
      res.end(listing(bucket, keys, url.searchParams));
      return;
    }
    const body = objects.get(path.slice(bucket.length + 2));
    if (!body) {
      res.writeHead(404, { "content-type": "application/xml" });
      res.end("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function listing(bucket: string, keys: string[], q: URLSearchParams): string {
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const after = q.get("continuation-token")
    ? Buffer.from(q.get("continuation-token") as string, "base64").toString()
    : "";
  // The first key at or after the prefix (and after the continuation token).
  let lo = 0;
  let hi = keys.length;
  let from = prefix;
  if (after > prefix) from = after;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid] as string) < from || keys[mid] === after) lo = mid + 1;
    else hi = mid;
  }
  const contents: string[] = [];
  const common: string[] = [];
  let last = "";
  let i = lo;
  for (; i < keys.length && contents.length + common.length < 1000; i++) {
    const key = keys[i] as string;
    if (!key.startsWith(prefix)) break;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const folder = key.slice(0, cut + delimiter.length);
      if (common.at(-1) !== folder) common.push(folder);
    } else contents.push(key);
    last = key;
  }
  const truncated = i < keys.length && (keys[i] as string).startsWith(prefix);
  return `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${contents.length + common.length}</KeyCount><MaxKeys>1000</MaxKeys>${delimiter ? `<Delimiter>${delimiter}</Delimiter>` : ""}<IsTruncated>${truncated}</IsTruncated>${contents.map((k) => `<Contents><Key>${k}</Key><LastModified>2026-03-08T00:00:00.000Z</LastModified><ETag>"0"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`).join("")}${common.map((p) => `<CommonPrefixes><Prefix>${p}</Prefix></CommonPrefixes>`).join("")}${truncated ? `<NextContinuationToken>${Buffer.from(last).toString("base64")}</NextContinuationToken>` : ""}</ListBucketResult>`;
}
