export { CloudTrailLakeSource, type CloudTrailLakeSourceOptions } from "./cloudtrail-lake-source.js";
export { createActivitySource, type SourceClients } from "./create-source.js";
export * from "./event-source.js";
export {
  LOOKUP_EVENTS_DAYS,
  LOOKUP_EVENTS_RATE,
  LookupEventsSource,
  type LookupEventsSourceOptions,
} from "./lookup-events-source.js";
export { formatSourceSpec, parseSourceSpec } from "./parse-source.js";
export { S3TrailSource, type S3TrailSourceOptions } from "./s3-trail-source.js";
