import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * deploy/orgwarden-scheduled.yaml as an operator relies on it: every non-zero exit reaches the alert
 * topic with its meaning, undeliverable runs land in a dead-letter queue that alarms, the report
 * bucket is evidence, and the task role has no fixed name and trusts only this account's ECS tasks.
 * (cfn-lint runs in permissions.test.ts.)
 */
// biome-ignore lint/suspicious/noExplicitAny: a parsed CloudFormation template: the tests read its shapes
type Properties = any;
const template = parse(readFileSync(join(REPO_ROOT, "deploy/orgwarden-scheduled.yaml"), "utf8")) as {
  Parameters: Record<string, { Default?: unknown }>;
  Resources: Record<
    string,
    { Type: string; Condition?: string; DeletionPolicy?: string; Properties: Properties }
  >;
};
const resources = template.Resources;
const CLUSTER = "arn:aws:ecs:us-east-1:111111111111:cluster/orgwarden";

/**
 * EventBridge's matching, for the operators the template uses: each field of the pattern must
 * match; a value list matches when any of its matchers matches any of the event's values at that
 * path (arrays, and arrays of objects, are flattened); `anything-but`.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
function valuesAt(event: unknown, key: string): unknown[] {
  const items = Array.isArray(event) ? event : [event];
  return items.flatMap((e) => {
    const v = e && typeof e === "object" ? (e as Record<string, unknown>)[key] : undefined;
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  });
}
function matches(pattern: Record<string, unknown>, event: unknown): boolean {
  return Object.entries(pattern).every(([key, want]) => {
    const got = valuesAt(event, key);
    if (!Array.isArray(want)) return matches(want as Record<string, unknown>, got);
    return want.some((m) => {
      if (m && typeof m === "object" && "anything-but" in m) {
        const not = [(m as Record<string, unknown>)["anything-but"]].flat();
        return got.length > 0 && got.every((g) => !not.includes(g));
      }
      return got.includes(m);
    });
  });
}
/** The rule's pattern with the cluster's and state machine's ARNs resolved. */
function pattern(rule: string): Record<string, unknown> {
  const p = JSON.parse(JSON.stringify(resources[rule]?.Properties.EventPattern));
  if (p.detail?.clusterArn) p.detail.clusterArn = [CLUSTER];
  if (p.detail?.stateMachineArn)
    p.detail.stateMachineArn = ["arn:aws:states:us-east-1:111111111111:stateMachine:x"];
  return p;
}
const taskStopped = (exitCode: number | undefined, container = "orgwarden") => ({
  source: "aws.ecs",
  "detail-type": "ECS Task State Change",
  detail: {
    clusterArn: CLUSTER,
    lastStatus: "STOPPED",
    taskArn: "arn:aws:ecs:us-east-1:111111111111:task/orgwarden/abc",
    containers: [{ name: container, ...(exitCode === undefined ? {} : { exitCode }) }],
  },
});
const alertRules = Object.entries(resources)
  .filter(([, r]) => r.Type === "AWS::Events::Rule" && r.Properties.EventPattern.source[0] === "aws.ecs")
  .map(([name]) => name);

describe("the scheduled template", () => {
  it("every non-zero exit of orgwarden's container reaches the alert topic once, with its meaning", () => {
    const meaning: Record<number, RegExp> = {
      1: /exit 1: orgwarden failed .*could not be uploaded/,
      2: /exit 2: refused before any change/,
      3: /exit 3: incomplete/,
      4: /exit 4: non-compliant/,
      137: /another exit code .*137: out of memory/,
      143: /130\/143: the task was stopped/,
    };
    for (const [code, text] of Object.entries(meaning)) {
      const hits = alertRules.filter((r) => matches(pattern(r), taskStopped(Number(code))));
      expect(hits, `exit ${code}`).toHaveLength(1);
      const target = resources[hits[0] as string]?.Properties.Targets[0];
      expect(target.Arn).toEqual({ Ref: "AlertTopic" });
      expect(target.DeadLetterConfig.Arn).toEqual({ "Fn::GetAtt": ["DeadLetterQueue", "Arn"] });
      expect(JSON.stringify(target.InputTransformer.InputTemplate)).toMatch(text);
    }
    // Exit 0, another container, another cluster: no alert.
    expect(alertRules.filter((r) => matches(pattern(r), taskStopped(0)))).toEqual([]);
    expect(alertRules.filter((r) => matches(pattern(r), taskStopped(3, "sidecar")))).toEqual([]);
    const elsewhere = taskStopped(3);
    elsewhere.detail.clusterArn = "arn:aws:ecs:us-east-1:111111111111:cluster/other";
    expect(alertRules.filter((r) => matches(pattern(r), elsewhere))).toEqual([]);
    // A failed sharded run is signalled too.
    const sharded = resources.AlertShardedRunFailed;
    expect(sharded?.Condition).toBe("Sharded");
    expect(
      matches(pattern("AlertShardedRunFailed"), {
        source: "aws.states",
        "detail-type": "Step Functions Execution Status Change",
        detail: { status: "FAILED", stateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:x" },
      }),
    ).toBe(true);
  });

  it("the topic takes an optional e-mail; a schedule that cannot start the task lands in a queue that alarms", () => {
    expect(template.Parameters.AlertEmail?.Default).toBe("");
    expect(resources.AlertSubscription).toMatchObject({
      Condition: "WithAlertEmail",
      Properties: { Protocol: "email" },
    });
    expect(resources.Schedule?.Properties.Target.DeadLetterConfig.Arn).toEqual({
      "Fn::GetAtt": ["DeadLetterQueue", "Arn"],
    });
    expect(resources.DeadLetterAlarm?.Properties).toMatchObject({
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 0,
      ComparisonOperator: "GreaterThanThreshold",
      AlarmActions: [{ Ref: "AlertTopic" }],
    });
    const statements = resources.SchedulerRole?.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: "sqs:SendMessage",
        Resource: { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] },
      }),
    );
  });

  it("the report bucket is evidence: retained, TLS only, SSE-KMS with the stack's key, versioned, lockable, logged, tiered", () => {
    const bucket = resources.ReportBucket;
    expect(bucket?.DeletionPolicy).toBe("Retain");
    const p = bucket?.Properties;
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: "aws:kms",
      KMSMasterKeyID: { "Fn::GetAtt": ["ReportKey", "Arn"] },
    });
    expect(resources.ReportKey?.Properties.EnableKeyRotation).toBe(true);
    expect(p.VersioningConfiguration.Status).toBe("Enabled");
    expect(p.ObjectLockConfiguration["Fn::If"][1].Rule.DefaultRetention).toEqual({
      Mode: "GOVERNANCE",
      Days: { Ref: "ObjectLockDays" },
    });
    expect(p.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: "AccessLogBucket" });
    expect(p.LifecycleConfiguration.Rules[0].Transitions).toEqual([
      { StorageClass: "STANDARD_IA", TransitionInDays: 30 },
    ]);
    const tls = resources.ReportBucketPolicy?.Properties.PolicyDocument.Statement.find(
      (s: { Sid: string }) => s.Sid === "TlsOnly",
    );
    expect(tls).toMatchObject({
      Effect: "Deny",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(resources.AccessLogBucket?.DeletionPolicy).toBe("Retain");
  });

  it("the container runs under an init that passes signals on, and gets the member role's name", () => {
    const container = resources.TaskDefinition?.Properties.ContainerDefinitions[0];
    expect(container.LinuxParameters.InitProcessEnabled).toBe(true);
    expect(container.Environment).toContainEqual({
      Name: "ORGWARDEN_ROLE_NAME",
      Value: { Ref: "MemberRoleName" },
    });
    expect(template.Parameters.MemberRoleName?.Default).toBe("OrgwardenMemberRole");
  });

  it("the task role has no fixed name and trusts only ECS tasks of this account", () => {
    const role = resources.TaskRole?.Properties;
    expect(role.RoleName).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
      ArnLike: {
        "aws:SourceArn": { "Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*" },
      },
    });
  });
});
