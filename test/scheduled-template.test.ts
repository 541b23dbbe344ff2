import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runsWith } from "./support/required-tool.js";
import { REPO_ROOT } from "./support/run-cli.js";

/**
 * deploy/orgwarden-scheduled.yaml as an operator relies on it: every non-zero exit reaches the alert
 * topic with its meaning, undeliverable runs land in a dead-letter queue that alarms, the report
 * bucket is evidence, the task role has no fixed name and trusts only this account's ECS tasks, a run
 * that never starts or never finishes alarms, and the task's size and log are parameters. cfn-lint
 * checks the whole template (permissions.test.ts also lints the member role inside its StackSet).
 */
// biome-ignore lint/suspicious/noExplicitAny: a parsed CloudFormation template: the tests read its shapes
type Properties = any;
const TEMPLATE = join(REPO_ROOT, "deploy/orgwarden-scheduled.yaml");
const template = parse(readFileSync(TEMPLATE, "utf8")) as {
  Parameters: Record<
    string,
    { Default?: unknown; AllowedValues?: unknown[]; MinValue?: number; MaxValue?: number }
  >;
  Rules: Record<string, Properties>;
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
 * path (arrays, and arrays of objects, are flattened); `anything-but`; `exists`; `$or` (any of its
 * patterns matches, together with the pattern's other fields).
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
    if (key === "$or") return (want as Record<string, unknown>[]).some((p) => matches(p, event));
    const got = valuesAt(event, key);
    if (!Array.isArray(want)) return matches(want as Record<string, unknown>, got);
    return want.some((m) => {
      if (m && typeof m === "object" && "exists" in m)
        return (m as { exists: boolean }).exists === got.length > 0;
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
/** A task that never ran orgwarden: no exit code, and a stop code saying why. */
const taskNotStarted = (stopCode: string, stoppedReason: string) => ({
  source: "aws.ecs",
  "detail-type": "ECS Task State Change",
  detail: {
    clusterArn: CLUSTER,
    lastStatus: "STOPPED",
    stopCode,
    stoppedReason,
    taskArn: "arn:aws:ecs:us-east-1:111111111111:task/orgwarden/def",
    containers: [{ name: "orgwarden", lastStatus: "STOPPED" }],
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
  it("a task that never ran orgwarden (an image that cannot be pulled, a stop before the container started) alerts once", () => {
    // Shapes from https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html and
    // the stop codes of https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html.
    const cases = [
      taskNotStarted(
        "TaskFailedToStart",
        "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
      ),
      taskNotStarted(
        "TaskFailedToStart",
        "ResourceInitializationError: unable to pull secrets or registry auth",
      ),
      taskNotStarted("UserInitiated", "Task stopped by user"),
    ];
    for (const event of cases) {
      const hits = alertRules.filter((r) => matches(pattern(r), event));
      expect(hits, event.detail.stoppedReason).toEqual(["AlertTaskNotStarted"]);
    }
    const target = resources.AlertTaskNotStarted?.Properties.Targets[0];
    expect(target.Arn).toEqual({ Ref: "AlertTopic" });
    expect(target.DeadLetterConfig.Arn).toEqual({ "Fn::GetAtt": ["DeadLetterQueue", "Arn"] });
    expect(target.InputTransformer.InputPathsMap.stopCode).toBe("$.detail.stopCode");
    expect(JSON.stringify(target.InputTransformer.InputTemplate)).toMatch(
      /stopped before orgwarden ran.*CannotPullContainerError/,
    );
  });

  it("a missed run alarms: no 'run finished' line over a window longer than the schedule, missing data breaching", () => {
    const filter = resources.RunFinishedMetric?.Properties;
    expect(filter.LogGroupName).toEqual({ Ref: "LogGroup" });
    expect(filter.FilterPattern).toBe('{ $.msg = "run finished" }');
    const metric = filter.MetricTransformations[0];
    const alarm = resources.MissedRunAlarm?.Properties;
    expect({ Namespace: alarm.Namespace, MetricName: alarm.MetricName }).toEqual({
      Namespace: metric.MetricNamespace,
      MetricName: metric.MetricName,
    });
    expect(alarm).toMatchObject({
      Statistic: "Sum",
      Threshold: 1,
      ComparisonOperator: "LessThanThreshold",
      // Silence is the signal: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
      TreatMissingData: "breaching",
      EvaluationPeriods: { Ref: "MissedRunHours" },
      DatapointsToAlarm: { Ref: "MissedRunHours" },
      AlarmActions: [{ Ref: "AlertTopic" }],
    });
    // The window is longer than the default schedule's interval (daily) and within CloudWatch's
    // limit: Period x EvaluationPeriods at most 604,800 s (PutMetricAlarm).
    const hours = template.Parameters.MissedRunHours;
    expect(template.Parameters.ScheduleExpression?.Default).toBe("cron(0 6 * * ? *)");
    expect(alarm.Period * (hours?.Default as number)).toBeGreaterThan(24 * 3600);
    expect(alarm.Period * (hours?.MaxValue as number)).toBeLessThanOrEqual(604_800);
    expect(alarm.Period * (hours?.MinValue as number)).toBeGreaterThan(3600);
  });

  it("the task's CPU and memory are parameters, and only Fargate's pairs pass the template's Rules", () => {
    // https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html
    const steps = (from: number, to: number, step: number) =>
      Array.from({ length: (to - from) / step + 1 }, (_, i) => String(from + i * step));
    const fargate: Record<string, string[]> = {
      "256": ["512", "1024", "2048"],
      "512": steps(1024, 4096, 1024),
      "1024": steps(2048, 8192, 1024),
      "2048": steps(4096, 16384, 1024),
      "4096": steps(8192, 30720, 1024),
      "8192": steps(16384, 61440, 4096),
      "16384": steps(32768, 122880, 8192),
    };
    const task = resources.TaskDefinition?.Properties;
    expect(task.Cpu).toEqual({ Ref: "TaskCpu" });
    expect(task.Memory).toEqual({ Ref: "TaskMemory" });
    expect(template.Parameters.TaskCpu?.AllowedValues).toEqual(Object.keys(fargate));
    // Evaluates the Rules (Fn::Equals conditions, Fn::Contains assertions) for a pair.
    const refused = (cpu: string, memory: string) =>
      Object.values(template.Rules).filter((rule) => {
        const [left, right] = rule.RuleCondition["Fn::Equals"];
        if ((left.Ref === "TaskCpu" ? cpu : left) !== right) return false;
        return rule.Assertions.some((a: Properties) => {
          const [list, value] = a.Assert["Fn::Contains"];
          return !list.includes(value.Ref === "TaskMemory" ? memory : value);
        });
      }).length > 0;
    for (const [cpu, memories] of Object.entries(fargate)) {
      for (const m of steps(512, 122880, 512))
        expect(refused(cpu, m), `${cpu}/${m}`).toBe(!memories.includes(m));
    }
    expect(
      refused(
        template.Parameters.TaskCpu?.Default as string,
        template.Parameters.TaskMemory?.Default as string,
      ),
    ).toBe(false);
  });

  it("the log group's name, retention and KMS key are parameters; the stack's key lets CloudWatch Logs use it for that group only", () => {
    const group = resources.LogGroup?.Properties;
    expect(group.LogGroupName).toEqual({ Ref: "LogGroupName" });
    expect(group.RetentionInDays).toEqual({ Ref: "LogRetentionDays" });
    expect(group.KmsKeyId).toEqual({
      "Fn::If": ["WithLogKmsKey", { Ref: "LogKmsKeyArn" }, { "Fn::GetAtt": ["ReportKey", "Arn"] }],
    });
    expect(template.Parameters.LogGroupName?.Default).toBe("/orgwarden/run");
    expect(template.Parameters.LogRetentionDays?.Default).toBe(90);
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    const logs = resources.ReportKey?.Properties.KeyPolicy.Statement.find(
      (st: { Sid: string }) => st.Sid === "TheTaskLogGroup",
    );
    expect(logs.Principal.Service).toEqual({ "Fn::Sub": "logs.${AWS::Region}.amazonaws.com" });
    expect(logs.Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).toEqual({
      "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroupName}",
    });
    // Every alert names the log group the operator chose, not a fixed one.
    expect(readFileSync(TEMPLATE, "utf8")).not.toMatch(/log group \/orgwarden\/run|in\s+\/orgwarden\/run/);
  });

  const cfnLint = spawnSync("cfn-lint", ["--version"], { stdio: "ignore" }).status === 0;
  it.runIf(runsWith(cfnLint))("passes cfn-lint", () => {
    const res = spawnSync("cfn-lint", [TEMPLATE], { encoding: "utf8" });
    expect(res.stdout + res.stderr).toBe("");
    expect(res.status).toBe(0);
  });
});
