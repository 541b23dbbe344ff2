import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { Inventory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { applyScpPlan } from "./apply-scp.js";
import { planApplyScp } from "./plan-apply-scp.js";
import { planDetachScp } from "./plan-detach-scp.js";
import { RCP_KIND } from "./policy-kind.js";
import { loadPolicyLibrary } from "./policy-library.js";
import { rcpParameters } from "./rcp-parameters.js";
import { renderLibraryPolicies } from "./render-policy.js";

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());
const client = () => new OrganizationsClient({ region: "us-east-1" });

const RCP_FULL = "p-RCPFullAWSAccess";
const OU = "ou-ab12-11111111";

/** Root → Prod → one member account, the management account under the root; RCPs as `rcps` says. */
function inventory(rcps: Inventory["rcps"]): Inventory {
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
    managementAccountId: "111111111111",
    featureSet: "ALL",
    rootId: "r-ab12",
    scpPolicyType: "ENABLED",
    rcpPolicyType: rcps?.status,
    units: new Map([
      ["r-ab12", unit("r-ab12", "Root", undefined, ["111111111111"])],
      [OU, unit(OU, "Prod", "r-ab12", ["222222222222"])],
    ]),
    accounts: [account("111111111111", "r-ab12", true), account("222222222222", OU, false)],
    scps: new Map(),
    scpAttachments: new Map(),
    scpTargetsRead: "all",
    rcps,
  } as Inventory;
}

const disabled = () =>
  inventory({
    status: "DISABLED",
    policies: new Map([
      [RCP_FULL, { id: RCP_FULL, name: "RCPFullAWSAccess", arn: "", description: "", awsManaged: true }],
    ]),
    attachments: new Map(),
  });

const params = rcpParameters({ roleName: "OrganizationAccountAccessRole", organizationId: "o-abcdef1234" });
const policies = renderLibraryPolicies(
  loadPolicyLibrary(undefined, RCP_KIND),
  ["identity-perimeter", "secure-transport"],
  params,
);
const quotas = {
  maxPolicySize: 5120,
  maxPoliciesPerTarget: 5,
  sources: { maxPolicySize: "default", maxPoliciesPerTarget: "default" } as const,
};

function mockFullAccess(): void {
  org.on(DescribePolicyCommand, { PolicyId: RCP_FULL }).resolves({
    Policy: {
      Content: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
      }),
    },
  });
}

describe("planApplyScp with RCPs", () => {
  it("starts with the enable step and plans on the organization it leaves (RCPFullAWSAccess everywhere)", async () => {
    mockFullAccess();
    const plan = await planApplyScp({
      inventory: disabled(),
      organizations: client(),
      targetId: OU,
      policies,
      params,
      quotas,
      kind: RCP_KIND,
    });
    expect(plan.policyType).toBe("RESOURCE_CONTROL_POLICY");
    expect(plan.steps.map((s) => s.kind)).toEqual([
      "enable-policy-type",
      "create-policy",
      "attach-policy",
      "create-policy",
      "attach-policy",
    ]);
    expect(plan.steps[0]).toMatchObject({ policyType: "RESOURCE_CONTROL_POLICY", rootId: "r-ab12" });
    // RCPFullAWSAccess counts on the target once the type is enabled.
    expect(plan.attachments).toMatchObject({ before: 1, after: 3, limit: 5, names: ["RCPFullAWSAccess"] });
    expect(plan.lockout?.blocking).toEqual([]);
    expect(plan.notes.join("\n")).toContain(
      "attaches RCPFullAWSAccess to the root, every OU and every account",
    );
    expect(plan.notes.join("\n")).toContain("never restrict service-linked roles");
  });

  it("refuses the management account as a target: RCPs never affect its resources", async () => {
    await expect(
      planApplyScp({
        inventory: disabled(),
        organizations: client(),
        targetId: "111111111111",
        policies,
        params,
        quotas,
        kind: RCP_KIND,
      }),
    ).rejects.toMatchObject({
      code: "REFUSED",
      message: expect.stringContaining("RCPs never affect its resources"),
    });
  });

  it("says whose figure the per-target quota is when it refuses", async () => {
    mockFullAccess();
    await expect(
      planApplyScp({
        inventory: disabled(),
        organizations: client(),
        targetId: OU,
        policies,
        params,
        quotas: { ...quotas, maxPoliciesPerTarget: 2 },
        kind: RCP_KIND,
      }),
    ).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: expect.stringContaining("AWS's documented default"),
    });
  });

  it("detaches only orgwarden's RCPs and keeps RCPFullAWSAccess", async () => {
    const inv = disabled();
    inv.rcps = {
      status: "ENABLED",
      policies: new Map([
        [RCP_FULL, { id: RCP_FULL, name: "RCPFullAWSAccess", arn: "", description: "", awsManaged: true }],
      ]),
      attachments: new Map([[OU, [RCP_FULL]]]),
    };
    const plan = await planDetachScp({
      inventory: inv,
      organizations: client(),
      targetId: OU,
      policyNames: [],
      quotas,
      kind: RCP_KIND,
    });
    expect(plan).toMatchObject({ policyType: "RESOURCE_CONTROL_POLICY", changes: 0 });
  });
});

function awsError(name: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(name), { name, $fault: "client", $metadata: {}, ...extra });
}

// moto stores RCPs but enforces none of AWS's limits: the errors AWS returns are mocked here.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_AttachPolicy.html
describe("applyScpPlan with RCPs", () => {
  const plan = async () => {
    mockFullAccess();
    return planApplyScp({
      inventory: disabled(),
      organizations: client(),
      targetId: OU,
      policies,
      params,
      quotas,
      kind: RCP_KIND,
    });
  };

  it("enables the RESOURCE_CONTROL_POLICY type, waits for it, and creates RCPs of that type", async () => {
    const p = await plan();
    org.on(EnablePolicyTypeCommand).resolves({});
    org
      .on(ListRootsCommand)
      .resolvesOnce({
        Roots: [
          { Id: "r-ab12", PolicyTypes: [{ Type: "RESOURCE_CONTROL_POLICY", Status: "PENDING_ENABLE" }] },
        ],
      })
      .resolves({
        Roots: [{ Id: "r-ab12", PolicyTypes: [{ Type: "RESOURCE_CONTROL_POLICY", Status: "ENABLED" }] }],
      });
    org.on(CreatePolicyCommand).callsFake((input: { Name: string }) => ({
      Policy: { PolicySummary: { Id: `p-${input.Name.length}` } },
    }));
    org.on(AttachPolicyCommand).resolves({});
    const out = await applyScpPlan(p, { organizations: client(), enableTimeoutMs: 10_000 });
    expect(out.written).toBe(5);
    expect(org.commandCalls(EnablePolicyTypeCommand)[0]?.args[0].input).toEqual({
      RootId: "r-ab12",
      PolicyType: "RESOURCE_CONTROL_POLICY",
    });
    expect(org.commandCalls(CreatePolicyCommand).map((c) => c.args[0].input.Type)).toEqual([
      "RESOURCE_CONTROL_POLICY",
      "RESOURCE_CONTROL_POLICY",
    ]);
    expect(org.commandCalls(ListRootsCommand).length).toBeGreaterThanOrEqual(2);
  });

  it("maps PolicyTypeNotEnabledException to running apply-rcp again", async () => {
    const p = await plan();
    const withoutEnable = { ...p, steps: p.steps.slice(1) };
    org.on(CreatePolicyCommand).rejects(awsError("PolicyTypeNotEnabledException"));
    await expect(applyScpPlan(withoutEnable, { organizations: client() })).rejects.toMatchObject({
      code: "REFUSED",
      message: expect.stringContaining("RCPs are not enabled in this organization"),
      hint: expect.stringContaining("apply-rcp again"),
    });
  });

  it("maps ConstraintViolationException reasons to what the user should do about RCPs", async () => {
    const p = await plan();
    const attachOnly = {
      ...p,
      steps: [
        {
          kind: "attach-policy" as const,
          policyName: "orgwarden-identity-perimeter",
          policyId: "p-1",
          targetId: OU,
        },
      ],
    };
    org
      .on(AttachPolicyCommand)
      .rejects(
        awsError("ConstraintViolationException", { Reason: "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED" }),
      );
    await expect(applyScpPlan(attachOnly, { organizations: client() })).rejects.toMatchObject({
      code: "QUOTA_EXCEEDED",
      message: expect.stringContaining("the target already has the most RCPs"),
      hint: expect.stringContaining("--max-rcps-per-target"),
    });
  });
});
