import { CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from "@aws-sdk/client-config-service";
import { GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetPolicyCommand,
  IAMClient,
  ListEntitiesForPolicyCommand,
  ListVirtualMFADevicesCommand,
} from "@aws-sdk/client-iam";
import { DEFAULT_PASSWORD_REQUIREMENTS } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkAccount } from "./check-account.js";

const iam = mockClient(IAMClient);
const ct = mockClient(CloudTrailClient);
const gd = mockClient(GuardDutyClient);
const cfg = mockClient(ConfigServiceClient);
const ACCOUNT = "222222222222";

beforeEach(() => {
  iam.on(GetAccountPasswordPolicyCommand).resolves({
    PasswordPolicy: {
      MinimumPasswordLength: 14,
      PasswordReusePrevention: 24,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
      RequireSymbols: true,
      RequireNumbers: true,
      RequireUppercaseCharacters: true,
      RequireLowercaseCharacters: true,
    },
  });
  iam.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
  iam.on(GetCredentialReportCommand).resolves({
    Content: new TextEncoder().encode(
      "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active\n" +
        "<root_account>,arn:aws:iam::222222222222:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,false\n" +
        "carol,arn:aws:iam::222222222222:user/carol,2020-01-01T00:00:00+00:00,TRUE,N/A,N/A,N/A,TRUE\n",
    ),
  });
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ UserDetailList: [], GroupDetailList: [] });
  iam
    .on(GetPolicyCommand)
    .resolves({ Policy: { PolicyName: "BlockAllAccessUnlessSignedInWithMFA", AttachmentCount: 1 } });
  iam
    .on(ListEntitiesForPolicyCommand)
    .resolves({ PolicyUsers: [], PolicyGroups: [], PolicyRoles: [{ RoleName: "humans" }] });
  ct.on(DescribeTrailsCommand).resolves({ trailList: [] });
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
  cfg.on(DescribeConfigurationRecorderStatusCommand).resolves({ ConfigurationRecordersStatus: [] });
});
afterEach(() => {
  for (const m of [iam, ct, gd, cfg]) m.reset();
});

/** Every outcome of one account's checks, with the mocks above. */
function outcomesOf(extra: Partial<Parameters<typeof checkAccount>[1]> = {}) {
  return checkAccount(
    {
      iam: new IAMClient({}),
      cloudtrail: () => new CloudTrailClient({}),
      guardduty: () => new GuardDutyClient({}),
      config: () => new ConfigServiceClient({}),
    },
    {
      accountId: ACCOUNT,
      partition: "aws",
      mfaPolicyName: "BlockAllAccessUnlessSignedInWithMFA",
      password: DEFAULT_PASSWORD_REQUIREMENTS,
      homeRegion: "us-east-1",
      regions: ["us-east-1"],
      ...extra,
    },
  );
}

/** The outcomes by control (the last one of each: per-resource controls have several). */
async function run(extra: Partial<Parameters<typeof checkAccount>[1]> = {}) {
  const outcomes = await outcomesOf(extra);
  return Object.fromEntries(outcomes.map((o) => [o.control, o]));
}

describe("root checks: three outcomes", () => {
  it("MFA on (hardware: no virtual device for root)", async () => {
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountMFAEnabled: 1,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 1,
        AccountSigningCertificatesPresent: 0,
      },
    });
    iam.on(ListVirtualMFADevicesCommand).resolves({
      VirtualMFADevices: [
        {
          SerialNumber: "arn:aws:iam::222222222222:mfa/alice",
          User: {
            Arn: "arn:aws:iam::222222222222:user/alice",
            UserName: "alice",
            UserId: "x",
            Path: "/",
            CreateDate: new Date(),
          },
        },
      ],
    });
    const o = await run();
    expect(o["root-mfa"]?.status).toBe("COMPLIANT");
    expect(o["root-hardware-mfa"]?.status).toBe("COMPLIANT");
    expect(o["root-access-keys"]?.status).toBe("COMPLIANT");
  });

  it("MFA on with a virtual device for root: hardware check fails, naming the device", async () => {
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountMFAEnabled: 1,
        AccountAccessKeysPresent: 1,
        AccountPasswordPresent: 1,
        AccountSigningCertificatesPresent: 0,
      },
    });
    iam.on(ListVirtualMFADevicesCommand).resolves({
      VirtualMFADevices: [
        {
          SerialNumber: "arn:aws:iam::222222222222:mfa/my-phone",
          User: {
            Arn: "arn:aws:iam::222222222222:root",
            UserName: "root",
            UserId: "x",
            Path: "/",
            CreateDate: new Date(),
          },
        },
      ],
    });
    const o = await run();
    expect(o["root-hardware-mfa"]).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("mfa/my-phone"),
    });
    expect(o["root-access-keys"]?.status).toBe("NON_COMPLIANT");
  });

  it("MFA missing while root has a password", async () => {
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 1,
        AccountSigningCertificatesPresent: 0,
      },
    });
    const o = await run();
    expect(o["root-mfa"]).toMatchObject({ status: "NON_COMPLIANT", reason: "root user has no MFA" });
    expect(iam.commandCalls(ListVirtualMFADevicesCommand)).toHaveLength(0);
  });

  it("no root credentials at all (centralized root access) is NOT_APPLICABLE, not a failure", async () => {
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 0,
        AccountSigningCertificatesPresent: 0,
      },
    });
    const o = await run();
    expect(o["root-mfa"]).toMatchObject({
      status: "NOT_APPLICABLE",
      reason: expect.stringContaining("centralized root access"),
    });
    expect(o["root-hardware-mfa"]?.status).toBe("NOT_APPLICABLE");
  });

  it("a key missing from the summary is not proof that root has no credentials", async () => {
    iam
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0 } });
    const o = await run();
    expect(o["root-mfa"]).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("does not report AccountPasswordPresent"),
    });
  });
});

describe("one failing API is one ERROR row", () => {
  it("GuardDuty AccessDenied fails guardduty-enabled only, with a hint", async () => {
    iam
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 } });
    iam.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [] });
    gd.on(ListDetectorsCommand).rejects(
      Object.assign(new Error("not authorized"), { name: "AccessDeniedException", $metadata: {} }),
    );
    const o = await run();
    expect(o["guardduty-enabled"]).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("AccessDeniedException"),
    });
    expect(o["iam-user-mfa"]?.status).toBe("COMPLIANT");
    expect(o["password-policy"]?.status).toBe("COMPLIANT");
    expect(o["mfa-policy-in-use"]).toMatchObject({ status: "COMPLIANT", reason: "attached to role humans" });
  });
});

describe("users and groups: one GetAccountAuthorizationDetails for mfa-exempt-user and mfa-policy-in-use", () => {
  const ARN = "arn:aws:iam::222222222222:policy/BlockAllAccessUnlessSignedInWithMFA";
  it("a group with a member settles mfa-policy-in-use without GetPolicy, ListEntitiesForPolicy or GetGroup", async () => {
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0 } });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [
        {
          UserName: "carol",
          GroupList: ["Humans"],
          Tags: [{ Key: "orgwarden:mfa-exempt", Value: "true" }],
        },
      ],
      GroupDetailList: [{ GroupName: "Humans", AttachedManagedPolicies: [{ PolicyArn: ARN }] }],
    });
    const outcomes = await outcomesOf();
    expect(outcomes.find((o) => o.control === "mfa-policy-in-use")).toMatchObject({
      status: "COMPLIANT",
      reason: "attached to group Humans",
    });
    expect(outcomes.filter((o) => o.control === "mfa-exempt-user").map((o) => o.status)).toEqual([
      "NOT_APPLICABLE",
    ]);
    // One read serves both checks, with users and groups.
    const reads = iam.commandCalls(GetAccountAuthorizationDetailsCommand);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.args[0].input.Filter).toEqual(["User", "Group"]);
    expect(iam.commandCalls(GetPolicyCommand)).toHaveLength(0);
    expect(iam.commandCalls(ListEntitiesForPolicyCommand)).toHaveLength(0);
  });

  it("an attached policy that users and groups do not explain lists only its roles", async () => {
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0 } });
    const o = await run();
    expect(o["mfa-policy-in-use"]).toMatchObject({ status: "COMPLIANT", reason: "attached to role humans" });
    expect(iam.commandCalls(GetPolicyCommand)).toHaveLength(1);
    expect(iam.commandCalls(ListEntitiesForPolicyCommand)[0]?.args[0].input.EntityFilter).toBe("Role");
  });
});

describe("config-recorder: a region without a recorder of its own is settled by one call", () => {
  it("no recorder: NON_COMPLIANT without asking for status or delivery channels", async () => {
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0 } });
    cfg.on(DescribeConfigurationRecordersCommand).resolves({ ConfigurationRecorders: [] });
    const o = await run();
    expect(o["config-recorder"]).toMatchObject({ status: "NON_COMPLIANT" });
    expect(o["config-recorder"]?.reason).toContain("no configuration recorder");
    expect(cfg.commandCalls(DescribeConfigurationRecorderStatusCommand)).toHaveLength(0);
    expect(cfg.commandCalls(DescribeDeliveryChannelsCommand)).toHaveLength(0);
  });

  it("a recorder: its status and the delivery channels are read", async () => {
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountMFAEnabled: 0 } });
    cfg.on(DescribeConfigurationRecordersCommand).resolves({
      ConfigurationRecorders: [
        {
          name: "default",
          roleARN:
            "arn:aws:iam::222222222222:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        },
      ],
    });
    cfg.on(DescribeConfigurationRecorderStatusCommand).resolves({
      ConfigurationRecordersStatus: [{ name: "default", recording: true, lastStatus: "Success" }],
    });
    cfg.on(DescribeDeliveryChannelsCommand).resolves({ DeliveryChannels: [{ name: "default" }] });
    const o = await run();
    expect(o["config-recorder"]?.status).toBe("COMPLIANT");
    expect(cfg.commandCalls(DescribeDeliveryChannelsCommand)).toHaveLength(1);
  });
});

describe("credential report", () => {
  it("polls GetCredentialReport while the report is being generated", async () => {
    iam.on(GetAccountSummaryCommand).resolves({
      SummaryMap: {
        AccountMFAEnabled: 0,
        AccountAccessKeysPresent: 0,
        AccountPasswordPresent: 1,
        AccountSigningCertificatesPresent: 0,
      },
    });
    iam.on(GenerateCredentialReportCommand).resolves({ State: "STARTED" });
    iam
      .on(GetCredentialReportCommand)
      .rejectsOnce(
        Object.assign(new Error("Report is in progress"), {
          name: "CredentialReportNotReadyException",
          $metadata: {},
        }),
      )
      .resolves({
        Content: new TextEncoder().encode(
          "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active\n" +
            "dave,arn:aws:iam::222222222222:user/dave,2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false\n",
        ),
      });
    const o = await run();
    expect(o["iam-user-mfa"]).toMatchObject({
      status: "NON_COMPLIANT",
      reason: 'console users without MFA: "dave"',
    });
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(1);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(2);
  });
});

describe("regions", () => {
  it("a chosen region the account has not enabled is named, not silently dropped", async () => {
    iam
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0 } });
    const o = await run({ regions: Promise.resolve({ regions: ["us-east-1"], notEnabled: ["ap-east-1"] }) });
    expect(o["guardduty-enabled"]?.reason).toContain(
      "not enabled in this account, so not checked: ap-east-1",
    );
  });

  it("regions that could not be listed make the regional controls ERROR, the global ones still run", async () => {
    iam
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountMFAEnabled: 0, AccountAccessKeysPresent: 0 } });
    const o = await run({
      regions: Promise.resolve({ regions: [], error: "could not list the account's enabled regions" }),
    });
    expect(o["guardduty-enabled"]).toMatchObject({
      status: "ERROR",
      reason: expect.stringContaining("could not list"),
    });
    expect(o["config-recorder"]?.status).toBe("ERROR");
    expect(o["root-access-keys"]?.status).toBe("COMPLIANT");
  });
});
