import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** A log file that is not what CloudTrail writes: not gzip, not JSON, no Records array. */
export class TrailObjectError extends Error {
  override readonly name = "TrailObjectError";
}

const gunzipAsync = promisify(gunzip);

/**
 * The records of one CloudTrail log file (`{"Records":[…]}`, gzipped). The gzipped body is read
 * whole and inflated in one piece on libuv's thread pool, off the event loop: JSON.parse needs the
 * whole text anyway, and inflating the body as a stream cost the event loop a callback per chunk
 * (a sixth of the reader's CPU in bench/impact-read.ts). What one file holds is in memory while it is
 * read, no more.
 */
export async function readTrailObject(s3: S3Client, bucket: string, key: string): Promise<unknown[]> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new TrailObjectError("the object has no body");
  const gzipped = await out.Body.transformToByteArray();
  let text: string;
  try {
    text = (await gunzipAsync(gzipped)).toString("utf8");
  } catch (err) {
    throw new TrailObjectError(`not a gzipped log file (${(err as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new TrailObjectError(`not a JSON log file (${(err as Error).message})`);
  }
  const records = (doc as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new TrailObjectError('not a CloudTrail log file (no "Records" array)');
  return records;
}
