import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ObservedCall, ParsedEvent, RecordedDenial, SkipReason } from "./observed-call.js";
import { parseRecord } from "./parse-record.js";

/** The corpus: test/fixtures/cloudtrail/*.json, one event per file (its README says what each shows). */
const FIXTURES = new URL("../../../test/fixtures/cloudtrail/", import.meta.url);
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), "utf8"));

const MANAGEMENT = "777788889999";
const MEMBER = "111122223333";
const OTHER = "444455556666";
const CI_ADDRESS = "203.0.113.45";

const role = (account: string, nameWithPath: string) => ({
  account,
  principalArn: `arn:aws:iam::${account}:role/${nameWithPath}`,
  principalKind: "role" as const,
});
const DEPLOY = { ...role(MEMBER, "deploy"), sourceIp: CI_ADDRESS };
const REPORTING = { ...role(MEMBER, "reporting"), sourceIp: CI_ADDRESS };
const DATA_SCIENCE = { ...role(OTHER, "data-science"), sourceIp: "192.0.2.17" };

/** A call of event n: eu-west-1, no MFA, no service in between, no resource named, unless told otherwise. */
const call = (n: number, eventTime: string, action: string, fields: Partial<ObservedCall>): ParsedEvent => ({
  kind: "call",
  call: {
    eventId: `3f9c2a7e-5b1d-4c8a-9e6f-${String(n).padStart(12, "0")}`,
    eventTime,
    account: MEMBER,
    principalArn: "",
    principalKind: "role",
    action,
    region: "eu-west-1",
    mfa: false,
    viaAwsService: false,
    resource: "*",
    resourceGuessed: true,
    ...fields,
  },
});
const on = (resource: string) => ({ resource, resourceGuessed: false });
const skipped = (reason: SkipReason, eventSource: string, eventName: string): ParsedEvent => ({
  kind: "skip",
  reason,
  eventSource,
  eventName,
});
const denied = (
  errorCode: string,
  kind: RecordedDenial["kind"],
  policyType: RecordedDenial["policyType"],
  message: string,
  policyArn?: string,
): { denial: RecordedDenial } => ({
  denial: {
    errorCode,
    kind,
    message,
    ...(policyType ? { policyType } : {}),
    ...(policyArn ? { policyArn } : {}),
  },
});
const SCP = `arn:aws:organizations::${MANAGEMENT}:policy/o-exampleorgid/service_control_policy/p-examplescp1`;
const RCP = `arn:aws:organizations::${MANAGEMENT}:policy/o-exampleorgid/resource_control_policy/p-examplercp1`;
const DEPLOY_SESSION = `User: arn:aws:sts::${MEMBER}:assumed-role/deploy/gitlab-runner-8812 is not authorized to perform:`;
const DS_SESSION = `User: arn:aws:sts::${OTHER}:assumed-role/data-science/jupyter-4471 is not authorized to perform:`;

const EXPECTED: Record<string, ParsedEvent> = {
  "console-user-with-mfa": call(1, "2026-11-03T09:02:10Z", "ec2:DescribeInstances", {
    principalArn: `arn:aws:iam::${MEMBER}:user/alice`,
    principalKind: "user",
    mfa: true,
    sourceIp: "198.51.100.24",
  }),
  "role-session-without-mfa": call(2, "2026-11-03T10:15:31Z", "cloudformation:UpdateStack", {
    ...DEPLOY,
    ...on(`arn:aws:cloudformation:eu-west-1:${MEMBER}:stack/orders-api/1c2d3e40-b8a1-11f0-9f7e-0a1b2c3d4e5f`),
  }),
  "iam-user-access-keys": call(3, "2026-11-03T11:40:02Z", "s3:PutObject", {
    principalArn: `arn:aws:iam::${MEMBER}:user/ci/ci-publisher`,
    principalKind: "user",
    mfa: undefined,
    sourceIp: CI_ADDRESS,
    ...on("arn:aws:s3:::example-release-artifacts/orders-api/1.42.0/orders-api.zip"),
  }),
  "root-console": call(4, "2026-11-04T08:00:19Z", "iam:ListUsers", {
    principalArn: `arn:aws:iam::${MEMBER}:root`,
    principalKind: "root",
    region: "us-east-1",
    mfa: true,
    sourceIp: "198.51.100.24",
  }),
  "root-access-keys": call(5, "2026-11-04T08:30:45Z", "ec2:DescribeRegions", {
    account: OTHER,
    principalArn: `arn:aws:iam::${OTHER}:root`,
    principalKind: "root",
    region: "us-east-2",
    mfa: undefined,
    sourceIp: "192.0.2.88",
  }),
  "identity-center-role": call(6, "2026-11-04T09:12:00Z", "ec2:TerminateInstances", {
    ...role(
      MEMBER,
      "aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b",
    ),
    principalKind: "identity-center-role",
    sourceIp: "198.51.100.31",
  }),
  "service-linked-role": skipped("service-linked-role", "ec2.amazonaws.com", "RunInstances"),
  "aws-service-principal": skipped("aws-service-principal", "sts.amazonaws.com", "AssumeRole"),
  "vpc-endpoint-call": call(9, "2026-11-04T11:00:03Z", "kms:GenerateDataKey", {
    ...role(MEMBER, "app/orders-api-task"),
    sourceVpce: "vpce-0a1b2c3d4e5f6a7b8",
    // AWS sets aws:SourceVpc over an endpoint; the record does not name the VPC.
    openKeys: ["aws:SourceVpc"],
    ...on(`arn:aws:kms:eu-west-1:${MEMBER}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
  }),
  "via-cloudformation": call(10, "2026-11-03T10:15:58Z", "s3:CreateBucket", {
    ...role(MEMBER, "deploy"),
    viaAwsService: true,
    invokedBy: "cloudformation.amazonaws.com",
    // A role session: CloudFormation used its credentials, or the role is CloudFormation's service role.
    openKeys: ["aws:ViaAWSService", "aws:SourceIp"],
    ...on("arn:aws:s3:::orders-api-exports"),
  }),
  // The first resource has only an ARNPrefix: the bucket's is the first ARN.
  "s3-list-objects": call(11, "2026-11-05T02:00:14Z", "s3:ListBucket", {
    ...REPORTING,
    ...on("arn:aws:s3:::example-release-artifacts"),
  }),
  "lambda-create-function-20150331": call(12, "2026-11-05T09:31:07Z", "lambda:CreateFunction", DEPLOY),
  "cloudwatch-monitoring": call(13, "2026-11-05T09:33:40Z", "cloudwatch:PutMetricAlarm", DEPLOY),
  "console-login": skipped("not-an-api-call", "signin.amazonaws.com", "ConsoleLogin"),
  // Kept whole (over 500 characters): a user can still decode it.
  "ec2-encoded-denial": call(15, "2026-11-05T10:02:55Z", "ec2:RunInstances", {
    ...DEPLOY,
    region: "ap-southeast-2",
    ...denied(
      "Client.UnauthorizedOperation",
      "unknown",
      undefined,
      fixture("ec2-encoded-denial").errorMessage as string,
    ),
  }),
  "s3-403-denial": call(16, "2026-11-05T02:00:16Z", "s3:GetObject", {
    ...REPORTING,
    ...on("arn:aws:s3:::example-finance-ledger/2026/10/ledger.csv"),
    ...denied(
      "AccessDenied",
      "explicit",
      "resource-based-policy",
      `User: arn:aws:sts::${MEMBER}:assumed-role/reporting/nightly-export is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::example-finance-ledger/2026/10/ledger.csv" with an explicit deny in a resource-based policy`,
    ),
  }),
  // IAM names no resources[]: the role is built from requestParameters.roleName.
  "scp-denial-old-explicit": call(17, "2026-11-05T10:10:00Z", "iam:DeleteRole", {
    ...DEPLOY,
    region: "us-east-1",
    ...on(`arn:aws:iam::${MEMBER}:role/OrganizationAccountAccessRole`),
    ...denied(
      "AccessDenied",
      "explicit",
      "service-control-policy",
      `${DEPLOY_SESSION} iam:DeleteRole on resource: role OrganizationAccountAccessRole with an explicit deny in a service control policy`,
    ),
  }),
  "scp-denial-old-implicit": call(18, "2026-11-05T11:45:12Z", "ec2:RunInstances", {
    ...DATA_SCIENCE,
    region: "sa-east-1",
    ...denied(
      "Client.UnauthorizedOperation",
      "implicit",
      "service-control-policy",
      fixture("scp-denial-old-implicit").errorMessage as string,
    ),
  }),
  "scp-denial-enhanced-explicit": call(19, "2026-11-05T10:11:30Z", "cloudtrail:StopLogging", {
    ...DEPLOY,
    ...on(`arn:aws:cloudtrail:eu-west-1:${MEMBER}:trail/orders-audit`),
    ...denied(
      "AccessDenied",
      "explicit",
      "service-control-policy",
      `${DEPLOY_SESSION} cloudtrail:StopLogging on resource: arn:aws:cloudtrail:eu-west-1:${MEMBER}:trail/orders-audit with an explicit deny in a service control policy: ${SCP}`,
      SCP,
    ),
  }),
  "rcp-denial": call(20, "2026-11-05T11:50:40Z", "s3:GetObject", {
    ...DATA_SCIENCE,
    ...on("arn:aws:s3:::example-shared-datasets/census/2026.parquet"),
    ...denied(
      "AccessDenied",
      "explicit",
      "resource-control-policy",
      `${DS_SESSION} s3:GetObject on resource: "arn:aws:s3:::example-shared-datasets/census/2026.parquet" with an explicit deny in a resource control policy: ${RCP}`,
      RCP,
    ),
  }),
  // IAM's endpoint is in us-east-1: what a region deny sees, wherever the caller works.
  "global-service-iam-us-east-1": call(21, "2026-11-06T13:22:09Z", "iam:CreateRole", {
    ...role(MEMBER, "platform-admin"),
    region: "us-east-1",
    mfa: true,
    sourceIp: "198.51.100.77",
    ...on(`arn:aws:iam::${MEMBER}:role/orders-api-function`),
  }),
  "cross-account-copy": skipped("recorded-for-another-account", "kms.amazonaws.com", "Decrypt"),
  "management-account-call": skipped("management-account", "organizations.amazonaws.com", "ListAccounts"),
  "sts-get-caller-identity": skipped("needs-no-permission", "sts.amazonaws.com", "GetCallerIdentity"),
  // aws:PrincipalArn is the federated user's own ARN, not the issuing user's.
  "federated-user": call(25, "2026-11-06T16:01:12Z", "codebuild:StartBuild", {
    principalArn: `arn:aws:sts::${MEMBER}:federated-user/build-bot`,
    principalKind: "federated-user",
    sourceIp: CI_ADDRESS,
  }),
  "iam-update-assume-role-policy-breakglass": call(28, "2026-11-07T09:14:51Z", "iam:UpdateAssumeRolePolicy", {
    ...role(MEMBER, "platform-admin"),
    region: "us-east-1",
    mfa: true,
    sourceIp: "198.51.100.77",
    ...on(`arn:aws:iam::${MEMBER}:role/BreakGlass`),
  }),
  // The role the request names, not the policy it attaches (the action authorizes the role).
  "iam-attach-role-policy-orgwarden": call(29, "2026-11-07T10:03:27Z", "iam:AttachRolePolicy", {
    ...DEPLOY,
    region: "us-east-1",
    ...on(`arn:aws:iam::${MEMBER}:role/OrgwardenAccessRole`),
  }),
  "identity-center-user": skipped("no-principal", "sso.amazonaws.com", "ListAccountRoles"),
  "service-event": skipped("not-an-api-call", "kms.amazonaws.com", "RotateKey"),
};

describe("parseRecord over the fixture corpus", () => {
  it("has an expectation for every fixture, and a fixture for every expectation", () => {
    const files = readdirSync(FIXTURES)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s", (name, expected) => {
    expect(parseRecord(fixture(name), { managementAccountId: MANAGEMENT })).toEqual(expected);
  });

  it("keeps EC2's encoded messages whole, past the 500 characters other messages are cut to", () => {
    expect((fixture("ec2-encoded-denial").errorMessage as string).length).toBeGreaterThan(500);
    const long = `${fixture("scp-denial-old-explicit").errorMessage as string} ${"x".repeat(600)}`;
    const parsed = parseRecord({ ...fixture("scp-denial-old-explicit"), errorMessage: long }, {});
    expect(parsed.kind === "call" && parsed.call.denial?.message).toBe(long.slice(0, 500));
  });

  it("keeps no access key, console flag, request parameter or response element of any fixture", () => {
    for (const name of Object.keys(EXPECTED)) {
      const text = JSON.stringify(parseRecord(fixture(name), { managementAccountId: MANAGEMENT }));
      for (const leak of [
        "AKIA",
        "ASIA",
        "accessKeyId",
        "sessionCredentialFromConsole",
        "CAPABILITY_IAM",
        "templateURL",
        "x-amz-server-side-encryption",
        "orders-api-worker",
      ])
        expect(text, `${name} keeps ${leak}`).not.toContain(leak);
    }
  });
});
