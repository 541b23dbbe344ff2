import { describe, expect, it } from "vitest";
import { parseDenial } from "./denial-message.js";
import type { RecordedDenial } from "./observed-call.js";

const USER = "User: arn:aws:iam::123456789012:user/JohnDoe is not authorized to perform:";
const SCP_ARN =
  "arn:aws:organizations::777788889999:policy/o-exampleorgid/service_control_policy/p-examplescp1";

type Case = [
  label: string,
  code: string,
  message: string,
  expected: Omit<RecordedDenial, "errorCode" | "message">,
];

/**
 * The forms of IAM's troubleshooting page
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html), S3's
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html), the enhanced
 * messages with a policy ARN
 * (https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns/) and
 * EC2's encoded ones.
 */
const CASES: Case[] = [
  [
    "SCP, explicit (the old form)",
    "AccessDenied",
    `${USER} codecommit:ListRepositories with an explicit deny in a service control policy`,
    { kind: "explicit", policyType: "service-control-policy" },
  ],
  [
    "SCP, explicit, enhanced with the policy's ARN",
    "AccessDenied",
    `An error occurred (AccessDenied) when calling the ListRoles operation: User: arn:aws:iam::123456789012:user/Matt is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::123456789012:role/* with an explicit deny in a service control policy: ${SCP_ARN}`,
    { kind: "explicit", policyType: "service-control-policy", policyArn: SCP_ARN },
  ],
  [
    "SCP, implicit (an allow-list SCP that does not list the action)",
    "AccessDeniedException",
    `${USER} codecommit:ListRepositories because no service control policy allows the codecommit:ListRepositories action`,
    { kind: "implicit", policyType: "service-control-policy" },
  ],
  [
    "SCP, implicit, with an ARN should AWS name one",
    "AccessDenied",
    `${USER} ec2:RunInstances because no service control policy allows the ec2:RunInstances action: ${SCP_ARN}.`,
    { kind: "implicit", policyType: "service-control-policy", policyArn: SCP_ARN },
  ],
  [
    "SCP, worded and capitalised as IAM's older note quotes it",
    "AccessDenied",
    `${USER} sagemaker:ListModels due to an explicit deny in a Service Control Policy`,
    { kind: "explicit", policyType: "service-control-policy" },
  ],
  [
    "RCP, enhanced",
    "AccessDenied",
    `${USER} s3:GetObject on resource: "arn:aws:s3:::amzn-s3-demo-bucket/key" with an explicit deny in a resource control policy: arn:aws:organizations::777788889999:policy/o-exampleorgid/resource_control_policy/p-examplercp1`,
    {
      kind: "explicit",
      policyType: "resource-control-policy",
      policyArn:
        "arn:aws:organizations::777788889999:policy/o-exampleorgid/resource_control_policy/p-examplercp1",
    },
  ],
  [
    "identity-based, implicit",
    "AccessDenied",
    `${USER} codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action`,
    { kind: "implicit", policyType: "identity-based-policy" },
  ],
  [
    "identity-based, explicit, enhanced with a managed policy's ARN",
    "AccessDenied",
    `${USER} codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in an identity-based policy: arn:aws:iam::123456789012:policy/DenyDeployments`,
    {
      kind: "explicit",
      policyType: "identity-based-policy",
      policyArn: "arn:aws:iam::123456789012:policy/DenyDeployments",
    },
  ],
  [
    "permissions boundary, implicit",
    "AccessDenied",
    `${USER} codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* because no permissions boundary allows the codedeploy:ListDeployments action`,
    { kind: "implicit", policyType: "permissions-boundary" },
  ],
  [
    "permissions boundary, explicit",
    "AccessDenied",
    `${USER} sagemaker:ListModels with an explicit deny in a permissions boundary`,
    { kind: "explicit", policyType: "permissions-boundary" },
  ],
  [
    "session policy, implicit",
    "AccessDenied",
    `${USER} codecommit:ListRepositories because no session policy allows the codecommit:ListRepositories action`,
    { kind: "implicit", policyType: "session-policy" },
  ],
  [
    "session policy, explicit (IAM's page spells it 'sessions policy')",
    "AccessDenied",
    `${USER} codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a sessions policy`,
    { kind: "explicit", policyType: "session-policy" },
  ],
  [
    "VPC endpoint policy, implicit",
    "AccessDenied",
    `${USER} codecommit:ListRepositories because no VPC endpoint policy allows the codecommit:ListRepositories action`,
    { kind: "implicit", policyType: "vpc-endpoint-policy" },
  ],
  [
    "VPC endpoint policy, explicit",
    "AccessDenied",
    `${USER} codedeploy:ListDeployments on resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:* with an explicit deny in a VPC endpoint policy`,
    { kind: "explicit", policyType: "vpc-endpoint-policy" },
  ],
  [
    "an SCP reached through a VPC endpoint",
    "AuthorizationError",
    "User: arn:aws:sts::111122223333:assumed-role/role-name/role-session-name is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:444455556666:role-name-2 with an explicit deny in a VPC endpoint policy transitively through a service control policy",
    { kind: "explicit", policyType: "service-control-policy" },
  ],
  [
    "resource-based policy, implicit",
    "AccessDeniedException",
    `${USER} secretsmanager:GetSecretValue because no resource-based policy allows the secretsmanager:GetSecretValue action`,
    { kind: "implicit", policyType: "resource-based-policy" },
  ],
  [
    "role trust policy, explicit (a resource-based policy)",
    "AccessDenied",
    `${USER} sts:AssumeRole with an explicit deny in the role trust policy`,
    { kind: "explicit", policyType: "resource-based-policy" },
  ],
  [
    "S3's 403, with the resource in quotes",
    "AccessDenied",
    'User: arn:aws:iam::777788889999:user/MaryMajor is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::amzn-s3-demo-bucket1/object-name" because no identity-based policy allows the s3:GetObject action',
    { kind: "implicit", policyType: "identity-based-policy" },
  ],
  [
    "S3's plain 403 (a request from outside the account and organization)",
    "AccessDenied",
    "Access Denied",
    { kind: "unknown" },
  ],
  [
    "EC2's encoded message",
    "Client.UnauthorizedOperation",
    "You are not authorized to perform this operation. Encoded authorization failure message: EXAMPLEa1b2c3",
    { kind: "unknown" },
  ],
  [
    "EC2's encoded message that also states the SCP",
    "Client.UnauthorizedOperation",
    "You are not authorized to perform this operation. User: arn:aws:sts::999888777666:assumed-role/ReadOnly/Tom is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:999888777666:instance/* with an explicit deny in a service control policy. Encoded authorization failure message: EXAMPLEa1b2c3",
    { kind: "explicit", policyType: "service-control-policy" },
  ],
  [
    "a code outside the list whose message is IAM's",
    "UnauthorizedException",
    `${USER} appsync:GraphQL with an explicit deny in a service control policy`,
    { kind: "explicit", policyType: "service-control-policy" },
  ],
  ["EC2's UnauthorizedOperation without a message", "UnauthorizedOperation", "", { kind: "unknown" }],
  [
    "SNS's AuthorizationError",
    "AuthorizationError",
    `${USER} sns:Subscribe on resource: arn:aws:sns:us-east-1:123456789012:topic`,
    { kind: "unknown" },
  ],
  ["a 403 by name", "Forbidden", "Forbidden", { kind: "unknown" }],
];

describe("parseDenial", () => {
  it.each(CASES)("%s", (_, code, message, expected) => {
    expect(parseDenial(code, message)).toEqual({ errorCode: code, message, ...expected });
  });

  it.each([
    ["ValidationError", "1 validation error detected: Value null at 'bucket' failed to satisfy constraint"],
    ["ThrottlingException", "Rate exceeded"],
    ["NoSuchKey", "The specified key does not exist."],
  ])("is no denial for %s", (code, message) => {
    expect(parseDenial(code, message)).toBeUndefined();
  });

  it("keeps the first 500 characters of a long message", () => {
    const message = `${USER} s3:GetObject because no identity-based policy allows the s3:GetObject action ${"x".repeat(700)}`;
    expect(parseDenial("AccessDenied", message)?.message).toBe(message.slice(0, 500));
  });

  it("reads a denial with no message at all", () => {
    expect(parseDenial("AccessDenied", undefined)).toEqual({
      errorCode: "AccessDenied",
      kind: "unknown",
      message: "",
    });
  });
});
