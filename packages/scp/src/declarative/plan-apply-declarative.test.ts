import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { type AttachedPolicies, type Inventory, MANAGED_TAG } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { applyScpPlan } from "../apply-scp.js";
import { planDetachScp } from "../plan-detach-scp.js";
import { EC2_POLICY_KIND, S3_POLICY_KIND } from "../policy-kind.js";
import { defaultQuotas } from "../scp-quotas.js";
import { scpStatus } from "../scp-status.js";
import { renderDeclarativePolicy } from "./declarative-policies.js";
import { planApplyDeclarative } from "./plan-apply-declarative.js";

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());
const client = () => new OrganizationsClient({ region: "us-east-1" });

const OU = "ou-ab12-11111111";
const MANAGEMENT = "111111111111";

/** Root → Prod → one member account, the management account under the root; S3 policies as given. */
function inventory(s3: AttachedPolicies): Inventory {
  const unit = (id: string, name: string, parentId: string | undefined, accountIds: string[]) => ({
    id,
    name,
    kind: parentId ? "ou" : "root",
    parentId,
    path: parentId ? `Root/${name}` : "Root",
    depth: parentId ? 1 : 0,
    childOuIds: parentId ? [] : [OU],
    accountIds,
  });
  const account = (id: string, parentId: string, isManagement: boolean) => ({
    id,
    name: id,
    email: `${id}@example.com`,
    arn: "",
    state: "ACTIVE",
    parentId,
    ouPath: parentId === OU ? "Root/Prod" : "Root",
    isManagement,
  });
  return {
    organizationId: "o-abcdef1234",
    partition: "aws",
    managementAccountId: MANAGEMENT,
    featureSet: "ALL",
    rootId: "r-ab12",
    scpPolicyType: "ENABLED",
    units: new Map([
      ["r-ab12", unit("r-ab12", "Root", undefined, [MANAGEMENT])],
      [OU, unit(OU, "Prod", "r-ab12", ["222222222222"])],
    ]),
    accounts: [account(MANAGEMENT, "r-ab12", true), account("222222222222", OU, false)],
    scps: new Map(),
    scpAttachments: new Map(),
    scpTargetsRead: "all",
    managementPolicies: { S3_POLICY: s3 },
  } as Inventory;
}

const none = (): AttachedPolicies => ({ status: "DISABLED", policies: new Map(), attachments: new Map() });
const all = renderDeclarativePolicy("S3_POLICY", { BlockPublicAccess: "all" });
const off = renderDeclarativePolicy("S3_POLICY", { BlockPublicAccess: "none" });
const quotas = {
  maxPolicySize: 10_000,
  maxPoliciesPerTarget: 5,
  sources: { maxPolicySize: "unpublished", maxPoliciesPerTarget: "unpublished" } as const,
};

/** `off` already attached to the OU, orgwarden's by its tags. */
function withOldVariant(): Inventory {
  org.on(DescribePolicyCommand, { PolicyId: "p-old" }).resolves({ Policy: { Content: off.content } });
  org.on(ListTagsForResourceCommand, { ResourceId: "p-old" }).resolves({ Tags: off.tags });
  return inventory({
    status: "ENABLED",
    policies: new Map([
      ["p-old", { id: "p-old", name: off.managedName, arn: "", description: "", awsManaged: false }],
    ]),
    attachments: new Map([[OU, ["p-old"]]]),
  });
}

describe("planApplyDeclarative", () => {
  it("starts with the enable step, which attaches nothing, and runs none of the SCP-only checks", async () => {
    const plan = await planApplyDeclarative({
      inventory: inventory(none()),
      organizations: client(),
      targetId: OU,
      policy: all,
      quotas,
    });
    expect(plan.policyType).toBe("S3_POLICY");
    expect(plan.steps.map((s) => s.kind)).toEqual(["enable-policy-type", "create-policy", "attach-policy"]);
    expect(plan.attachments).toMatchObject({ before: 0, after: 1, limit: 5, names: [] });
    expect(plan.lockout).toBeUndefined();
    expect(plan.validation).toBeUndefined();
    expect(plan.notes.join("\n")).toContain("the management account included, whoever calls");
    expect(plan.notes.join("\n")).toContain("enabling the S3_POLICY type attaches nothing");
  });

  it("takes the management account as a target: the policy applies there, unlike SCPs", async () => {
    const plan = await planApplyDeclarative({
      inventory: inventory(none()),
      organizations: client(),
      targetId: MANAGEMENT,
      policy: all,
      quotas,
    });
    expect(plan.affected[0]).toMatchObject({ targetId: MANAGEMENT, accounts: 1 });
    expect(plan.notes).toContain(
      `the management account ${MANAGEMENT} is under the target: unlike SCPs and RCPs, S3 policies apply to it too`,
    );
  });

  it("replaces another variant on the target: attach the new one, then detach the old one", async () => {
    const plan = await planApplyDeclarative({
      inventory: withOldVariant(),
      organizations: client(),
      targetId: OU,
      policy: all,
      quotas,
    });
    expect(plan.steps.map((s) => s.kind)).toEqual(["create-policy", "attach-policy", "detach-policy"]);
    expect(plan.replacements).toEqual([
      expect.objectContaining({ from: off.managedName, fromId: "p-old", to: all.managedName }),
    ]);
    expect(plan.replacements[0]?.diff).toContain('-       "@@assign": "none"');
  });

  it("at the quota detaches the old variant first; over it refuses with whose figure the quota is", async () => {
    const atQuota = await planApplyDeclarative({
      inventory: withOldVariant(),
      organizations: client(),
      targetId: OU,
      policy: all,
      quotas: { ...quotas, maxPoliciesPerTarget: 1 },
    });
    expect(atQuota.steps.map((s) => s.kind)).toEqual(["create-policy", "detach-policy", "attach-policy"]);
    await expect(
      planApplyDeclarative({
        inventory: inventory({ ...none(), status: "ENABLED" }),
        organizations: client(),
        targetId: OU,
        policy: all,
        quotas: { ...quotas, maxPoliciesPerTarget: 0 },
      }),
    ).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: expect.stringContaining("orgwarden's default: AWS publishes no figure"),
      hint: expect.not.stringContaining("--max-"),
    });
  });

  it("takes its default quotas from the policy-type catalogue, labelled as AWS's or assumed", () => {
    expect(defaultQuotas(S3_POLICY_KIND)).toEqual({
      quotas: { maxPolicySize: 10_000, maxPoliciesPerTarget: 5 },
      unpublished: ["maxPolicySize", "maxPoliciesPerTarget"],
    });
    expect(defaultQuotas(EC2_POLICY_KIND)).toEqual({
      quotas: { maxPolicySize: 10_000, maxPoliciesPerTarget: 10 },
      unpublished: [],
    });
  });
});

describe("detach and status of a management kind", () => {
  it("may leave a target with no policy of the type (there is no full-access policy to keep)", async () => {
    const plan = await planDetachScp({
      inventory: withOldVariant(),
      organizations: client(),
      targetId: OU,
      policyNames: [],
      quotas,
      kind: S3_POLICY_KIND,
    });
    expect(plan.steps).toEqual([
      expect.objectContaining({ kind: "detach-policy", policyId: "p-old", targetId: OU }),
    ]);
    expect(plan.attachments.after).toBe(0);
  });

  it("judges a policy against what its recorded parameters render: in sync, or drifted when edited", async () => {
    const inv = withOldVariant();
    const status = () =>
      scpStatus({
        inventory: inv,
        organizations: client(),
        library: new Map(),
        kind: S3_POLICY_KIND,
      });
    expect(await status()).toEqual([
      expect.objectContaining({ library: "s3-bpa", state: "in-sync", parameters: "BlockPublicAccess=none" }),
    ]);
    org.on(DescribePolicyCommand, { PolicyId: "p-old" }).resolves({ Policy: { Content: all.content } });
    const [row] = await status();
    expect(row).toMatchObject({ state: "drifted" });
    expect(row?.detail).toContain("the attached content is not what these parameters render");
  });

  it("calls a policy without its recorded parameters drifted, and one without the managed tag an impostor", async () => {
    const inv = withOldVariant();
    org.on(ListTagsForResourceCommand, { ResourceId: "p-old" }).resolves({ Tags: [MANAGED_TAG] });
    const [lost] = await scpStatus({
      inventory: inv,
      organizations: client(),
      library: new Map(),
      kind: S3_POLICY_KIND,
    });
    expect(lost).toMatchObject({
      state: "drifted",
      detail: expect.stringContaining("re-apply it with apply-s3-policy"),
    });
    org.on(ListTagsForResourceCommand, { ResourceId: "p-old" }).resolves({ Tags: [] });
    const [impostor] = await scpStatus({
      inventory: inv,
      organizations: client(),
      library: new Map(),
      kind: S3_POLICY_KIND,
    });
    expect(impostor).toMatchObject({ state: "impostor" });
  });
});

function awsError(name: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(name), { name, $fault: "client", $metadata: {}, ...extra });
}

// The emulator's stand-in returns these too; AWS's own are mocked here.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
describe("applyScpPlan with a management kind", () => {
  const plan = () =>
    planApplyDeclarative({
      inventory: inventory(none()),
      organizations: client(),
      targetId: OU,
      policy: all,
      quotas,
    });

  it("creates the policy with its type, and maps PolicyTypeNotEnabledException to running apply-s3-policy again", async () => {
    const p = await plan();
    const withoutEnable = { ...p, steps: p.steps.slice(1) };
    org.on(CreatePolicyCommand).resolves({ Policy: { PolicySummary: { Id: "p-new" } } });
    org.on(AttachPolicyCommand).rejects(awsError("PolicyTypeNotEnabledException"));
    await expect(applyScpPlan(withoutEnable, { organizations: client() })).rejects.toMatchObject({
      code: "REFUSED",
      message: expect.stringContaining("S3 policies are not enabled in this organization"),
      hint: expect.stringContaining("apply-s3-policy again"),
    });
    expect(org.commandCalls(CreatePolicyCommand)[0]?.args[0].input).toMatchObject({
      Type: "S3_POLICY",
      Name: all.managedName,
      Content: all.content,
    });
  });

  it("maps a full target to detaching a policy, with no quota flag to raise", async () => {
    const p = await plan();
    const attachOnly = {
      ...p,
      steps: [{ kind: "attach-policy" as const, policyName: all.managedName, policyId: "p-1", targetId: OU }],
    };
    org
      .on(AttachPolicyCommand)
      .rejects(
        awsError("ConstraintViolationException", { Reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED" }),
      );
    await expect(applyScpPlan(attachOnly, { organizations: client() })).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: expect.stringContaining("the target already has the most S3 policies"),
      hint: expect.not.stringContaining("--max-"),
    });
  });
});
