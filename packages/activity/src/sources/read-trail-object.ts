import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** A log file that is not what CloudTrail writes: not gzip, not JSON, no Records array. */
export class TrailObjectError extends Error {
  override readonly name = "TrailObjectError";
}

/**
 * The records of one CloudTrail log file (`{"Records":[…]}`, gzipped): its body streamed through
 * gunzip as it arrives, then parsed. What one file holds is in memory while it is read, no more.
 */
export async function readTrailObject(s3: S3Client, bucket: string, key: string): Promise<unknown[]> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new TrailObjectError("the object has no body");
  const chunks: Buffer[] = [];
  try {
    await pipeline(out.Body as Readable, createGunzip(), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) chunks.push(chunk);
    });
  } catch (err) {
    if (isZlibError(err)) throw new TrailObjectError(`not a gzipped log file (${(err as Error).message})`);
    throw err;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (err) {
    throw new TrailObjectError(`not a JSON log file (${(err as Error).message})`);
  }
  const records = (doc as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new TrailObjectError('not a CloudTrail log file (no "Records" array)');
  return records;
}

/** zlib's errors carry a Z_… code (Z_DATA_ERROR for a body that is not gzip, Z_BUF_ERROR for one cut short). */
function isZlibError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("Z_");
}
