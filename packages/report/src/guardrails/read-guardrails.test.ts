import {
  DescribeVpcBlockPublicAccessOptionsCommand,
  EC2Client,
  GetImageBlockPublicAccessStateCommand,
  GetInstanceMetadataDefaultsCommand,
  GetSerialConsoleAccessStatusCommand,
  GetSnapshotBlockPublicAccessStateCommand,
} from "@aws-sdk/client-ec2";
import {
  DescribeEffectivePolicyCommand,
  EffectivePolicyNotFoundException,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import {
  GetPublicAccessBlockCommand,
  NoSuchPublicAccessBlockConfiguration,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ControlOutcome } from "../report-model.js";
import { GUARDRAIL_CONTROLS, readGuardrails } from "./read-guardrails.js";

const ec2 = mockClient(EC2Client);
const s3control = mockClient(S3ControlClient);
const organizations = mockClient(OrganizationsClient);
const ACCOUNT = "111122223333";
const credentials = { accessKeyId: "a", secretAccessKey: "s" };
const clientIn = (region: string) => new EC2Client({ region, credentials });

const read = async (regions: readonly string[] = ["us-east-1"]) => {
  const outcomes = await readGuardrails(
    {
      s3control: async () => new S3ControlClient({ region: "us-east-1", credentials }),
      organizations: () => new OrganizationsClient({ region: "us-east-1", credentials }),
      ec2: async (region) => clientIn(region),
    },
    { accountId: ACCOUNT, regions, now: () => new Date("2026-12-01T00:00:00Z") },
  );
  return new Map(outcomes.map((o) => [o.control, o])) as Map<string, ControlOutcome>;
};

const ALL_ON = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const S3_ALL = '{"s3_attributes":{"public_access_block_configuration":"all"}}';
const notFound = (
  Err: typeof EffectivePolicyNotFoundException | typeof NoSuchPublicAccessBlockConfiguration,
) => new Err({ message: "not found", $metadata: {} });

/** Every EC2 attribute as a region with no guardrail reads it. */
function unguarded(): void {
  ec2.on(GetInstanceMetadataDefaultsCommand).resolves({ AccountLevel: { ManagedBy: "account" } });
  ec2.on(GetSnapshotBlockPublicAccessStateCommand).resolves({ State: "unblocked", ManagedBy: "account" });
  ec2
    .on(GetImageBlockPublicAccessStateCommand)
    .resolves({ ImageBlockPublicAccessState: "unblocked", ManagedBy: "account" });
  ec2
    .on(GetSerialConsoleAccessStatusCommand)
    .resolves({ SerialConsoleAccessEnabled: false, ManagedBy: "account" });
  ec2.on(DescribeVpcBlockPublicAccessOptionsCommand).resolves({
    VpcBlockPublicAccessOptions: {
      InternetGatewayBlockMode: "off",
      ManagedBy: "account",
      ExclusionsAllowed: "allowed",
    },
  });
}

beforeEach(() => {
  unguarded();
  s3control.on(GetPublicAccessBlockCommand).rejects(notFound(NoSuchPublicAccessBlockConfiguration));
  organizations.on(DescribeEffectivePolicyCommand).rejects(notFound(EffectivePolicyNotFoundException));
});
afterEach(() => {
  ec2.reset();
  s3control.reset();
  organizations.reset();
});

describe("the guardrails source", () => {
  it("has one row per control, each for the account", async () => {
    const rows = await read();
    expect([...rows.keys()]).toEqual([...GUARDRAIL_CONTROLS]);
    for (const o of rows.values())
      expect(o).toMatchObject({ resourceType: "AWS::::Account", resourceId: ACCOUNT });
  });

  describe("S3 account-level Block Public Access (S3.1)", () => {
    it("credits the S3 organization policy when the account's effective S3 policy says all", async () => {
      s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
      organizations
        .on(DescribeEffectivePolicyCommand)
        .resolves({ EffectivePolicy: { PolicyContent: S3_ALL } });
      expect((await read()).get("s3-account-public-access-block")).toMatchObject({
        status: "COMPLIANT",
        reason:
          "all four Block Public Access settings on, enforced by the S3 organization policy (all): account administrators cannot turn it off",
      });
      expect(organizations.commandCalls(DescribeEffectivePolicyCommand)[0]?.args[0].input).toEqual({
        PolicyType: "S3_POLICY",
      });
      expect(s3control.commandCalls(GetPublicAccessBlockCommand)[0]?.args[0].input).toEqual({
        AccountId: ACCOUNT,
      });
    });

    it("says an account's own setting can be undone by its administrators", async () => {
      s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
      const o = (await read()).get("s3-account-public-access-block");
      expect(o?.status).toBe("COMPLIANT");
      expect(o?.reason).toContain("the account's own setting: no S3 organization policy applies");
    });

    it("fails an account without a configuration, or with a setting off, naming them", async () => {
      expect((await read()).get("s3-account-public-access-block")).toMatchObject({
        status: "NON_COMPLIANT",
        reason:
          "no account-level Block Public Access configuration, the account's own setting: no S3 organization policy applies",
      });
      s3control
        .on(GetPublicAccessBlockCommand)
        .resolves({ PublicAccessBlockConfiguration: { ...ALL_ON, RestrictPublicBuckets: false } });
      expect((await read()).get("s3-account-public-access-block")?.reason).toMatch(
        /^RestrictPublicBuckets off/,
      );
    });

    it("fails an account whose S3 organization policy turns Block Public Access off", async () => {
      s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: {} });
      organizations.on(DescribeEffectivePolicyCommand).resolves({
        EffectivePolicy: { PolicyContent: '{"s3_attributes":{"public_access_block_configuration":"none"}}' },
      });
      const o = (await read()).get("s3-account-public-access-block");
      expect(o?.status).toBe("NON_COMPLIANT");
      expect(o?.reason).toContain("the S3 organization policy turns Block Public Access off (none)");
    });

    it("judges the setting even when the effective policy cannot be read, saying so", async () => {
      s3control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
      organizations
        .on(DescribeEffectivePolicyCommand)
        .rejects(Object.assign(new Error("not allowed"), { name: "AccessDeniedException", $metadata: {} }));
      const o = (await read()).get("s3-account-public-access-block");
      expect(o?.status).toBe("COMPLIANT");
      expect(o?.reason).toContain("its effective S3 policy could not be read");
    });

    it("is ERROR, for this control only, when the setting itself cannot be read", async () => {
      s3control
        .on(GetPublicAccessBlockCommand)
        .rejects(Object.assign(new Error("boom"), { name: "InternalError", $metadata: {} }));
      const rows = await read();
      expect(rows.get("s3-account-public-access-block")?.status).toBe("ERROR");
      expect(rows.get("serial-console-disabled")?.status).toBe("COMPLIANT");
    });
  });

  describe("EC2 account attributes, region by region", () => {
    it("credits the EC2 declarative policy from ManagedBy, and says what a default leaves open", async () => {
      ec2.on(GetInstanceMetadataDefaultsCommand).resolves({
        AccountLevel: { HttpTokens: "required", ManagedBy: "declarative-policy" },
      });
      const o = (await read(["us-east-1", "eu-west-1"])).get("imdsv2-default");
      expect(o).toMatchObject({ status: "COMPLIANT", region: "us-east-1 eu-west-1" });
      expect(o?.reason).toBe(
        "HttpTokens required, enforced by the EC2 declarative policy in all 2 regions; a default for new instances only: instances launched before it, or launched asking for IMDSv1, still fail ec2-imdsv2-check (EC2.8): mitigated by the EC2 declarative policy, not prevented",
      );
    });

    it("passes snapshots only with block-all-sharing, as the Config rule does, and credits what EC2.1 still sees", async () => {
      ec2
        .on(GetSnapshotBlockPublicAccessStateCommand)
        .resolves({ State: "block-new-sharing", ManagedBy: "declarative-policy" });
      expect((await read()).get("ebs-snapshot-block-public-access")).toMatchObject({
        status: "NON_COMPLIANT",
        reason:
          "not compliant in 1 of 1 regions: block-new-sharing, enforced by the EC2 declarative policy (us-east-1)",
      });
      ec2
        .on(GetSnapshotBlockPublicAccessStateCommand)
        .resolves({ State: "block-all-sharing", ManagedBy: "declarative-policy" });
      expect((await read()).get("ebs-snapshot-block-public-access")?.reason).toContain(
        "ebs-snapshot-public-restorable-check (EC2.1) though no one outside the account can use them: mitigated by the EC2 declarative policy",
      );
    });

    it("groups the regions by what they read, and names the failing ones", async () => {
      ec2.on(GetImageBlockPublicAccessStateCommand).callsFake((_input, getClient) => {
        return getClient()
          .config.region()
          .then((region: string) =>
            region === "eu-west-1"
              ? { ImageBlockPublicAccessState: "unblocked", ManagedBy: "account" }
              : { ImageBlockPublicAccessState: "block-new-sharing", ManagedBy: "declarative-policy" },
          );
      });
      const o = (await read(["us-east-1", "eu-west-1", "us-west-2"])).get("ami-block-public-access");
      expect(o).toMatchObject({ status: "NON_COMPLIANT", region: "eu-west-1" });
      expect(o?.reason).toBe(
        "not compliant in 1 of 3 regions: unblocked, the account's own setting (eu-west-1); compliant: block-new-sharing, enforced by the EC2 declarative policy (us-east-1 us-west-2)",
      );
    });

    it("passes VPC Block Public Access in block-ingress or block-bidirectional (EC2.172), noting exclusions", async () => {
      ec2.on(DescribeVpcBlockPublicAccessOptionsCommand).resolves({
        VpcBlockPublicAccessOptions: {
          InternetGatewayBlockMode: "block-ingress",
          ManagedBy: "account",
          ExclusionsAllowed: "allowed",
        },
      });
      const o = (await read()).get("vpc-block-public-access");
      expect(o?.status).toBe("COMPLIANT");
      expect(o?.reason).toMatch(
        /^InternetGatewayBlockMode block-ingress, the account's own setting \(the account may exclude VPCs and subnets\) in us-east-1; VPCs and subnets/,
      );
      expect((await read()).get("serial-console-disabled")?.reason).toBe(
        "serial console disabled, the account's own setting in us-east-1",
      );
    });

    it("leaves a region that refuses the call to the SCPs on the account's path", async () => {
      ec2
        .on(GetSerialConsoleAccessStatusCommand)
        .rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: {} }));
      const o = (await read()).get("serial-console-disabled");
      expect(o?.status).toBe("ERROR");
      expect(o?.deniedRegions).toEqual([
        {
          region: "us-east-1",
          reason: expect.stringContaining("denied"),
          action: "ec2:GetSerialConsoleAccessStatus",
        },
      ]);
    });
  });
});
