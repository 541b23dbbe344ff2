import {
  ListAccountsWithInvalidEffectivePolicyCommand,
  ListEffectivePolicyValidationErrorsCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { Inventory, OrgAccount, OrgUnit } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { resolvePolicyQuotas } from "./policy-quotas.js";
import { readPolicyOverview } from "./read-policy-overview.js";

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());

const MANAGEMENT = "999988887777";
const PROD = "111122223333";
const SANDBOX = "444455556666";
const unit = (
  id: string,
  kind: "root" | "ou",
  parentId: string | undefined,
  path: string,
  children: string[] = [],
) =>
  ({
    id,
    name: path.split("/").pop(),
    kind,
    parentId,
    path,
    depth: 0,
    childOuIds: children,
    accountIds: [],
  }) as OrgUnit;
const account = (id: string, name: string, parentId: string, ouPath: string): OrgAccount =>
  ({
    id,
    name,
    email: `${name}@x`,
    arn: "",
    state: "ACTIVE",
    parentId,
    ouPath,
    isManagement: id === MANAGEMENT,
  }) as OrgAccount;
const INVENTORY = {
  organizationId: "o-abc",
  managementAccountId: MANAGEMENT,
  rootId: "r-root",
  units: new Map([
    ["r-root", unit("r-root", "root", undefined, "Root", ["ou-root-prod1111", "ou-root-sand1111"])],
    ["ou-root-prod1111", unit("ou-root-prod1111", "ou", "r-root", "Root/Prod")],
    ["ou-root-sand1111", unit("ou-root-sand1111", "ou", "r-root", "Root/Sandbox")],
  ]),
  accounts: [
    account(MANAGEMENT, "management", "r-root", "Root"),
    account(PROD, "prod", "ou-root-prod1111", "Root/Prod"),
    account(SANDBOX, "sandbox", "ou-root-sand1111", "Root/Sandbox"),
  ],
} as Inventory;

const summary = (id: string, name: string, awsManaged = false) => ({
  Id: id,
  Name: name,
  AwsManaged: awsManaged,
});

/** An organization with SCPs and tag policies enabled, backup policies not. */
function mockOrganization(): void {
  org.on(ListRootsCommand).resolves({
    Roots: [
      {
        Id: "r-root",
        PolicyTypes: [
          { Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" },
          { Type: "TAG_POLICY", Status: "ENABLED" },
        ],
      },
    ],
  });
  org.on(ListPoliciesCommand, { Filter: "SERVICE_CONTROL_POLICY" }).resolves({
    Policies: [
      summary("p-FullAWSAccess", "FullAWSAccess", true),
      summary("p-guard111", "aws-guardrails-AbCdEf"),
      summary("p-mfa11111", "orgwarden-require-mfa"),
    ],
  });
  // The tag policies come on a second page, after an empty first one with a NextToken.
  org.on(ListPoliciesCommand, { Filter: "TAG_POLICY" }).resolves({ Policies: [], NextToken: "t1" });
  org.on(ListPoliciesCommand, { Filter: "TAG_POLICY", NextToken: "t1" }).resolves({
    Policies: [summary("p-tags1111", "cost-center-tags")],
  });
  const targets = (ids: string[]) => ({ Targets: ids.map((TargetId) => ({ TargetId })) });
  org
    .on(ListTargetsForPolicyCommand, { PolicyId: "p-FullAWSAccess" })
    .resolves(targets(["r-root", "ou-root-prod1111", "ou-root-sand1111", MANAGEMENT, PROD, SANDBOX]));
  org.on(ListTargetsForPolicyCommand, { PolicyId: "p-guard111" }).resolves(targets(["ou-root-prod1111"]));
  org.on(ListTargetsForPolicyCommand, { PolicyId: "p-mfa11111" }).resolves(targets(["ou-root-prod1111"]));
  org.on(ListTargetsForPolicyCommand, { PolicyId: "p-tags1111" }).resolves(targets(["r-root"]));
  // The catch-all first: a later, narrower answer wins.
  org.on(ListTagsForResourceCommand).resolves({ Tags: [] });
  org.on(ListTagsForResourceCommand, { ResourceId: "p-mfa11111" }).resolves({
    Tags: [{ Key: "managed-by", Value: "orgwarden" }],
  });
  org.on(ListAccountsWithInvalidEffectivePolicyCommand, { PolicyType: "TAG_POLICY" }).resolves({
    Accounts: [{ Id: SANDBOX, Name: "sandbox" }],
  });
  org
    .on(ListEffectivePolicyValidationErrorsCommand, { AccountId: SANDBOX, PolicyType: "TAG_POLICY" })
    .resolves({
      EffectivePolicyValidationErrors: [
        {
          ErrorCode: "ELEMENTS_TOO_MANY",
          ErrorMessage: "too many tag keys",
          PathToError: "tags",
          ContributingPolicies: ["p-tags1111"],
        },
      ],
    });
}

const read = (extra: Partial<Parameters<typeof readPolicyOverview>[0]> = {}) =>
  readPolicyOverview({
    organizations: new OrganizationsClient({ region: "us-east-1" }),
    inventory: INVENTORY,
    types: ["SERVICE_CONTROL_POLICY", "TAG_POLICY", "BACKUP_POLICY"],
    quotas: resolvePolicyQuotas([
      { name: "Maximum SCPs attached per root, OU or account", code: "L-1", value: 4 },
    ]),
    ...extra,
  });

describe("readPolicyOverview", () => {
  it("walks the enabled types only, with each attachment's owner and the slots left against the live quota", async () => {
    mockOrganization();
    const overview = await read();
    expect(overview.types.map((t) => [t.type, t.status, t.walked, t.quota])).toEqual([
      ["SERVICE_CONTROL_POLICY", "ENABLED", true, { value: 4, source: "service-quotas" }],
      ["TAG_POLICY", "ENABLED", true, { value: 10, source: "default" }],
      ["BACKUP_POLICY", "NOT_ENABLED", false, { value: 10, source: "default" }],
    ]);
    expect(org.commandCalls(ListPoliciesCommand).map((c) => c.args[0].input.Filter)).not.toContain(
      "BACKUP_POLICY",
    );
    const prod = overview.targets.find(
      (t) => t.targetId === "ou-root-prod1111" && t.type === "SERVICE_CONTROL_POLICY",
    );
    expect(prod).toMatchObject({
      targetKind: "ou",
      targetPath: "Root/Prod",
      slots: { attached: 3, quota: 4, left: 1, state: "near" },
      quotaSource: "service-quotas",
    });
    expect(prod?.policies.map((p) => [p.name, p.owner])).toEqual([
      ["aws-guardrails-AbCdEf", "control-tower"],
      ["FullAWSAccess", "aws-managed"],
      ["orgwarden-require-mfa", "orgwarden"],
    ]);
    expect(overview.types[0]).toMatchObject({ policies: 3, attachments: 8, full: 0, near: 1, errors: [] });
    // AWS's own policy needs no tag read.
    expect(org.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input.ResourceId)).not.toContain(
      "p-FullAWSAccess",
    );
  });

  it("lists the accounts with an invalid effective policy and its validation errors", async () => {
    mockOrganization();
    const overview = await read();
    expect(overview.invalid).toEqual([
      {
        accountId: SANDBOX,
        accountName: "sandbox",
        ouPath: "Root/Sandbox",
        type: "TAG_POLICY",
        errors: [
          {
            code: "ELEMENTS_TOO_MANY",
            message: "too many tag keys",
            path: "tags",
            contributingPolicies: ["p-tags1111"],
          },
        ],
      },
    ]);
    expect(overview.types[1]).toMatchObject({ invalidAccounts: 1 });
    // SCPs have no effective policies to validate.
    expect(
      org.commandCalls(ListAccountsWithInvalidEffectivePolicyCommand).map((c) => c.args[0].input.PolicyType),
    ).toEqual(["TAG_POLICY"]);
  });

  it("with an OU, keeps its subtree: the OU and its accounts, not the root nor the other OUs", async () => {
    mockOrganization();
    const overview = await read({ underTargetId: "ou-root-prod1111" });
    expect(new Set(overview.targets.map((t) => t.targetId))).toEqual(new Set(["ou-root-prod1111", PROD]));
    expect(overview.invalid).toEqual([]);
  });

  it("a type that cannot be read is that type's error; the others are still shown", async () => {
    mockOrganization();
    org
      .on(ListPoliciesCommand, { Filter: "TAG_POLICY" })
      .rejects(Object.assign(new Error("no"), { name: "AccessDeniedException", $metadata: {} }));
    const overview = await read();
    expect(overview.types[1]?.errors).toEqual([
      { part: "attachments", message: expect.stringContaining("AccessDeniedException") },
    ]);
    expect(overview.types[0]?.errors).toEqual([]);
    expect(overview.targets.some((t) => t.type === "SERVICE_CONTROL_POLICY")).toBe(true);
  });

  it("an organization that cannot be reached at all is an error, not a partial answer", async () => {
    org
      .on(ListRootsCommand)
      .rejects(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }));
    await expect(read()).rejects.toMatchObject({ code: "UNREACHABLE" });
  });
});

describe("resolvePolicyQuotas", () => {
  it("takes Service Quotas' figure by name, else the default, else the assumption, and says why it read none", () => {
    const live = resolvePolicyQuotas([{ name: "Tag policies attached per account", code: "L-2", value: 20 }]);
    expect(live.perTarget("TAG_POLICY")).toEqual({ value: 20, source: "service-quotas" });
    expect(live.perTarget("BACKUP_POLICY")).toEqual({ value: 10, source: "default" });
    expect(live.perTarget("S3_POLICY")).toEqual({ value: 5, source: "assumed" });
    expect(live.notes).toEqual([]);
    const unread = resolvePolicyQuotas({ unread: "AccessDeniedException: no" });
    expect(unread.perTarget("SERVICE_CONTROL_POLICY")).toEqual({ value: 10, source: "default" });
    expect(unread.notes).toEqual([
      "Service Quotas could not be read (AccessDeniedException: no): defaults used",
    ]);
  });
});
