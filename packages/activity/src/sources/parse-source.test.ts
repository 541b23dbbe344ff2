import { OrgwardenError } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { formatSourceSpec, parseSourceSpec } from "./parse-source.js";

const EDS = "arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE";

describe("parseSourceSpec", () => {
  it.each([
    ["lookup-events", { kind: "lookup-events" }],
    ["  lookup-events ", { kind: "lookup-events" }],
    ["s3://org-trail", { kind: "s3", bucket: "org-trail", prefix: "" }],
    ["s3://org-trail/", { kind: "s3", bucket: "org-trail", prefix: "" }],
    ["s3://org-trail/audit", { kind: "s3", bucket: "org-trail", prefix: "audit/" }],
    ["s3://org-trail/audit/logs/", { kind: "s3", bucket: "org-trail", prefix: "audit/logs/" }],
    // A path copied from the console down into the trail's own folders is cut back to the prefix.
    ["s3://org-trail/audit/AWSLogs/o-a1b2c3d4e5/", { kind: "s3", bucket: "org-trail", prefix: "audit/" }],
    [
      "s3://org-trail/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/",
      { kind: "s3", bucket: "org-trail", prefix: "" },
    ],
    ["s3://log.archive-1/AWSLogs/111122223333/", { kind: "s3", bucket: "log.archive-1", prefix: "" }],
    [`cloudtrail-lake:${EDS}`, { kind: "cloudtrail-lake", eventDataStoreArn: EDS }],
    [
      "cloudtrail-lake:arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:eventdatastore/abc-123",
      {
        kind: "cloudtrail-lake",
        eventDataStoreArn: "arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:eventdatastore/abc-123",
      },
    ],
  ])("%s", (text, spec) => {
    expect(parseSourceSpec(text)).toEqual(spec);
  });

  it("reads back what formatSourceSpec writes", () => {
    for (const text of [
      "lookup-events",
      "s3://org-trail/audit/",
      "s3://org-trail/",
      `cloudtrail-lake:${EDS}`,
    ])
      expect(formatSourceSpec(parseSourceSpec(text))).toBe(text);
  });

  it.each([
    ["cloudtrail", /is not a source of recorded activity/],
    ["LookupEvents", /is not a source of recorded activity/],
    ["s3://", /names no valid S3 bucket/],
    ["s3://Org_Trail/x", /names no valid S3 bucket \("Org_Trail"\)/],
    ["s3://ab/x", /names no valid S3 bucket/],
    ["s3://192.168.1.1/x", /names no valid S3 bucket/],
    ["s3://org-trail//x", /empty folder name/],
    ["cloudtrail-lake:", /does not name an event data store/],
    [
      "cloudtrail-lake:arn:aws:cloudtrail:eu-west-1:111122223333:trail/org",
      /does not name an event data store/,
    ],
    [
      "cloudtrail-lake:arn:aws:cloudtrail:moon-1:111122223333:eventdatastore/x",
      /does not name an event data store/,
    ],
    [
      "cloudtrail-lake:arn:aws:cloudtrail:eu-west-1:1111:eventdatastore/x",
      /does not name an event data store/,
    ],
  ])("refuses %s with INVALID_INPUT and a hint naming the three forms", (text, message) => {
    let thrown: unknown;
    try {
      parseSourceSpec(text);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(OrgwardenError);
    const err = thrown as OrgwardenError;
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.message).toMatch(message);
    expect(err.message).toContain(text.trim());
    expect(err.hint).toMatch(
      /lookup-events .* s3:\/\/BUCKET\[\/PREFIX\] .* cloudtrail-lake:arn:aws:cloudtrail:/,
    );
  });
});
