import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { plantCloudTrailEvents } from "./cloudtrail-standin/plant-cloudtrail-events.js";
import { memberCredentials, type SeededOrg } from "./seed-organization.js";

/** The CI user whose access keys the demo's recorded activity shows deploying without MFA. */
export const DEMO_CI_USER = "ci-deploy";

/**
 * Recorded activity for the demo's `impact`: in the first active account under Root/Workloads, an
 * IAM user `ci-deploy` deploying with its access keys (no MFA key in the request: require-mfa would
 * deny it), a role session and a service-linked role at work, an AWS service event and a console
 * sign-in — planted in the CloudTrail stand-in's event history (LookupEvents), an hour apart over
 * the last day.
 */
export async function seedDemoActivity(endpoint: string, org: SeededOrg, now = new Date()): Promise<string> {
  const account = org.accounts.find((a) => a.state === "ACTIVE" && a.ouPath.startsWith("Root/Workloads"))?.id;
  if (!account) throw new Error("the demo organization has no active account under Root/Workloads");
  const iam = new IAMClient({
    region: "us-east-1",
    endpoint,
    credentials: await memberCredentials(endpoint, account),
  });
  try {
    await iam.send(new CreateUserCommand({ UserName: DEMO_CI_USER, Path: "/ci/" }));
  } finally {
    iam.destroy();
  }
  const at = (hoursAgo: number) =>
    new Date(now.getTime() - hoursAgo * 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
  const base = (n: number, hoursAgo: number) => ({
    eventVersion: "1.10",
    eventTime: at(hoursAgo),
    awsRegion: "eu-west-1",
    sourceIPAddress: "198.51.100.10",
    userAgent: "aws-cli/2.17",
    requestID: `demo-request-${n}`,
    eventID: `demo-event-${String(n).padStart(4, "0")}`,
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account,
  });
  const ciUser = {
    type: "IAMUser",
    principalId: "AIDADEMOCIDEPLOYEXAMPLE",
    arn: `arn:aws:iam::${account}:user/ci/${DEMO_CI_USER}`,
    accountId: account,
    accessKeyId: "AKIADEMOEXAMPLEKEY01",
    userName: DEMO_CI_USER,
  };
  const role = (name: string, path = "/") => ({
    type: "AssumedRole",
    principalId: `AROADEMO${name.length}:session`,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/session`,
    accountId: account,
    accessKeyId: "ASIADEMOEXAMPLEKEY01",
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: `AROADEMO${name.length}`,
        arn: `arn:aws:iam::${account}:role${path}${name}`,
        accountId: account,
        userName: name,
      },
      attributes: { creationDate: at(24), mfaAuthenticated: "false" },
    },
  });
  const events: unknown[] = [];
  for (let i = 0; i < 12; i++) {
    events.push({
      ...base(i, 23 - i * 2),
      userIdentity: ciUser,
      eventSource: "ecs.amazonaws.com",
      eventName: "UpdateService",
      resources: [{ ARN: `arn:aws:ecs:eu-west-1:${account}:service/prod/orders-api`, accountId: account }],
    });
  }
  events.push(
    {
      ...base(100, 5),
      userIdentity: role("deploy-pipeline"),
      eventSource: "cloudformation.amazonaws.com",
      eventName: "UpdateStack",
    },
    {
      ...base(101, 4),
      userIdentity: role("AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/"),
      eventSource: "ec2.amazonaws.com",
      eventName: "DescribeInstances",
      awsRegion: "us-east-1",
      readOnly: true,
    },
    {
      ...base(102, 3),
      userIdentity: { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" },
      eventSource: "kms.amazonaws.com",
      eventName: "GenerateDataKey",
      awsRegion: "us-east-1",
    },
  );
  await plantCloudTrailEvents(endpoint, events);
  return account;
}
