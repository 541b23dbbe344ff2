import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { Inventory } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { applyScpPlan } from "./apply-scp.js";
import { planApplyScp } from "./plan-apply-scp.js";
import { planDetachScp } from "./plan-detach-scp.js";
import { RCP_KIND } from "./policy-kind.js";
import { loadPolicyLibrary, requirePolicy } from "./policy-library.js";
import type { Operator } from "./probes.js";
import { rcpParameters } from "./rcp-parameters.js";
import { renderLibraryPolicies, renderPolicy } from "./render-policy.js";
import { scpParameters } from "./scp-parameters.js";

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

// What the plan says about the policies the RCPs rely on: protect-exemption-tags (an SCP) for the
// exemption tags, confused-deputy for the services identity-perimeter exempts, and who runs it.
describe("planApplyScp with RCPs: what the RCPs leave to other policies", () => {
  const FULL = "p-FullAWSAccess";
  const PROTECT = "p-protecttags";
  const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  const scp = scpParameters({ roleName: "OrganizationAccountAccessRole" });
  const protect = renderPolicy(requirePolicy(loadPolicyLibrary(), "protect-exemption-tags"), scp);

  /** RCPs enabled (RCPFullAWSAccess everywhere); FullAWSAccess everywhere, and `onOu` on the OU. */
  function withScps(onOu: { id: string; name: string; document: unknown } | undefined) {
    const inv = disabled();
    inv.rcps = {
      status: "ENABLED",
      policies: new Map([
        [RCP_FULL, { id: RCP_FULL, name: "RCPFullAWSAccess", arn: "", description: "", awsManaged: true }],
      ]),
      attachments: new Map(["r-ab12", OU, "222222222222"].map((t) => [t, [RCP_FULL]])),
    };
    inv.scps = new Map([
      [FULL, { id: FULL, name: "FullAWSAccess", arn: "", description: "", awsManaged: true }],
    ]);
    if (onOu)
      inv.scps.set(onOu.id, { id: onOu.id, name: onOu.name, arn: "", description: "", awsManaged: false });
    inv.scpAttachments = new Map([
      ["r-ab12", [FULL]],
      [OU, onOu ? [FULL, onOu.id] : [FULL]],
      ["222222222222", [FULL]],
    ]);
    mockFullAccess();
    org
      .on(DescribePolicyCommand, { PolicyId: FULL })
      .resolves({ Policy: { Content: JSON.stringify(allowAll) } });
    if (onOu) {
      org
        .on(DescribePolicyCommand, { PolicyId: onOu.id })
        .resolves({ Policy: { Content: JSON.stringify(onOu.document) } });
    }
    org.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: "managed-by", Value: "orgwarden" }] });
    return inv;
  }
  const plan = (inv: Inventory, names: string[], operator?: Operator, regions?: string[]) =>
    planApplyScp({
      inventory: inv,
      organizations: client(),
      targetId: OU,
      policies: renderLibraryPolicies(loadPolicyLibrary(undefined, RCP_KIND), names, params),
      params,
      quotas,
      kind: RCP_KIND,
      ...(operator ? { operator } : {}),
      ...(regions ? { regions } : {}),
    });

  it("says which exemption tags no SCP keeps from member-account administrators, and that confused-deputy is missing", async () => {
    const p = await plan(withScps(undefined), ["identity-perimeter", "secure-transport"]);
    const notes = p.notes.join("\n");
    expect(notes).toContain(
      "the resource tags dp:exclude:identity=true (identity-perimeter), dp:exclude:secure-transport=true (secure-transport) can be set by a member-account administrator on the account the change reaches (222222222222)",
    );
    expect(notes).toContain("--policy protect-exemption-tags");
    expect(notes).toContain("confused-deputy is not in effect on the account the change reaches");
  });

  it("says nothing of the tags where protect-exemption-tags protects the same keys, nor of services with confused-deputy", async () => {
    const inv = withScps({ id: PROTECT, name: protect.managedName, document: protect.document });
    const p = await plan(inv, ["identity-perimeter", "confused-deputy", "secure-transport"]);
    expect(p.notes.join("\n")).not.toMatch(
      /can be set by a member-account administrator|ABAC|confused-deputy is not/,
    );
  });

  it("names the keys an SCP protecting other tags leaves open, and an older protect-exemption-tags that lets ABAC be enabled", async () => {
    const other = renderPolicy(
      requirePolicy(loadPolicyLibrary(), "protect-exemption-tags"),
      scpParameters({ roleName: "OrganizationAccountAccessRole", resourceExemptTagKeys: ["corp:share"] }),
    );
    const wrongKeys = await plan(
      withScps({ id: PROTECT, name: other.managedName, document: other.document }),
      ["identity-perimeter", "confused-deputy"],
    );
    expect(wrongKeys.notes.join("\n")).toContain(
      "the resource tags dp:exclude:identity=true (identity-perimeter), dp:exclude:confused-deputy=true (confused-deputy) can be set",
    );
    const statements = protect.document.Statement as Array<{ Sid?: string }>;
    const older = {
      ...protect.document,
      Statement: statements.filter((st) => st.Sid !== "ProtectBucketTagsWithoutTagKeys"),
    };
    const withoutS3 = await plan(withScps({ id: PROTECT, name: protect.managedName, document: older }), [
      "identity-perimeter",
      "confused-deputy",
    ]);
    const notes = withoutS3.notes.join("\n");
    expect(notes).not.toContain("can be set by a member-account administrator");
    expect(notes).toContain(
      "can enable ABAC on a bucket (s3:PutBucketAbac) on the account the change reaches",
    );
  });

  it("tells a runner of another organization to trust that organization", async () => {
    const p = await plan(withScps(undefined), ["secure-transport"], {
      accountId: "999988887777",
      principalArn: "arn:aws:iam::999988887777:role/ci",
      inOrganization: false,
      organizationId: "o-partner1234",
      unchecked: ["the trust policy of the runner's role ci could not be read"],
    });
    const notes = p.notes.join("\n");
    expect(notes).toContain(
      "must trust that organization (--trusted-org o-partner1234) or the account (--trusted-account 999988887777)",
    );
    expect(notes).toContain("the trust policy of the runner's role ci could not be read");
  });

  it("says identity-perimeter denies CloudFront's origin access identities, and where ELB's log delivery was not checked", async () => {
    const p = await plan(withScps(undefined), ["identity-perimeter", "confused-deputy"], undefined, [
      "us-east-1",
      "cn-north-1",
    ]);
    const notes = p.notes.join("\n");
    expect(notes).toContain("through an origin access identity (OAI)");
    expect(notes).toContain("Move them to origin access control (OAC)");
    expect(notes).toContain(
      "Elastic Load Balancing's access-log delivery was not checked in cn-north-1: AWS's page lists no ELB account there",
    );
    const secure = await plan(withScps(undefined), ["secure-transport"], undefined, ["cn-north-1"]);
    expect(secure.notes.join("\n")).not.toMatch(/OAI|Elastic Load Balancing/);
  });
});
