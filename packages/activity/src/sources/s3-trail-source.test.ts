import { ListObjectsV2Command, type ListObjectsV2CommandInput, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { S3TrailSource } from "./s3-trail-source.js";

const mock = mockClient(S3Client);
afterEach(() => mock.reset());

/** A bucket of folders only (no log files): each delimiter listing answers the folders under its prefix. */
function folders(tree: Record<string, string[]>): void {
  mock.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => {
    const prefix = input.Prefix ?? "";
    if (!input.Delimiter) return { Contents: [] };
    return { CommonPrefixes: (tree[prefix] ?? []).map((f) => ({ Prefix: `${prefix}${f}/` })) };
  });
}

describe("S3TrailSource", () => {
  it("names the region folders of the read accounts that the scope's regions leave out", async () => {
    const base = "AWSLogs/o-x/";
    folders({
      "AWSLogs/": ["o-x"],
      [base]: ["111122223333", "444455556666"],
      [`${base}111122223333/CloudTrail/`]: ["us-east-1", "eu-south-2", "ap-east-1"],
      [`${base}444455556666/CloudTrail/`]: ["us-east-1", "eu-south-2"],
    });
    const source = new S3TrailSource({
      s3: new S3Client({ region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "s" } }),
      bucket: "trail",
      prefix: "",
    });
    const result = await source.read(
      {
        organizationId: "o-x",
        accounts: ["111122223333", "444455556666"],
        regions: ["us-east-1"],
        window: { start: new Date("2026-11-01T00:00:00Z"), end: new Date("2026-11-02T00:00:00Z") },
      },
      () => {},
    );
    expect(result.failures).toEqual([]);
    expect(result.regionsRead).toEqual(["us-east-1"]);
    expect(result.notes).toContain(
      "not read: ap-east-1 (log folders in 1 account), eu-south-2 (log folders in 2 accounts) — add them to --regions to judge the calls made there",
    );
  });
});
