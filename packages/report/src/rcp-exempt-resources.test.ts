import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import type { AccountClients, OrgAccount } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { exemptResourceReader } from "./rcp-exempt-resources.js";

const tagging = mockClient(ResourceGroupsTaggingAPIClient);
afterEach(() => tagging.reset());

const MEMBER = { id: "222222222222", isManagement: false } as OrgAccount;

/** Clients as the member account, recording which account and region each one is for. */
function memberClients(made: string[]): AccountClients {
  return {
    get: (_: unknown, accountId: string, region: string) => {
      made.push(`${accountId}@${region}`);
      return new ResourceGroupsTaggingAPIClient({
        region,
        credentials: { accessKeyId: "a", secretAccessKey: "s" },
      });
    },
  } as unknown as AccountClients;
}

const BUCKET = "arn:aws:s3:::open-data";
const QUEUE = "arn:aws:sqs:eu-west-1:222222222222:partner-inbox";

describe("the resources tagged to opt out of an RCP in effect", () => {
  it("one NOT_APPLICABLE row per resource, every page, per region, as the member account", async () => {
    tagging
      .on(GetResourcesCommand, { TagFilters: [{ Key: "dp:exclude:identity", Values: ["true"] }] })
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: BUCKET }], PaginationToken: "next" })
      .resolvesOnce({ ResourceTagMappingList: [{ ResourceARN: QUEUE }], PaginationToken: "" })
      .resolves({ ResourceTagMappingList: [] });
    const made: string[] = [];
    const read = exemptResourceReader(memberClients(made), ["eu-west-1", "us-east-1"]);
    const out = await read(MEMBER, [{ policy: "identity-perimeter", tagKey: "dp:exclude:identity" }]);
    expect(made).toEqual(["222222222222@eu-west-1", "222222222222@us-east-1"]);
    expect(out).toEqual([
      {
        control: "rcp-exempt-resource",
        status: "NOT_APPLICABLE",
        resourceType: "AWS::S3::Bucket",
        resourceId: BUCKET,
        region: "eu-west-1",
        reason: `exempt by tag: ${BUCKET} is tagged dp:exclude:identity=true, so orgwarden's identity-perimeter RCP does not apply to it`,
      },
      expect.objectContaining({ resourceType: "AWS::SQS::Queue", resourceId: QUEUE, region: "eu-west-1" }),
    ]);
    // The second page was asked for with the first page's token.
    expect(tagging.commandCalls(GetResourcesCommand)[1]?.args[0].input.PaginationToken).toBe("next");
  });

  it("RCPs sharing a tag key are read once and named together", async () => {
    tagging.on(GetResourcesCommand).resolves({ ResourceTagMappingList: [{ ResourceARN: BUCKET }] });
    const read = exemptResourceReader(memberClients([]), ["eu-west-1"]);
    const out = await read(MEMBER, [
      { policy: "identity-perimeter", tagKey: "dp:exclude" },
      { policy: "secure-transport", tagKey: "dp:exclude" },
    ]);
    expect(tagging.commandCalls(GetResourcesCommand)).toHaveLength(1);
    expect(out.map((o) => o.reason)).toEqual([
      `exempt by tag: ${BUCKET} is tagged dp:exclude=true, so orgwarden's identity-perimeter and secure-transport RCPs do not apply to it`,
    ]);
  });

  it("a region that refuses the call: an ERROR row for that region, the others still read", async () => {
    const denied = Object.assign(new Error("not authorized to perform tag:GetResources"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    let call = 0;
    tagging.on(GetResourcesCommand).callsFake(() => {
      call += 1;
      if (call === 1) throw denied;
      return { ResourceTagMappingList: [{ ResourceARN: BUCKET }] };
    });
    const read = exemptResourceReader(memberClients([]), ["ap-south-2", "eu-west-1"]);
    const out = await read(MEMBER, [{ policy: "identity-perimeter", tagKey: "dp:exclude:identity" }]);
    expect(out.map((o) => `${o.region} ${o.status} ${o.resourceId}`)).toEqual([
      "ap-south-2 ERROR 222222222222",
      `eu-west-1 NOT_APPLICABLE ${BUCKET}`,
    ]);
    expect(out[0]?.reason).toMatch(
      /^reading the resources tagged to opt out of orgwarden's RCPs failed in ap-south-2: /,
    );
  });
});
