// The organization trail of a synthetic organization for bench/impact-read.ts: realistic CloudTrail
// records (1-1.5 KB: role sessions, IAM users' keys, Identity Center roles, a service-linked role,
// root; MFA or not; NAT and office addresses, VPC endpoints, calls made by AWS services; a few
// denials), gzipped into files at the trail's keys (bench/s3-standin.ts serves them).
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { trailObjectKey } from "@orgwarden/emulator";
import pLimit from "p-limit";

export interface TrailShape {
  organizationId: string;
  accounts: string[];
  regions: string[];
  /** The first day (UTC midnight) and how many days. */
  start: Date;
  days: number;
  events: number;
  /** Records per file. */
  fileEvents: number;
}

/** A deterministic generator (mulberry32), so every run reads the same trail. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CALLS: [source: string, name: string, readOnly: boolean, resource?: string][] = [
  ["s3.amazonaws.com", "ListBuckets", true],
  ["s3.amazonaws.com", "GetBucketPolicy", true, "AWS::S3::Bucket"],
  ["s3.amazonaws.com", "PutBucketPolicy", false, "AWS::S3::Bucket"],
  ["s3.amazonaws.com", "ListObjects", true, "AWS::S3::Bucket"],
  ["ec2.amazonaws.com", "DescribeInstances", true],
  ["ec2.amazonaws.com", "RunInstances", false, "AWS::EC2::Instance"],
  ["ec2.amazonaws.com", "DescribeSecurityGroups", true],
  ["iam.amazonaws.com", "ListRoles", true],
  ["iam.amazonaws.com", "CreateRole", false, "AWS::IAM::Role"],
  ["sts.amazonaws.com", "AssumeRole", true, "AWS::IAM::Role"],
  ["kms.amazonaws.com", "Decrypt", true, "AWS::KMS::Key"],
  ["kms.amazonaws.com", "GenerateDataKey", true, "AWS::KMS::Key"],
  ["lambda.amazonaws.com", "ListFunctions20150331", true],
  ["lambda.amazonaws.com", "UpdateFunctionCode20150331v2", false, "AWS::Lambda::Function"],
  ["monitoring.amazonaws.com", "PutMetricData", false],
  ["logs.amazonaws.com", "CreateLogStream", false, "AWS::Logs::LogGroup"],
  ["dynamodb.amazonaws.com", "DescribeTable", true, "AWS::DynamoDB::Table"],
  ["cloudformation.amazonaws.com", "DescribeStacks", true],
  ["ssm.amazonaws.com", "GetParameter", true, "AWS::SSM::Parameter"],
  ["secretsmanager.amazonaws.com", "GetSecretValue", true, "AWS::SecretsManager::Secret"],
  ["ecr.amazonaws.com", "GetAuthorizationToken", true],
  ["signin.amazonaws.com", "ConsoleLogin", false],
];
const AGENTS = [
  "aws-cli/2.15.30 Python/3.11.8 Linux/5.10.210-201.852.amzn2.x86_64 exe/x86_64.amzn.2 prompt/off command/s3.ls",
  "aws-sdk-js/3.1169.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.19.0 api/ec2#3.1169.0 m/E,N",
  "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213 md/arch#x86_64 lang/python#3.12.2 cfg/retry-mode#legacy Botocore/1.34.69",
  "terraform-provider-aws/5.43.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.0 os/linux lang/go#1.22.1",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
];

/** A principal of an account: who it is, what it calls, from where; the share of the account's events it makes. */
interface Principal {
  share: number;
  identity: (account: string, n: number) => Record<string, unknown>;
  calls: string[];
  /** Where it calls from: "nat" (the account's NAT addresses), "office", "vpce" (a VPC endpoint). */
  from: ("nat" | "office" | "vpce")[];
}

const CREATED = "2026-03-01T07:12:44Z";
const role =
  (name: string, mfa: string, path = "") =>
  (account: string, n: number) =>
    session(account, `arn:aws:iam::${account}:role/${path}${name}`, name, mfa, n);
const user = (name: string, mfa?: string) => (account: string, n: number) => ({
  type: "IAMUser",
  principalId: `AIDAEXAMPLE${name.length}${account.slice(-6)}`,
  arn: `arn:aws:iam::${account}:user/${name}`,
  accountId: account,
  accessKeyId: `${mfa ? "ASIA" : "AKIA"}EXAMPLE${String(n % 7).padStart(9, "0")}`,
  userName: name,
  ...(mfa ? { sessionContext: { attributes: { creationDate: CREATED, mfaAuthenticated: mfa } } } : {}),
});

/**
 * Who calls in every account, as in a typical organization: a CI role, workloads (one through a VPC
 * endpoint), a service-linked role, Identity Center roles from the office, an IAM user's keys, a
 * console user with MFA, and, rarely, root. Each calls its own few actions.
 */
const PRINCIPALS: Principal[] = [
  {
    share: 0.2,
    identity: role("ci-deploy", "false"),
    calls: [
      "DescribeStacks",
      "PutBucketPolicy",
      "CreateRole",
      "UpdateFunctionCode20150331v2",
      "GetAuthorizationToken",
      "AssumeRole",
    ],
    from: ["nat"],
  },
  {
    share: 0.3,
    identity: role("app-runtime", "false"),
    calls: ["Decrypt", "ListObjects", "DescribeTable", "GetParameter", "GetSecretValue", "CreateLogStream"],
    from: ["nat", "vpce"],
  },
  {
    share: 0.15,
    identity: role("data-pipeline", "false"),
    calls: ["ListObjects", "GetBucketPolicy", "GenerateDataKey", "PutMetricData"],
    from: ["nat"],
  },
  {
    share: 0.1,
    identity: role("batch-jobs", "false"),
    calls: ["RunInstances", "DescribeInstances", "DescribeSecurityGroups"],
    from: ["nat"],
  },
  {
    share: 0.05,
    identity: role("AWSServiceRoleForECS", "false", "aws-service-role/ecs.amazonaws.com/"),
    calls: ["DescribeInstances", "CreateLogStream"],
    from: ["vpce"],
  },
  {
    share: 0.08,
    identity: role(
      "AWSReservedSSO_AdministratorAccess_0123456789abcdef",
      "true",
      "aws-reserved/sso.amazonaws.com/",
    ),
    calls: ["ListBuckets", "DescribeInstances", "ListRoles", "DescribeStacks", "ConsoleLogin"],
    from: ["office"],
  },
  {
    share: 0.05,
    identity: role(
      "AWSReservedSSO_ReadOnlyAccess_fedcba9876543210",
      "true",
      "aws-reserved/sso.amazonaws.com/",
    ),
    calls: ["ListBuckets", "DescribeInstances", "ListFunctions20150331"],
    from: ["office"],
  },
  {
    share: 0.05,
    identity: user("build-bot"),
    calls: ["ListObjects", "GetAuthorizationToken", "ListFunctions20150331"],
    from: ["nat"],
  },
  {
    share: 0.018,
    identity: user("alice", "true"),
    calls: ["ConsoleLogin", "ListRoles", "DescribeSecurityGroups"],
    from: ["office"],
  },
  {
    share: 0.002,
    identity: (account) => ({
      type: "Root",
      principalId: account,
      arn: `arn:aws:iam::${account}:root`,
      accountId: account,
      sessionContext: { attributes: { creationDate: CREATED, mfaAuthenticated: "true" } },
    }),
    calls: ["ConsoleLogin", "ListRoles"],
    from: ["office"],
  },
];
const OFFICE = ["198.51.100.10", "198.51.100.11", "192.0.2.44"];

function session(account: string, roleArn: string, name: string, mfa: string, n: number) {
  const id = `AROAEXAMPLE${account.slice(-5)}${name.length}`;
  return {
    type: "AssumedRole",
    principalId: `${id}:session-${n % 211}`,
    arn: `arn:aws:sts::${account}:assumed-role/${name}/session-${n % 211}`,
    accountId: account,
    accessKeyId: `ASIAEXAMPLE${String(n % 4999).padStart(9, "0")}`,
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: id, arn: roleArn, accountId: account, userName: name },
      webIdFederationData: {},
      attributes: { creationDate: CREATED, mfaAuthenticated: mfa },
    },
  };
}

function pick<T extends { share: number }>(items: readonly T[], x: number): T {
  let acc = 0;
  for (const item of items) {
    acc += item.share;
    if (x < acc) return item;
  }
  return items[items.length - 1] as T;
}

/** One event, as CloudTrail writes it. */
function event(account: string, region: string, time: number, n: number, rnd: () => number) {
  const who = pick(PRINCIPALS, rnd());
  const callName = who.calls[Math.floor(rnd() * who.calls.length)] as string;
  const [source, name, readOnly, resourceType] = CALLS.find(
    (c) => c[1] === callName,
  ) as (typeof CALLS)[number];
  const global = source === "iam.amazonaws.com" || source === "signin.amazonaws.com";
  const via = who.from.includes("nat") && rnd() < 0.08 ? "cloudformation.amazonaws.com" : undefined;
  const from = who.from[Math.floor(rnd() * who.from.length)];
  const vpce = !via && from === "vpce" ? `vpce-0${account.slice(-8)}${region.length}abcd12` : undefined;
  const nat = `203.0.${Number(account.slice(-3)) % 250}.${rnd() < 0.5 ? 17 : 18}`;
  const address =
    from === "office"
      ? (OFFICE[Math.floor(rnd() * OFFICE.length)] as string)
      : vpce
        ? `10.20.${n % 17}.${n % 250}`
        : nat;
  const identity = who.identity(account, n);
  const denied = rnd() < 0.03;
  const id = `${account.slice(-4)}${n.toString(16).padStart(8, "0")}-7c2e-4f1a-9d3b-${(n * 2654435761).toString(16).slice(-12).padStart(12, "0")}`;
  return {
    eventVersion: "1.10",
    userIdentity: via ? { ...identity, invokedBy: via } : identity,
    eventTime: `${new Date(time).toISOString().slice(0, 19)}Z`,
    eventSource: source,
    eventName: name,
    awsRegion: global ? "us-east-1" : region,
    sourceIPAddress: via ?? address,
    userAgent: via ?? (AGENTS[Math.floor(rnd() * AGENTS.length)] as string),
    ...(denied
      ? {
          errorCode: source === "ec2.amazonaws.com" ? "Client.UnauthorizedOperation" : "AccessDenied",
          errorMessage: `User: ${identity.arn} is not authorized to perform: ${source.split(".")[0]}:${name} with an explicit deny in a service control policy`,
        }
      : {}),
    requestParameters: resourceType ? { name: `resource-${n % 53}`, maxResults: 100 } : null,
    responseElements: null,
    requestID: `${n.toString(36).toUpperCase().padStart(12, "0")}EXAMPLE`,
    eventID: id,
    readOnly,
    ...(resourceType
      ? {
          resources: [
            {
              accountId: account,
              type: resourceType,
              // Each principal works with two resources of a kind (its bucket, its key, …).
              ARN: `arn:aws:${source.split(".")[0]}:${region}:${account}:resource/${PRINCIPALS.indexOf(who)}-${n % 2}`,
            },
          ],
        }
      : {}),
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account,
    ...(vpce ? { vpcEndpointId: vpce, vpcEndpointAccountId: account } : {}),
    eventCategory: "Management",
    tlsDetails: {
      tlsVersion: "TLSv1.3",
      cipherSuite: "TLS_AES_128_GCM_SHA256",
      clientProvidedHostHeader: `${source.split(".")[0]}.${region}.amazonaws.com`,
    },
  };
}

/** Every file of the trail, gzipped (keys in S3's order), and how big the records were. */
const gzipAsync = promisify(gzip);

export async function buildTrail(
  shape: TrailShape,
): Promise<{ objects: Map<string, Buffer>; jsonBytes: number }> {
  const rnd = random(31);
  const objects = new Map<string, Buffer>();
  const slots = shape.accounts.length * shape.regions.length * shape.days;
  const limit = pLimit(4);
  const pending: Promise<void>[] = [];
  let jsonBytes = 0;
  let n = 0;
  let slot = 0;
  for (const account of shape.accounts) {
    for (const region of shape.regions)
      for (let d = 0; d < shape.days; d++) {
        // Spread the events evenly over the slots, and each slot's over its day.
        const count =
          Math.floor(((slot + 1) * shape.events) / slots) - Math.floor((slot * shape.events) / slots);
        slot++;
        const dayStart = shape.start.getTime() + d * 86_400_000;
        for (let first = 0; first < count; first += shape.fileEvents) {
          const records = [];
          const size = Math.min(shape.fileEvents, count - first);
          for (let i = 0; i < size; i++)
            records.push(
              event(
                account,
                region,
                dayStart + Math.floor(((first + i + 0.5) / count) * 86_340_000),
                n++,
                rnd,
              ),
            );
          const last = Date.parse(records[records.length - 1]?.eventTime as string);
          const key = trailObjectKey(
            shape.organizationId,
            account,
            region,
            new Date(last + 180_000),
            n.toString(16).padStart(16, "0").toUpperCase(),
          );
          const json = JSON.stringify({ Records: records });
          jsonBytes += json.length;
          // Copied to a buffer of its own size: zlib's result is a view of a larger output buffer.
          pending.push(limit(async () => void objects.set(key, Buffer.from(await gzipAsync(json)))));
        }
      }
    // One account's files at a time: the JSON waiting to be gzipped stays small.
    await Promise.all(pending.splice(0));
  }
  return { objects: new Map([...objects.entries()].sort(([a], [b]) => (a < b ? -1 : 1))), jsonBytes };
}
