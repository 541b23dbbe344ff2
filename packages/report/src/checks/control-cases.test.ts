import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import type { GroupDetail, PasswordPolicy, UserDetail } from "@aws-sdk/client-iam";
import { DEFAULT_PASSWORD_REQUIREMENTS } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { checkCloudTrail } from "./cloudtrail-enabled.js";
import { foldRecorders, judgeRecorder, type RecorderFacts } from "./config-recorder.js";
import { judgeConsoleUsersMfa } from "./iam-user-mfa.js";
import { judgeMfaPolicyInUse, type PolicyRecord, policyUse, settledByUse } from "./mfa-policy-in-use.js";
import { judgePasswordPolicy } from "./password-policy.js";
import { foldRegions, settleDeniedRegions } from "./regions.js";
import type { TrailJudgement } from "./trails.js";

/**
 * The shared case table: for each direct check, the documented cases of the AWS Config rule (or
 * Security Hub control) it mirrors, as fixtures in the APIs' own shapes, and the answer AWS gives.
 * The direct check must give the same answer on every case.
 */
const PAGES = {
  password: "https://docs.aws.amazon.com/config/latest/developerguide/iam-password-policy.html",
  consoleMfa:
    "https://docs.aws.amazon.com/config/latest/developerguide/mfa-enabled-for-iam-console-access.html",
  trail: "https://docs.aws.amazon.com/config/latest/developerguide/multi-region-cloudtrail-enabled.html",
  guardduty: "https://docs.aws.amazon.com/config/latest/developerguide/guardduty-enabled-centralized.html",
  config1: "https://docs.aws.amazon.com/securityhub/latest/userguide/config-controls.html#config-1",
  policyInUse: "https://docs.aws.amazon.com/config/latest/developerguide/iam-policy-in-use.html",
} as const;

const STRONG: PasswordPolicy = {
  MinimumPasswordLength: 14,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  RequireNumbers: true,
  RequireSymbols: true,
  PasswordReusePrevention: 24,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
};

describe(`password-policy mirrors IAM_PASSWORD_POLICY (${PAGES.password})`, () => {
  const cases: Array<[string, PasswordPolicy, Partial<typeof DEFAULT_PASSWORD_REQUIREMENTS>, string]> = [
    ["the rule's defaults met", STRONG, {}, "COMPLIANT"],
    [
      "8 characters under the default MinimumPasswordLength 14",
      { ...STRONG, MinimumPasswordLength: 8 },
      {},
      "NON_COMPLIANT",
    ],
    [
      "8 characters with MinimumPasswordLength 8",
      { ...STRONG, MinimumPasswordLength: 8 },
      { minimumLength: 8 },
      "COMPLIANT",
    ],
    [
      "no reuse prevention (default 24)",
      { ...STRONG, PasswordReusePrevention: undefined },
      {},
      "NON_COMPLIANT",
    ],
    ["reuse prevention 5 < 24", { ...STRONG, PasswordReusePrevention: 5 }, {}, "NON_COMPLIANT"],
    [
      "passwords never expire (default MaxPasswordAge 90)",
      { ...STRONG, ExpirePasswords: false },
      {},
      "NON_COMPLIANT",
    ],
    ["maximum age 180 > 90", { ...STRONG, MaxPasswordAge: 180 }, {}, "NON_COMPLIANT"],
    ["symbols not required", { ...STRONG, RequireSymbols: false }, {}, "NON_COMPLIANT"],
    [
      "symbols not required, RequireSymbols false",
      { ...STRONG, RequireSymbols: false },
      { requireSymbols: false },
      "COMPLIANT",
    ],
  ];
  for (const [name, policy, params, status] of cases) {
    it(`${name}: ${status}`, () => {
      expect(judgePasswordPolicy(policy, { ...DEFAULT_PASSWORD_REQUIREMENTS, ...params }).status).toBe(
        status,
      );
    });
  }
});

const HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active\n";
const ROOT =
  "<root_account>,arn:aws:iam::222222222222:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,false\n";

describe(`iam-user-mfa mirrors MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS (${PAGES.consoleMfa})`, () => {
  it("no user with a console password: NOT_APPLICABLE (root's row is not a user)", () => {
    expect(judgeConsoleUsersMfa(HEADER + ROOT).status).toBe("NOT_APPLICABLE");
  });
  it("every console user has MFA: COMPLIANT", () => {
    const csv = `${HEADER + ROOT}ann,arn:aws:iam::222222222222:user/ann,2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true\n`;
    expect(judgeConsoleUsersMfa(csv).status).toBe("COMPLIANT");
  });
  it("a console user without MFA, whose name holds a comma, is named whole: NON_COMPLIANT", () => {
    const csv = `${HEADER + ROOT}"ops,team",arn:aws:iam::222222222222:user/ops,2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false\nkeys-only,arn:aws:iam::222222222222:user/k,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false\n`;
    const o = judgeConsoleUsersMfa(csv);
    expect(o.status).toBe("NON_COMPLIANT");
    expect(o.reason).toBe('console users without MFA: "ops,team"');
  });
  it("the same name unquoted (extra cells) is put back together from the ARN", () => {
    const csv = `${HEADER + ROOT}ops,team,arn:aws:iam::222222222222:user/ops,team,2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,false\n`;
    const o = judgeConsoleUsersMfa(csv);
    expect(o).toMatchObject({ status: "NON_COMPLIANT", resourceId: "ops,team" });
  });
});

const ct = mockClient(CloudTrailClient);
afterEach(() => ct.reset());
const TRAIL = "arn:aws:cloudtrail:us-east-1:222222222222:trail/main";

async function trailCase(
  selectors: { EventSelectors?: unknown[]; AdvancedEventSelectors?: unknown[] },
  options: { logging?: boolean; multiRegion?: boolean; organization?: readonly TrailJudgement[] } = {},
) {
  ct.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: "main",
        TrailARN: TRAIL,
        HomeRegion: "us-east-1",
        IsMultiRegionTrail: options.multiRegion ?? true,
      },
    ],
  });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: options.logging ?? true });
  ct.on(GetEventSelectorsCommand).resolves(selectors as never);
  const [o] = await checkCloudTrail(() => new CloudTrailClient({}), "us-east-1", options.organization ?? []);
  return o;
}

describe(`cloudtrail-enabled mirrors MULTI_REGION_CLOUD_TRAIL_ENABLED / CloudTrail.1 (${PAGES.trail})`, () => {
  const all = { ReadWriteType: "All", IncludeManagementEvents: true, ExcludeManagementEventSources: [] };
  it("multi-region, logging, management events read and write: COMPLIANT", async () => {
    expect((await trailCase({ EventSelectors: [all] }))?.status).toBe("COMPLIANT");
  });
  it("a single-region trail only: NON_COMPLIANT", async () => {
    expect((await trailCase({ EventSelectors: [all] }, { multiRegion: false }))?.status).toBe(
      "NON_COMPLIANT",
    );
  });
  it("not logging: NON_COMPLIANT", async () => {
    expect((await trailCase({ EventSelectors: [all] }, { logging: false }))?.status).toBe("NON_COMPLIANT");
  });
  it("management events excluded (IncludeManagementEvents false): NON_COMPLIANT", async () => {
    const o = await trailCase({ EventSelectors: [{ ...all, IncludeManagementEvents: false }] });
    expect(o).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("exclude management events"),
    });
  });
  it("write-only management events: NON_COMPLIANT (CloudTrail.1 needs ReadWriteType ALL)", async () => {
    expect((await trailCase({ EventSelectors: [{ ...all, ReadWriteType: "WriteOnly" }] }))?.status).toBe(
      "NON_COMPLIANT",
    );
  });
  it("ExcludeManagementEventSources not empty (KMS): NON_COMPLIANT", async () => {
    const o = await trailCase({
      EventSelectors: [{ ...all, ExcludeManagementEventSources: ["kms.amazonaws.com"] }],
    });
    expect(o).toMatchObject({
      status: "NON_COMPLIANT",
      reason: expect.stringContaining("kms.amazonaws.com"),
    });
  });
  it("advanced selectors on eventCategory Management: COMPLIANT", async () => {
    const adv = [{ Name: "mgmt", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] }];
    expect((await trailCase({ AdvancedEventSelectors: adv }))?.status).toBe("COMPLIANT");
  });
  it("advanced selectors with readOnly true only: NON_COMPLIANT", async () => {
    const adv = [
      {
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Management"] },
          { Field: "readOnly", Equals: ["true"] },
        ],
      },
    ];
    expect((await trailCase({ AdvancedEventSelectors: adv }))?.status).toBe("NON_COMPLIANT");
  });
  it("advanced selectors excluding an event source: NON_COMPLIANT", async () => {
    const adv = [
      {
        FieldSelectors: [
          { Field: "eventCategory", Equals: ["Management"] },
          { Field: "eventSource", NotEquals: ["rdsdata.amazonaws.com"] },
        ],
      },
    ];
    expect((await trailCase({ AdvancedEventSelectors: adv }))?.status).toBe("NON_COMPLIANT");
  });
  it("advanced selectors on data events only: NON_COMPLIANT", async () => {
    const adv = [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }] }];
    expect((await trailCase({ AdvancedEventSelectors: adv }))?.status).toBe("NON_COMPLIANT");
  });
  it("no trail of its own, covered by a logging organization trail: COMPLIANT", async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [] });
    const [o] = await checkCloudTrail(() => new CloudTrailClient({}), "us-east-1", [
      {
        name: "org",
        arn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/org",
        organization: true,
        ok: true,
        why: "is logging",
      },
    ]);
    expect(o).toMatchObject({
      status: "COMPLIANT",
      reason: expect.stringContaining("organization trail org"),
    });
  });
  it("an unreadable organization trail does not hide the account's own good trail", async () => {
    const all = { ReadWriteType: "All", IncludeManagementEvents: true };
    ct.on(DescribeTrailsCommand).resolves({
      trailList: [{ Name: "main", TrailARN: TRAIL, HomeRegion: "us-east-1", IsMultiRegionTrail: true }],
    });
    ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    ct.on(GetEventSelectorsCommand).resolves({ EventSelectors: [all] } as never);
    const [o] = await checkCloudTrail(() => new CloudTrailClient({}), "us-east-1", [
      {
        name: "org",
        arn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/org",
        organization: true,
        ok: false,
        why: "could not be read",
      },
    ]);
    expect(o?.status).toBe("COMPLIANT");
  });
  it("no trail at all: NON_COMPLIANT", async () => {
    ct.on(DescribeTrailsCommand).resolves({ trailList: [] });
    const [o] = await checkCloudTrail(() => new CloudTrailClient({}), "us-east-1", []);
    expect(o?.status).toBe("NON_COMPLIANT");
  });
});

describe(`guardduty-enabled mirrors GUARDDUTY_ENABLED_CENTRALIZED, in every region (${PAGES.guardduty})`, () => {
  it("enabled everywhere: COMPLIANT; missing in one region: NON_COMPLIANT naming it", () => {
    const ok = { status: "COMPLIANT" as const, reason: "detector d is enabled" };
    expect(
      foldRegions("guardduty-enabled", [
        { region: "us-east-1", ...ok },
        { region: "eu-west-1", ...ok },
      ]).status,
    ).toBe("COMPLIANT");
    const o = foldRegions("guardduty-enabled", [
      { region: "us-east-1", ...ok },
      { region: "eu-west-1", status: "NON_COMPLIANT", reason: "no GuardDuty detector" },
    ]);
    expect(o).toMatchObject({ status: "NON_COMPLIANT", region: "eu-west-1" });
    expect(o.reason).toContain("eu-west-1: no GuardDuty detector");
  });
  it("a region the role may not call is set aside for the SCPs to explain; unexplained, the row is ERROR, not COMPLIANT", () => {
    const o = foldRegions("guardduty-enabled", [
      { region: "us-east-1", status: "COMPLIANT", reason: "detector d is enabled" },
      { region: "ap-east-1", status: "DENIED", reason: "AccessDeniedException" },
    ]);
    expect(o.deniedRegions?.map((d) => d.region)).toEqual(["ap-east-1"]);
    expect(settleDeniedRegions(o, new Map())).toMatchObject({ status: "ERROR", region: "ap-east-1" });
  });
});

describe(`config-recorder mirrors Security Hub Config.1 (${PAGES.config1})`, () => {
  const slr = "arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
  const good: RecorderFacts = {
    recorders: [
      {
        name: "default",
        roleARN: slr,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    ],
    statuses: [{ name: "default", recording: true, lastStatus: "Success" }],
    deliveryChannels: 1,
  };
  const cases: Array<[string, RecorderFacts, string]> = [
    ["recording all resources with a delivery channel", good, "COMPLIANT"],
    ["no recorder", { ...good, recorders: [], statuses: [] }, "NON_COMPLIANT"],
    ["not recording", { ...good, statuses: [{ name: "default", recording: false }] }, "NON_COMPLIANT"],
    [
      "recording, last status FAILURE",
      {
        ...good,
        statuses: [
          { name: "default", recording: true, lastStatus: "Failure", lastErrorCode: "AccessDenied" },
        ],
      },
      "NON_COMPLIANT",
    ],
    [
      "recording an inclusion list only",
      {
        ...good,
        recorders: [
          {
            name: "default",
            recordingGroup: {
              allSupported: false,
              resourceTypes: ["AWS::EC2::Instance"],
              recordingStrategy: { useOnly: "INCLUSION_BY_RESOURCE_TYPES" },
            },
          },
        ],
      },
      "NON_COMPLIANT",
    ],
    ["no delivery channel", { ...good, deliveryChannels: 0 }, "NON_COMPLIANT"],
    [
      "recording all but an exclusion list",
      {
        ...good,
        recorders: [
          {
            name: "default",
            recordingGroup: {
              allSupported: false,
              exclusionByResourceTypes: { resourceTypes: ["AWS::EC2::Volume"] },
              recordingStrategy: { useOnly: "EXCLUSION_BY_RESOURCE_TYPES" },
            },
          },
        ],
      },
      "NON_COMPLIANT",
    ],
    [
      "only a service-linked recorder of another service (its status recording)",
      {
        recorders: [{ name: "AWSConfigurationRecorderForX", servicePrincipal: "x.amazonaws.com" }],
        statuses: [{ name: "AWSConfigurationRecorderForX", recording: true }],
        deliveryChannels: 1,
      },
      "NON_COMPLIANT",
    ],
    [
      "a customer recorder named aws-controltower-…, recording",
      {
        ...good,
        recorders: [
          {
            name: "aws-controltower-BaselineConfigRecorder",
            roleARN: slr,
            recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
          },
        ],
        statuses: [{ name: "aws-controltower-BaselineConfigRecorder", recording: true }],
      },
      "COMPLIANT",
    ],
  ];
  for (const [name, facts, status] of cases) {
    it(`${name}: ${status}`, () => {
      expect(judgeRecorder(facts).status).toBe(status);
    });
  }
  // Config.1's includeConfigServiceLinkedRoleCheck, Security Hub's default true: "If you don't use the
  // service-linked role and don't set the includeConfigServiceLinkedRoleCheck parameter to false,
  // the control fails".
  const custom = "arn:aws:iam::111111111111:role/my-config-role";
  const withRole = (roleARN: string | undefined): RecorderFacts => ({
    ...good,
    recorders: [
      {
        name: "default",
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        ...(roleARN ? { roleARN } : {}),
      },
    ],
  });
  it("a custom recorder role: NON_COMPLIANT by default, naming the role and the parameter", () => {
    const v = judgeRecorder(withRole(custom));
    expect(v.status).toBe("NON_COMPLIANT");
    expect(v.reason).toContain(custom);
    expect(v.reason).toContain("includeConfigServiceLinkedRoleCheck");
    expect(judgeRecorder(withRole(undefined)).status).toBe("NON_COMPLIANT");
    // A role of that name elsewhere than AWS Config's service-linked path is not it.
    expect(judgeRecorder(withRole("arn:aws:iam::111111111111:role/AWSServiceRoleForConfig")).status).toBe(
      "NON_COMPLIANT",
    );
  });
  it("a custom recorder role with includeConfigServiceLinkedRoleCheck false: COMPLIANT", () => {
    expect(judgeRecorder(withRole(custom), { serviceLinkedRoleCheck: false }).status).toBe("COMPLIANT");
  });
  it("the service-linked role in another partition: COMPLIANT", () => {
    expect(
      judgeRecorder(
        withRole(
          "arn:aws-us-gov:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
        ),
      ).status,
    ).toBe("COMPLIANT");
  });
  it("global resource types recorded in no region: NON_COMPLIANT; in one of two: COMPLIANT", () => {
    const noGlobal = judgeRecorder({
      ...good,
      recorders: [
        {
          name: "default",
          roleARN: slr,
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
        },
      ],
    });
    expect(foldRecorders([{ region: "eu-west-1", ...noGlobal }]).status).toBe("NON_COMPLIANT");
    expect(
      foldRecorders([
        { region: "eu-west-1", ...noGlobal },
        { region: "us-east-1", ...judgeRecorder(good) },
      ]).status,
    ).toBe("COMPLIANT");
  });
});

describe(`mfa-policy-in-use mirrors IAM_POLICY_IN_USE: attached to a user, a role, or a group with a user (${PAGES.policyInUse})`, () => {
  const ARN = "arn:aws:iam::222222222222:policy/BlockAllAccessUnlessSignedInWithMFA";
  const attached = [{ PolicyName: "BlockAllAccessUnlessSignedInWithMFA", PolicyArn: ARN }];
  const user = (name: string, extra: Partial<UserDetail> = {}): UserDetail => ({ UserName: name, ...extra });
  const group = (name: string, extra: Partial<GroupDetail> = {}): GroupDetail => ({
    GroupName: name,
    ...extra,
  });
  // users and groups as GetAccountAuthorizationDetails gives them; `record` is GetPolicy (and the
  // roles of ListEntitiesForPolicy) when users and groups did not settle it — undefined: not asked.
  const cases: Array<{
    name: string;
    users: UserDetail[];
    groups: GroupDetail[];
    record?: PolicyRecord;
    status: "COMPLIANT" | "NON_COMPLIANT";
    reason: string;
  }> = [
    {
      name: "attached to a user",
      users: [user("alice", { AttachedManagedPolicies: attached }), user("bob")],
      groups: [],
      status: "COMPLIANT",
      reason: "attached to user alice",
    },
    {
      name: "attached to a group with a member",
      users: [user("bob", { GroupList: ["Humans"] })],
      groups: [group("Humans", { AttachedManagedPolicies: attached })],
      status: "COMPLIANT",
      reason: "attached to group Humans",
    },
    {
      name: "attached to an empty group only (no user's GroupList names it)",
      users: [user("bob", { GroupList: ["Other"] })],
      groups: [group("Humans", { AttachedManagedPolicies: attached }), group("Other")],
      record: { exists: true, attachments: 1, roles: [] },
      status: "NON_COMPLIANT",
      reason: "attached only to empty group(s): Humans",
    },
    {
      name: "attached to a role only",
      users: [],
      groups: [],
      record: { exists: true, attachments: 1, roles: ["humans"] },
      status: "COMPLIANT",
      reason: "attached to role humans",
    },
    {
      name: "attached to an empty group and a role",
      users: [],
      groups: [group("Humans", { AttachedManagedPolicies: attached })],
      record: { exists: true, attachments: 2, roles: ["ci"] },
      status: "COMPLIANT",
      reason: "attached to role ci",
    },
    {
      name: "exists, attached to nothing",
      users: [user("bob")],
      groups: [group("Humans")],
      record: { exists: true, attachments: 0, roles: [] },
      status: "NON_COMPLIANT",
      reason: "policy BlockAllAccessUnlessSignedInWithMFA is attached to nothing",
    },
    {
      name: "does not exist",
      users: [],
      groups: [],
      record: { exists: false },
      status: "NON_COMPLIANT",
      reason: "policy BlockAllAccessUnlessSignedInWithMFA does not exist in this account",
    },
    {
      name: "another policy of the same name elsewhere (a path or another account) does not count",
      users: [
        user("alice", {
          AttachedManagedPolicies: [
            { PolicyArn: "arn:aws:iam::222222222222:policy/team/BlockAllAccessUnlessSignedInWithMFA" },
          ],
        }),
      ],
      groups: [],
      record: { exists: false },
      status: "NON_COMPLIANT",
      reason: "policy BlockAllAccessUnlessSignedInWithMFA does not exist in this account",
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.status}${c.record ? "" : " (no GetPolicy needed)"}`, () => {
      const use = policyUse(ARN, { users: c.users, groups: c.groups });
      // Settled by users and groups exactly when the case needs no GetPolicy.
      expect(settledByUse(use) === undefined).toBe(c.record !== undefined);
      // GetPolicy's answer never overrides what the users and groups settled.
      const record = c.record ?? { exists: false };
      expect(judgeMfaPolicyInUse("BlockAllAccessUnlessSignedInWithMFA", use, record)).toEqual({
        status: c.status,
        reason: c.reason,
      });
    });
  }
});
