// The S3 stand-in of bench/impact-read.ts in a process of its own (--standin process, the default):
// it generates the synthetic trail and serves it, so neither the trail held in memory nor the
// generation's garbage nor the stand-in's CPU is counted as the reader's. Forked with the trail's
// shape as its argument; it sends { endpoint, files, jsonBytes, gzippedBytes } once it listens, and
// answers "stats" with its requests and CPU seconds so far.
import { startS3StandIn } from "./s3-standin.js";
import { buildTrail, type TrailShape } from "./synthetic-trail.js";

const { bucket, ...shape } = JSON.parse(process.argv[2] as string) as Omit<TrailShape, "start"> & {
  bucket: string;
  start: string;
};
const trail = await buildTrail({ ...shape, start: new Date(shape.start) });
const standIn = await startS3StandIn(bucket, trail.objects);
const send = (message: object) => (process.send as (m: object) => void)(message);
send({
  endpoint: standIn.endpoint,
  files: trail.objects.size,
  jsonBytes: trail.jsonBytes,
  gzippedBytes: [...trail.objects.values()].reduce((a, b) => a + b.length, 0),
});
process.on("message", async (message) => {
  if (message === "stats") {
    const cpu = process.cpuUsage();
    send({ requests: standIn.requests(), cpuS: (cpu.user + cpu.system) / 1e6 });
  } else if (message === "stop") {
    await standIn.stop();
    process.exit(0);
  }
});
