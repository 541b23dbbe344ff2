import { OrgwardenError } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { isCredentialFailure, readFailure } from "./read-failure.js";

const awsError = (name: string, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403, requestId: "R1" } });

describe("readFailure", () => {
  it("an access denial on the trail's bucket names the bucket policy and --source-role", () => {
    const hint = "The log archive bucket's policy must allow the caller …, or pass --source-role.";
    expect(
      readFailure(awsError("AccessDenied", "Access Denied"), { location: "s3://logs/AWSLogs/" }, "S3", hint),
    ).toEqual({ location: "s3://logs/AWSLogs/", reason: "S3: AccessDenied: Access Denied", hint });
  });

  it("any other error keeps its own words and hint, with the part of the scope it hit", () => {
    const failure = readFailure(
      awsError("NoSuchBucket", "The specified bucket does not exist"),
      { account: "111122223333", region: "eu-west-1", location: "s3://logs/x/" },
      "S3",
      "the bucket policy hint",
    );
    expect(failure).toEqual({
      account: "111122223333",
      region: "eu-west-1",
      location: "s3://logs/x/",
      reason: "S3: NoSuchBucket: The specified bucket does not exist",
    });
  });

  it("a role that cannot be assumed is a credential failure; an access denial is not", () => {
    expect(isCredentialFailure(new OrgwardenError("ASSUME_ROLE_FAILED", "cannot assume"))).toBe(true);
    expect(isCredentialFailure(awsError("AccessDeniedException", "no"))).toBe(false);
  });
});
