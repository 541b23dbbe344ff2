import {
  AttachPolicyCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { ActivitySource, ReadScope, RecordBatch } from "@orgwarden/activity";
import { type Inventory, MANAGED_TAG, manualClock, silentLogger } from "@orgwarden/core";
import { defaultScpParameters, loadPolicyLibrary, renderPolicy, requirePolicy } from "@orgwarden/scp";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobSession } from "../session/session.js";
import type { RolloutEvent } from "./rollout-events.js";
import type { RolloutState } from "./rollout-state.js";
import { soakStage } from "./soak-stage.js";
import type { StageContext } from "./stage-context.js";

// A stage soaking on a manual clock: the looks every --poll, the early roll back, the pass that
// detaches the old variant, --no-wait. Organizations is mocked; the activity source is a fake that
// hands over the planted records of the window it is asked for.

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());

const MGMT = "111111111111";
const MEMBER = "222222222222";
const OU = "ou-ab12-sand0001";
const T0 = Date.parse("2026-12-01T08:00:00Z");
const MINUTE = 60_000;
const SHA = "b".repeat(64);

const mfa = renderPolicy(requirePolicy(loadPolicyLibrary(), "require-mfa"), defaultScpParameters());
const FULL = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
});
const CONTENT: Record<string, string> = {
  "p-FullAWSAccess": FULL,
  "p-new00001": mfa.content,
  // The version the stage replaces: the same statements under other Sids, which left s3:PutObject
  // to users without MFA (a denial of it is the new version's; one of CreateBucket, both's).
  "p-old00001": mfa.content
    .replaceAll('"Sid":"', '"Sid":"Old')
    .replace('"sts:GetSessionToken"', '"sts:GetSessionToken","s3:PutObject"'),
  "p-ctguard1": JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "GRRESTRICT", Effect: "Deny", Action: "ec2:*", Resource: "*" }],
  }),
};

function inventory(): Inventory {
  const scp = (id: string, name: string) => ({ id, name, arn: "", description: "", awsManaged: false });
  const unit = (
    id: string,
    name: string,
    path: string,
    parentId: string | undefined,
    accounts: string[],
  ) => ({
    id,
    name,
    kind: parentId ? "ou" : "root",
    parentId,
    path,
    depth: parentId ? 1 : 0,
    childOuIds: parentId ? [] : [OU],
    accountIds: accounts,
  });
  const account = (id: string, parentId: string, ouPath: string, isManagement: boolean) => ({
    id,
    name: id,
    email: `${id}@example.com`,
    arn: "",
    state: "ACTIVE",
    parentId,
    ouPath,
    isManagement,
  });
  return {
    organizationId: "o-abcdef1234",
    partition: "aws",
    managementAccountId: MGMT,
    featureSet: "ALL",
    rootId: "r-ab12",
    scpPolicyType: "ENABLED",
    units: new Map([
      ["r-ab12", unit("r-ab12", "Root", "Root", undefined, [MGMT])],
      [OU, unit(OU, "Sandbox", "Root/Sandbox", "r-ab12", [MEMBER])],
    ]),
    accounts: [account(MGMT, "r-ab12", "Root", true), account(MEMBER, OU, "Root/Sandbox", false)],
    scps: new Map([
      ["p-FullAWSAccess", scp("p-FullAWSAccess", "FullAWSAccess")],
      ["p-new00001", scp("p-new00001", "orgwarden-require-mfa-r1a2b3c4d")],
      ["p-old00001", scp("p-old00001", "orgwarden-require-mfa")],
      ["p-ctguard1", scp("p-ctguard1", "aws-guardrails-AbCdEf")],
    ]),
    scpAttachments: new Map([
      ["r-ab12", ["p-FullAWSAccess", "p-ctguard1"]],
      [OU, ["p-FullAWSAccess", "p-new00001", "p-old00001"]],
      [MEMBER, ["p-FullAWSAccess"]],
    ]),
  } as unknown as Inventory;
}

function state(): RolloutState {
  return {
    kind: "orgwarden-rollout",
    version: 1,
    organizationId: "o-abcdef1234",
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    policies: [{ name: "require-mfa", managedName: "orgwarden-require-mfa", sha256: SHA }],
    scp: {
      policies: ["require-mfa"],
      allowRoot: false,
      params: defaultScpParameters(),
      configuredQuotas: {},
      principalTags: {},
      regions: ["us-east-1"],
      awsCheck: { mode: "off", rate: 40 },
    },
    activity: { since: "14d", source: "lookup-events" },
    maxNewDenials: 0,
    soak: "1h",
    soakMs: 60 * MINUTE,
    deliveryMargin: "0s",
    deliveryMarginMs: 0,
    notes: [],
    stages: [
      {
        ref: "Root/Sandbox",
        id: OU,
        path: "Root/Sandbox",
        status: "attached",
        attachedAt: new Date(T0).toISOString(),
        soakUntil: new Date(T0 + 60 * MINUTE).toISOString(),
        attached: [{ name: "orgwarden-require-mfa-r1a2b3c4d", id: "p-new00001", sha256: SHA }],
        pendingDetaches: [{ name: "orgwarden-require-mfa", id: "p-old00001" }],
        detached: [],
        denials: [],
      },
    ],
  };
}

/** An IAM user's call without MFA, denied with `message`, `minutes` after the attach. */
function denied(minutes: number, id: string, action: [string, string], message: string) {
  return {
    eventVersion: "1.11",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAEXAMPLE",
      arn: `arn:aws:iam::${MEMBER}:user/ci`,
      accountId: MEMBER,
      userName: "ci",
    },
    eventTime: new Date(T0 + minutes * MINUTE).toISOString().replace(/\.\d+Z$/, "Z"),
    eventSource: action[0],
    eventName: action[1],
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.45",
    errorCode: "AccessDenied",
    errorMessage: `User: arn:aws:iam::${MEMBER}:user/ci is not authorized to perform: ${message}`,
    eventID: id,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: MEMBER,
  };
}
const scpArn = (id: string) =>
  `arn:aws:organizations::${MGMT}:policy/o-abcdef1234/service_control_policy/${id}`;
const BUCKET: [string, string] = ["s3.amazonaws.com", "CreateBucket"];
const EC2: [string, string] = ["ec2.amazonaws.com", "RunInstances"];
const PUT: [string, string] = ["s3.amazonaws.com", "PutObject"];

/** A source that hands over the planted records whose time is in the window asked for. */
function fakeSource(records: ReturnType<typeof denied>[], asked: ReadScope[]): ActivitySource {
  return {
    describe: () => ({ kind: "lookup-events", label: "planted", sees: "planted records", cannotSee: [] }),
    read: async (scope: ReadScope, onBatch: (b: RecordBatch) => void) => {
      asked.push(scope);
      const within = records.filter((r) => {
        const t = Date.parse(r.eventTime);
        return t >= scope.window.start.getTime() && t <= scope.window.end.getTime();
      });
      onBatch({ records: within });
      return {
        window: scope.window,
        accountsRead: [...scope.accounts],
        regionsRead: [...scope.regions],
        failures: [],
        notes: [],
        records: within.length,
        requests: 1,
      };
    },
  };
}

function context(
  records: ReturnType<typeof denied>[],
  options: { wait: boolean; startAt: number; marginMinutes?: number },
) {
  const inv = inventory();
  const events: RolloutEvent[] = [];
  const asked: ReadScope[] = [];
  const saved: string[] = [];
  const clock = manualClock(options.startAt);
  const s = state();
  s.deliveryMarginMs = (options.marginMinutes ?? 0) * MINUTE;
  const session = {
    inventory: async () => inv,
    factory: { organizations: () => new OrganizationsClient({ region: "us-east-1" }) },
    operatorCredentials: {},
    logger: silentLogger(),
  } as unknown as JobSession;
  const ctx: StageContext = {
    session,
    state: s,
    draft: undefined as unknown as StageContext["draft"],
    source: fakeSource(records, asked),
    regions: ["us-east-1"],
    options: { stateFile: "unused.json", wait: options.wait, pollMs: 15 * MINUTE, clock, retryStage: false },
    hooks: { onEvent: (e) => events.push(e), confirm: async () => {} },
    dependencies: () => {
      throw new Error("a soak plans nothing");
    },
    save: () => saved.push(JSON.stringify(s.stages[0])),
  };
  return {
    ctx,
    events,
    asked,
    saved,
    clock,
    inv,
    stage: () => s.stages[0] as RolloutState["stages"][number],
  };
}

const minutesOf = (asked: ReadScope[]) => asked.map((a) => (a.window.end.getTime() - T0) / MINUTE);

beforeEach(() => {
  org
    .on(DescribePolicyCommand)
    .callsFake((input: { PolicyId: string }) => ({ Policy: { Content: CONTENT[input.PolicyId] } }));
  org.on(ListTagsForResourceCommand).resolves({ Tags: [MANAGED_TAG] });
  org.on(DetachPolicyCommand).resolves({});
  org.on(AttachPolicyCommand).resolves({});
});

describe("a stage's soak", () => {
  it("waiting: looks every --poll on the rollout's clock until the soak ends, then passes and detaches the old variant", async () => {
    const { ctx, events, asked, clock, inv, stage } = context([], { wait: true, startAt: T0 + MINUTE });
    expect(await soakStage(ctx, 0)).toBe("passed");
    expect(minutesOf(asked)).toEqual([1, 16, 31, 46, 60]);
    // From the attach less 5 minutes of clock skew.
    expect(asked.every((a) => a.errorsOnly && a.window.start.getTime() === T0 - 5 * MINUTE)).toBe(true);
    expect(asked[0]?.accounts).toEqual([MEMBER]);
    expect(clock.now()).toBe(T0 + 60 * MINUTE);
    expect(org.commandCalls(DetachPolicyCommand).map((c) => c.args[0].input)).toEqual([
      { PolicyId: "p-old00001", TargetId: OU },
    ]);
    expect(inv.scpAttachments.get(OU)).toEqual(["p-FullAWSAccess", "p-new00001"]);
    expect(stage()).toMatchObject({
      status: "passed",
      pendingDetaches: [],
      detached: [{ name: "orgwarden-require-mfa", id: "p-old00001" }],
      finishedAt: new Date(T0 + 60 * MINUTE).toISOString(),
    });
    expect(events.map((e) => e.kind)).toEqual(["soak", "soak", "soak", "soak", "soak", "step", "passed"]);
  });

  it("a denial naming the stage's policy rolls it back at the next look; a guardrail's, and one the old variant decides too, are shown, not counted", async () => {
    const records = [
      denied(
        5,
        "e-guard",
        EC2,
        `ec2:RunInstances with an explicit deny in a service control policy: ${scpArn("p-ctguard1")}`,
      ),
      denied(8, "e-plain", BUCKET, "s3:CreateBucket with an explicit deny in a service control policy"),
      denied(
        20,
        "e-ours",
        PUT,
        `s3:PutObject with an explicit deny in a service control policy: ${scpArn("p-new00001")}`,
      ),
      // Named by AWS as the new policy's, but the old variant beside it denies it too.
      denied(
        22,
        "e-both",
        BUCKET,
        `s3:CreateBucket with an explicit deny in a service control policy: ${scpArn("p-new00001")}`,
      ),
    ];
    const { ctx, events, asked, stage, inv } = context(records, { wait: true, startAt: T0 + MINUTE });
    expect(await soakStage(ctx, 0)).toBe("rolled-back");
    expect(minutesOf(asked)).toEqual([1, 16, 31]);
    const soaks = events.filter((e): e is Extract<RolloutEvent, { kind: "soak" }> => e.kind === "soak");
    expect(soaks.map((e) => [e.counted, e.denials.length])).toEqual([
      [0, 0],
      [0, 2],
      [1, 4],
    ]);
    expect(org.commandCalls(DetachPolicyCommand).map((c) => c.args[0].input)).toEqual([
      { PolicyId: "p-new00001", TargetId: OU },
    ]);
    expect(inv.scpAttachments.get(OU)).toEqual(["p-FullAWSAccess", "p-old00001"]);
    const s = stage();
    expect(s.status).toBe("rolled-back");
    expect(s.denials).toEqual([
      expect.objectContaining({
        eventId: "e-ours",
        action: "s3:PutObject",
        counted: true,
        why: "the message names orgwarden-require-mfa-r1a2b3c4d (p-new00001), attached by this stage",
      }),
      expect.objectContaining({
        eventId: "e-guard",
        counted: false,
        why: "the message names another policy: aws-guardrails-AbCdEf (p-ctguard1)",
      }),
      expect.objectContaining({
        eventId: "e-plain",
        counted: false,
        why: expect.stringContaining(
          "denied without this stage's policies too (denied by orgwarden-require-mfa",
        ),
      }),
      expect.objectContaining({
        eventId: "e-both",
        counted: false,
        why: expect.stringContaining(
          "the message names orgwarden-require-mfa-r1a2b3c4d (p-new00001), but it was denied already without the stage's policy (denied by orgwarden-require-mfa",
        ),
      }),
    ]);
    expect(events.at(-1)).toMatchObject({ kind: "rolled-back", counted: 1, limit: 0 });
  });

  it("passes only once the read covered the soak plus CloudTrail's delivery margin: a denial delivered late still rolls it back", async () => {
    const late = denied(
      59,
      "e-late",
      PUT,
      `s3:PutObject with an explicit deny in a service control policy: ${scpArn("p-new00001")}`,
    );
    const quiet = context([], { wait: true, startAt: T0 + MINUTE, marginMinutes: 15 });
    expect(await soakStage(quiet.ctx, 0)).toBe("passed");
    expect(minutesOf(quiet.asked)).toEqual([1, 16, 31, 46, 61, 75]);
    expect(quiet.stage().finishedAt).toBe(new Date(T0 + 75 * MINUTE).toISOString());

    // Read at minute 61: the denial of minute 59 is in, and the stage is rolled back, not passed.
    const { ctx } = context([late], { wait: false, startAt: T0 + 61 * MINUTE, marginMinutes: 15 });
    expect(await soakStage(ctx, 0)).toBe("rolled-back");
    const early = context([], { wait: false, startAt: T0 + 61 * MINUTE, marginMinutes: 15 });
    expect(await soakStage(early.ctx, 0)).toBe("soaking");
  });

  it("--no-wait: one look, the state saved, 'soaking'; nothing written to AWS", async () => {
    const { ctx, events, saved, stage } = context([], { wait: false, startAt: T0 + 5 * MINUTE });
    expect(await soakStage(ctx, 0)).toBe("soaking");
    expect(events.map((e) => e.kind)).toEqual(["soak", "waiting"]);
    expect(saved).toHaveLength(1);
    expect(stage()).toMatchObject({ status: "attached", lookedAt: new Date(T0 + 5 * MINUTE).toISOString() });
    expect(org.commandCalls(DetachPolicyCommand)).toHaveLength(0);
  });

  it("a soak already over is judged at the first look (a resume a day later)", async () => {
    const { ctx, asked, stage } = context([], { wait: false, startAt: T0 + 24 * 60 * MINUTE });
    expect(await soakStage(ctx, 0)).toBe("passed");
    expect(asked).toHaveLength(1);
    expect(stage().status).toBe("passed");
  });
});
