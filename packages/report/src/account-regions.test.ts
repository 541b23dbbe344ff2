import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { accountRegions, chosenRegionsAlwaysEnabled } from "./account-regions.js";

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

// Default Regions (launched before 20 March 2019) "cannot be enabled or disabled":
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
describe("accountRegions: DescribeRegions only when an account could lack a chosen region", () => {
  it("default regions only: no call, every chosen region judged", async () => {
    let asked = 0;
    const where = await accountRegions(
      async () => {
        asked += 1;
        return new EC2Client({});
      },
      "us-east-1",
      ["us-east-1", "eu-west-1", "ap-northeast-3", "us-gov-west-1"],
    );
    expect(where).toEqual({
      regions: ["us-east-1", "eu-west-1", "ap-northeast-3", "us-gov-west-1"],
      notEnabled: [],
    });
    expect(asked).toBe(0);
    expect(ec2.commandCalls(DescribeRegionsCommand)).toHaveLength(0);
  });

  it("an opt-in region among the chosen ones: the account is asked, and a region it never enabled is named", async () => {
    ec2
      .on(DescribeRegionsCommand)
      .resolves({ Regions: [{ RegionName: "us-east-1" }, { RegionName: "eu-west-1" }] });
    const where = await accountRegions(async () => new EC2Client({}), "us-east-1", [
      "us-east-1",
      "af-south-1",
    ]);
    expect(where).toEqual({ regions: ["us-east-1"], notEnabled: ["af-south-1"] });
    expect(ec2.commandCalls(DescribeRegionsCommand)).toHaveLength(1);
  });

  it("no chosen regions: every enabled region, read from the account", async () => {
    ec2
      .on(DescribeRegionsCommand)
      .resolves({ Regions: [{ RegionName: "eu-south-1" }, { RegionName: "us-east-1" }] });
    const where = await accountRegions(async () => new EC2Client({}), "us-east-1", undefined);
    expect(where.regions).toEqual(["eu-south-1", "us-east-1"]);
  });

  it("which chosen lists need no call", () => {
    expect(chosenRegionsAlwaysEnabled(["us-east-1", "cn-north-1"])).toBe(true);
    expect(chosenRegionsAlwaysEnabled(["us-east-1", "me-south-1"])).toBe(false);
    expect(chosenRegionsAlwaysEnabled([])).toBe(false);
    expect(chosenRegionsAlwaysEnabled(undefined)).toBe(false);
  });
});
