import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import {
  clearCloudTrailEvents,
  EMULATOR_CREDENTIALS,
  memberCredentials,
  plantCloudTrailEvents,
  putTrailObjects,
} from "@orgwarden/emulator";
import type { ImpactResult } from "@orgwarden/job";
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulatorOrg } from "./support/emulator-org.js";
import { REPO_ROOT } from "./support/run-cli.js";

// `orgwarden impact` and `apply-scp --impact` end to end: recorded calls planted in the emulator's
// CloudTrail stand-in (LookupEvents) and written as the organization trail's files in moto's S3,
// judged before and after require-mfa. The IAM users are real (moto), so their tags are read.

const { moto, org, cli, ou } = useEmulatorOrg({ ous: { Root: 0, "Root/Workloads": 2, "Root/Sandbox": 1 } });
const REGIONS = "us-east-1,eu-west-1";
const BUCKET = "org-trail-logs";

const workload = () => (org.accounts.find((a) => a.ouPath === "Root/Workloads") as { id: string }).id;
/** A day ago, at a fixed minute: inside --since 14d whenever the test runs. */
const at = (minute: number) =>
  new Date(Date.now() - 86_400_000 + minute * 60_000).toISOString().replace(/\.\d+Z$/, "Z");

function userCall(account: string, user: string, n: number, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: "1.10",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAEXAMPLE",
      arn: `arn:aws:iam::${account}:user/${user}`,
      accountId: account,
      accessKeyId: "AKIAIOSFODNN7EXAMPLE",
      userName: user,
    },
    eventTime: at(n),
    eventSource: "ecs.amazonaws.com",
    eventName: "UpdateService",
    awsRegion: "eu-west-1",
    sourceIPAddress: "198.51.100.10",
    userAgent: "aws-cli/2",
    requestID: `req-${user}-${n}`,
    eventID: `e-${user}-${n}`,
    readOnly: false,
    resources: [
      {
        ARN: `arn:aws:ecs:eu-west-1:${account}:service/prod/api`,
        accountId: account,
        type: "AWS::ECS::Service",
      },
    ],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account,
    ...extra,
  };
}

function roleCall(
  account: string,
  roleName: string,
  n: number,
  mfa: boolean,
  extra: Record<string, unknown> = {},
) {
  return {
    ...userCall(account, "x", n),
    userIdentity: {
      type: "AssumedRole",
      principalId: "AROAEXAMPLE:session",
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/session`,
      accountId: account,
      accessKeyId: "ASIAEXAMPLE",
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROAEXAMPLE",
          arn: `arn:aws:iam::${account}:role/${roleName}`,
          accountId: account,
          userName: roleName.split("/").at(-1),
        },
        attributes: { creationDate: at(0), mfaAuthenticated: String(mfa) },
      },
    },
    eventSource: "ec2.amazonaws.com",
    eventName: "DescribeInstances",
    awsRegion: "us-east-1",
    resources: [],
    eventID: `e-${roleName}-${n}`,
    ...extra,
  };
}

/** The recorded activity of the first Workloads account. */
function activity(account: string) {
  return [
    // The CI user's access keys deploying: no MFA key in the request. require-mfa denies it.
    userCall(account, "ci-deploy", 1),
    userCall(account, "ci-deploy", 2),
    userCall(account, "ci-deploy", 3),
    // A keys-only user tagged MFA-exempt (its tag read from IAM): not denied.
    userCall(account, "ses-smtp", 4),
    // A role session, and a service-linked role: require-mfa leaves them alone.
    roleCall(account, "deploy", 5, false),
    roleCall(account, "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", 6, false),
    // An AWS service acting by itself, and a console sign-in: counted, not evaluated.
    {
      ...userCall(account, "x", 7),
      userIdentity: { type: "AWSService", invokedBy: "cloudtrail.amazonaws.com" },
      eventID: "e-service-7",
    },
    {
      ...userCall(account, "alice", 8),
      eventSource: "signin.amazonaws.com",
      eventName: "ConsoleLogin",
      eventType: "AwsConsoleSignIn",
      eventID: "e-login-8",
    },
  ];
}

const json = (stdout: string) => JSON.parse(stdout) as ImpactResult;
const impact = (...args: string[]) =>
  cli("impact", "--ou", "Root/Workloads", "--policy", "require-mfa", "--regions", REGIONS, ...args);

beforeAll(async () => {
  const account = workload();
  const iam = new IAMClient({
    region: "us-east-1",
    endpoint: moto.endpoint,
    credentials: await memberCredentials(moto.endpoint, account),
  });
  await iam.send(new CreateUserCommand({ UserName: "ci-deploy" }));
  await iam.send(
    new CreateUserCommand({ UserName: "ses-smtp", Tags: [{ Key: "orgwarden:mfa-exempt", Value: "true" }] }),
  );
  iam.destroy();
  await plantCloudTrailEvents(moto.endpoint, activity(account), { lookupEventsPerSecond: 0 });
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint: moto.endpoint,
    forcePathStyle: true,
    credentials: EMULATOR_CREDENTIALS,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await putTrailObjects(s3, BUCKET, org.organizationId, activity(account));
  s3.destroy();
});

describe("orgwarden impact", () => {
  it("finds the CI user's access keys that require-mfa would deny, with the deciding statement; exit 5", async () => {
    const res = await impact("--output", "table");
    expect(res.code, res.stderr).toBe(5);
    const line = res.stdout.split("\n").find((l) => l.includes("user/ci-deploy"));
    expect(line).toBeDefined();
    expect(line).toContain("ecs:UpdateService");
    expect(line).toContain("eu-west-1");
    expect(line).toMatch(/ 3 /);
    expect(res.stdout).toContain("DenyIamUsersWithoutMFA");
    expect(res.stdout).toContain("aws:MultiFactorAuthPresent absent");
    expect(res.stdout).not.toContain("user/ses-smtp");
    expect(res.stdout).toMatch(/AWS's policy simulator re-decided 3 sampled calls: agrees on 3/);
    expect(res.stdout).not.toContain("role/deploy");
    expect(res.stdout).toMatch(/not evaluated: .*1 service-linked role.*1 AWS service principal/);
    expect(res.stdout).toMatch(/1 not an API call/);
    expect(res.stdout).toContain("e-ci-deploy-1");
    expect(res.stdout).toContain("principal tags read from IAM for 2 principals");
    expect(res.stdout).not.toContain("AKIA");
  });

  it("--output json: the rows, the coverage and AWS's sample check", async () => {
    const res = await impact("--output", "json");
    expect(res.code, res.stderr).toBe(5);
    const result = json(res.stdout);
    expect(result.newDenials).toHaveLength(1);
    const row = result.newDenials[0] as ImpactResult["newDenials"][number];
    expect(row).toMatchObject({
      principalArn: `arn:aws:iam::${workload()}:user/ci-deploy`,
      action: "ecs:UpdateService",
      account: workload(),
      region: "eu-west-1",
      count: 3,
      policy: "orgwarden-require-mfa",
      sid: "DenyIamUsersWithoutMFA",
      nodePath: "Root/Workloads",
      mfa: ["absent"],
    });
    expect(row.sampleEventIds).toEqual(["e-ci-deploy-1", "e-ci-deploy-2", "e-ci-deploy-3"]);
    expect(result.undetermined).toEqual([]);
    expect(result.coverage).toMatchObject({
      accountsInScope: 2,
      accountsRead: 2,
      eventsRead: 8,
      failures: [],
    });
    expect(result.coverage.notEvaluated).toMatchObject({
      "service-linked-role": 1,
      "aws-service-principal": 1,
      "not-an-api-call": 1,
    });
    expect(result.awsCheck.asked).toBeGreaterThan(0);
    expect(result.awsCheck.agreed).toBe(result.awsCheck.asked);
    expect(JSON.stringify(result)).not.toContain("AKIA");
  });

  it("--output csv: one line per row with the verdict, the statement and the samples", async () => {
    const res = await impact("--output", "csv");
    expect(res.code, res.stderr).toBe(5);
    const [header, first, ...rest] = res.stdout.trim().split("\n");
    expect(header).toMatch(
      /^verdict,principal_arn,action,account,account_name,region,events,first_seen,last_seen/,
    );
    expect(first).toMatch(/^new-denial,arn:aws:iam::\d{12}:user\/ci-deploy,ecs:UpdateService,/);
    expect(rest).toEqual([]);
  });

  it("the organization trail's files in S3 give the same answer as LookupEvents", async () => {
    const res = await impact("--source", `s3://${BUCKET}`, "--output", "json");
    expect(res.code, res.stderr).toBe(5);
    const result = json(res.stdout);
    expect(result.source.kind).toBe("s3");
    expect(result.newDenials.map((r) => [r.principalArn, r.action, r.count])).toEqual([
      [`arn:aws:iam::${workload()}:user/ci-deploy`, "ecs:UpdateService", 3],
    ]);
  });

  it("--max-new-denials 3 accepts them (exit 0); an OU with no such calls has no impact", async () => {
    expect((await impact("--max-new-denials", "3", "--output", "json")).code).toBe(0);
    const sandbox = await cli(
      "impact",
      "--ou",
      "Root/Sandbox",
      "--policy",
      "require-mfa",
      "--regions",
      REGIONS,
      "--output",
      "table",
    );
    expect(sandbox.code, sandbox.stderr).toBe(0);
    expect(sandbox.stdout).toContain("no new denials");
  });

  it("a bucket that does not exist: every part unread is listed, exit 3", async () => {
    const res = await impact("--source", "s3://no-such-trail-bucket", "--output", "table");
    expect(res.code, res.stdout + res.stderr).toBe(3);
    expect(res.stdout).toMatch(/not read: \d+/);
    expect(res.stdout).toContain("no new denials");
  });

  it.each([
    [["--since", "two weeks"], /--since "two weeks" is neither a duration nor a date/],
    [["--source", "ftp://logs"], /source "ftp:\/\/logs" is not/],
    [["--max-new-denials", "-1"], /--max-new-denials must be a whole number/],
    [["--ou", "Root/Nowhere"], /Root\/Nowhere/],
  ])("bad input %s: exit 2 with a hint", async (args, message) => {
    const res = await cli("impact", "--ou", "Root/Workloads", "--policy", "require-mfa", ...args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });
});

describe("orgwarden apply-scp --impact", () => {
  it("stops before the plan when the change would deny recorded calls: exit 5, nothing attached", async () => {
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Workloads"),
      "--policy",
      "require-mfa",
      "--impact",
      "--regions",
      REGIONS,
      "--yes",
    );
    expect(res.code, res.stderr).toBe(5);
    expect(res.stdout).toContain("user/ci-deploy");
    expect(res.stderr).toContain(
      "impact found: the change would deny 3 recorded events (--max-new-denials 0); nothing was applied",
    );
    const status = await cli("scp", "status", "--ou", ou("Root/Workloads"), "--output", "json");
    expect(status.stdout).not.toContain("orgwarden-require-mfa");
  });

  it("--since without --impact is refused (exit 2)", async () => {
    const res = await cli("apply-scp", "--ou", ou("Root/Workloads"), "--since", "7d", "--dry-run");
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--since, --source and --max-new-denials shape --impact");
  });

  it("within --max-new-denials the plan follows and applies; after it, the CI user's calls are denied already", async () => {
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Workloads"),
      "--policy",
      "require-mfa",
      "--impact",
      "--max-new-denials",
      "3",
      "--regions",
      REGIONS,
      "--yes",
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("Done: apply");
    const after = await impact("--output", "json");
    expect(after.code, after.stderr).toBe(0);
    expect(json(after.stdout).newDenials).toEqual([]);
    expect(json(after.stdout).alreadyDenied).toBeGreaterThan(0);
    await clearCloudTrailEvents(moto.endpoint);
  });
});

describe("apply-scp --impact on a policy other targets use", () => {
  it("a new template version updates the policy in place: the other targets' activity is read too", async () => {
    const sandbox = (org.accounts.find((a) => a.ouPath === "Root/Sandbox") as { id: string }).id;
    // Root/Workloads has orgwarden-require-mfa since the test above; the next template version
    // also denies ecs:UpdateService, which a Sandbox role did yesterday.
    await plantCloudTrailEvents(moto.endpoint, [
      roleCall(sandbox, "deploy", 40, false, {
        eventSource: "ecs.amazonaws.com",
        eventName: "UpdateService",
        awsRegion: "eu-west-1",
        eventID: "e-sandbox-deploy-40",
      }),
    ]);
    const library = join(mkdtempSync(join(tmpdir(), "orgwarden-impact-")), "library-v2");
    mkdirSync(library);
    const template = JSON.parse(readFileSync(join(REPO_ROOT, "scp/require-mfa.json"), "utf8"));
    template.document.Statement.push({
      Sid: "NoEcsUpdates",
      Effect: "Deny",
      Action: "ecs:UpdateService",
      Resource: "*",
    });
    writeFileSync(join(library, "require-mfa.json"), JSON.stringify(template, null, 2));
    const res = await cli(
      "apply-scp",
      "--ou",
      ou("Root/Sandbox"),
      "--policy",
      "require-mfa",
      "--policy-dir",
      library,
      "--impact",
      "--regions",
      REGIONS,
      "--yes",
    );
    expect(res.code, res.stdout + res.stderr).toBe(5);
    expect(res.stdout).toContain(
      "the change updates a policy also attached to Root/Workloads: their activity is read too",
    );
    expect(res.stdout).toContain(`arn:aws:iam::${sandbox}:role/deploy`);
    expect(res.stdout).toContain("NoEcsUpdates");
    await clearCloudTrailEvents(moto.endpoint);
  });
});
