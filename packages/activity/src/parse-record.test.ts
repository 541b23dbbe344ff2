import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ObservedCall } from "./observed-call.js";
import { parseRecord } from "./parse-record.js";

/** Records of the fixture corpus (test/fixtures/cloudtrail/), changed field by field. */
const FIXTURES = new URL("../../../test/fixtures/cloudtrail/", import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), "utf8"));

const MANAGEMENT = "777788889999";
const OTHER = "444455556666";
const options = { managementAccountId: MANAGEMENT };

describe("parseRecord, field by field", () => {
  const call = (record: Record<string, unknown>, opts = options): ObservedCall => {
    const parsed = parseRecord(record, opts);
    if (parsed.kind !== "call") throw new Error(`skipped: ${parsed.reason}`);
    return parsed.call;
  };
  const withIdentity = (identity: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    ...fixture("role-session-without-mfa"),
    userIdentity: { ...(fixture("role-session-without-mfa").userIdentity as object), ...identity },
    ...extra,
  });

  it.each([
    ["null", null],
    ["a number", 7],
    ["a string", "text"],
    ["an empty object", {}],
    ["a record without eventID", { ...fixture("console-user-with-mfa"), eventID: undefined }],
    ["a record without userIdentity", { ...fixture("console-user-with-mfa"), userIdentity: undefined }],
  ])("counts %s as unreadable", (_, record) => {
    expect(parseRecord(record, options)).toMatchObject({ kind: "skip", reason: "unreadable" });
  });

  it("reads a record without eventType (written before eventVersion 1.02) as an API call", () => {
    const record = { ...fixture("role-session-without-mfa"), eventType: undefined, eventVersion: "1.01" };
    expect(call(record).action).toBe("cloudformation:UpdateStack");
  });

  it.each(["AwsConsoleAction", "AwsVpceEvent", "AwsCloudTrailInsight"])("skips eventType %s", (eventType) => {
    expect(parseRecord({ ...fixture("console-user-with-mfa"), eventType }, options)).toMatchObject({
      reason: "not-an-api-call",
    });
  });

  it("takes an IPv6 address as aws:SourceIp, and no address when the call came over a VPC endpoint", () => {
    expect(
      call({ ...fixture("role-session-without-mfa"), sourceIPAddress: "2001:db8::8a2e:370:7334" }).sourceIp,
    ).toBe("2001:db8::8a2e:370:7334");
    const overEndpoint = call({
      ...fixture("role-session-without-mfa"),
      vpcEndpointId: "vpce-0fedcba9876543210",
    });
    expect(overEndpoint.sourceIp).toBeUndefined();
    expect(overEndpoint.sourceVpce).toBe("vpce-0fedcba9876543210");
  });

  it("reads no address and no service from 'AWS Internal', and no service from a console session", () => {
    const internal = call({ ...fixture("role-session-without-mfa"), sourceIPAddress: "AWS Internal/3" });
    expect([internal.sourceIp, internal.viaAwsService, internal.invokedBy]).toEqual([
      undefined,
      false,
      undefined,
    ]);
    // AWS made the call: with the role session's credentials or as a service role, from its own address.
    expect(internal.openKeys).toEqual(["aws:ViaAWSService", "aws:SourceIp"]);
    const console = call(withIdentity({ invokedBy: "signin.amazonaws.com" }));
    expect([console.sourceIp, console.viaAwsService, console.invokedBy, console.openKeys]).toEqual([
      "203.0.113.45",
      false,
      undefined,
      undefined,
    ]);
  });

  it("a service's call as a principal no service can use as its role is via the service; the address stays open", () => {
    const asUser = call({
      ...fixture("iam-user-access-keys"),
      sourceIPAddress: "cloudformation.amazonaws.com",
    });
    expect([asUser.viaAwsService, asUser.sourceIp, asUser.openKeys]).toEqual([
      true,
      undefined,
      ["aws:SourceIp"],
    ]);
    const internal = call({ ...fixture("iam-user-access-keys"), sourceIPAddress: "AWS Internal" });
    expect([internal.viaAwsService, internal.openKeys]).toEqual([true, ["aws:SourceIp"]]);
    const permissionSet = call({
      ...fixture("identity-center-role"),
      sourceIPAddress: "athena.amazonaws.com",
    });
    expect([permissionSet.viaAwsService, permissionSet.openKeys]).toEqual([true, ["aws:SourceIp"]]);
    // Over a VPC endpoint there is no aws:SourceIp to leave open, and the VPC is.
    const overEndpoint = call(
      withIdentity({ invokedBy: "athena.amazonaws.com" }, { vpcEndpointId: "vpce-0fedcba9876543210" }),
    );
    expect(overEndpoint.openKeys).toEqual(["aws:SourceVpc", "aws:ViaAWSService"]);
  });

  it("reads userIdentity.invokedBy as a call an AWS service made for the principal", () => {
    const viaInvokedBy = call(withIdentity({ invokedBy: "athena.amazonaws.com" }));
    expect([viaInvokedBy.viaAwsService, viaInvokedBy.invokedBy]).toEqual([true, "athena.amazonaws.com"]);
  });

  it("has no MFA key for a long-term key even when the record carries a sessionContext", () => {
    const record = withIdentity({ accessKeyId: "AKIAIOSFODNN7EXAMPLE" });
    expect(call(record).mfa).toBeUndefined();
    expect(call(withIdentity({ accessKeyId: "ASIAIOSFODNN7EXAMPLE" })).mfa).toBe(false);
  });

  it("reads the root user's partition from its ARN, or from the region when the ARN is missing", () => {
    const govRoot = {
      ...fixture("root-access-keys"),
      awsRegion: "us-gov-west-1",
      userIdentity: { type: "Root", arn: `arn:aws-us-gov:iam::${OTHER}:root`, accountId: OTHER },
    };
    expect(call(govRoot).principalArn).toBe(`arn:aws-us-gov:iam::${OTHER}:root`);
    const chinaRoot = {
      ...fixture("root-access-keys"),
      awsRegion: "cn-north-1",
      userIdentity: { type: "Root", accountId: OTHER },
    };
    expect(call(chinaRoot).principalArn).toBe(`arn:aws-cn:iam::${OTHER}:root`);
  });

  it("reads another account's caller (AWSAccount, Unknown) only when its ARN is a user's or the root's", () => {
    const account = (identity: Record<string, unknown>) =>
      parseRecord(
        { ...fixture("role-session-without-mfa"), userIdentity: identity, recipientAccountId: undefined },
        options,
      );
    expect(account({ type: "AWSAccount", principalId: "AIDAEXAMPLE", accountId: OTHER })).toMatchObject({
      reason: "no-principal",
    });
    expect(
      account({ type: "Unknown", accountId: OTHER, arn: `arn:aws:iam::${OTHER}:user/bob` }),
    ).toMatchObject({
      kind: "call",
      call: { principalArn: `arn:aws:iam::${OTHER}:user/bob`, principalKind: "user" },
    });
    expect(
      account({ type: "Unknown", accountId: OTHER, arn: `arn:aws:sts::${OTHER}:assumed-role/ops/s` }),
    ).toMatchObject({ reason: "no-principal" });
    expect(account({ type: "Unknown" })).toMatchObject({ reason: "no-principal" });
  });

  it("skips a role session whose record names no role", () => {
    const record = withIdentity({ sessionContext: { attributes: { mfaAuthenticated: "false" } } });
    expect(parseRecord(record, options)).toMatchObject({ reason: "no-principal" });
  });

  it("counts the management account's calls only when told which account that is", () => {
    expect(parseRecord(fixture("management-account-call"), {})).toMatchObject({
      kind: "call",
      call: {
        principalArn: `arn:aws:iam::${MANAGEMENT}:role/orgwarden`,
        action: "organizations:ListAccounts",
      },
    });
  });

  it("maps nothing for an event name no catalogue or override knows", () => {
    const record = { ...fixture("role-session-without-mfa"), eventName: "DescribeStackGremlins" };
    expect(parseRecord(record, options)).toEqual({
      kind: "skip",
      reason: "no-action-mapped",
      eventSource: "cloudformation.amazonaws.com",
      eventName: "DescribeStackGremlins",
    });
  });

  it("reads an IAM event's resource from the name its request gives, and no other request parameter", () => {
    const iam = (requestParameters: unknown) =>
      call({
        ...fixture("global-service-iam-us-east-1"),
        eventName: "AddRoleToInstanceProfile",
        requestParameters,
      });
    expect(iam({ instanceProfileName: "web", roleName: "web-role" }).resource).toBe(
      "arn:aws:iam::111122223333:instance-profile/web",
    );
    expect(iam({ groupName: "admins", userName: "bob" }).resource).toBe(
      "arn:aws:iam::111122223333:group/admins",
    );
    expect(iam({ userName: "bob" }).resource).toBe("arn:aws:iam::111122223333:user/bob");
    const policy = iam({ policyArn: "arn:aws:iam::111122223333:policy/team/boundary", policyDocument: "{}" });
    expect([policy.resource, policy.resourceGuessed]).toEqual([
      "arn:aws:iam::111122223333:policy/team/boundary",
      false,
    ]);
    const none = iam({ maxItems: 100 });
    expect([none.resource, none.resourceGuessed]).toEqual(["*", true]);
    // Another service's request parameters are not read: its resource comes from resources[] only.
    const s3 = call({
      ...fixture("role-session-without-mfa"),
      resources: undefined,
      requestParameters: { roleName: "x" },
    });
    expect([s3.resource, s3.resourceGuessed]).toEqual(["*", true]);
    // The partition is the principal's.
    const gov = call({
      ...fixture("root-access-keys"),
      eventSource: "iam.amazonaws.com",
      eventName: "DeleteUser",
      awsRegion: "us-gov-west-1",
      userIdentity: { type: "Root", arn: `arn:aws-us-gov:iam::${OTHER}:root`, accountId: OTHER },
      recipientAccountId: OTHER,
      requestParameters: { userName: "old" },
    });
    expect(gov.resource).toBe(`arn:aws-us-gov:iam::${OTHER}:user/old`);
  });

  it("records no denial for an error that is not an authorization failure", () => {
    const record = {
      ...fixture("role-session-without-mfa"),
      errorCode: "ValidationError",
      errorMessage: "No updates are to be performed.",
    };
    expect(call(record).denial).toBeUndefined();
  });
});
