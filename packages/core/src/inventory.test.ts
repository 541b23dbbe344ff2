import {
  type AccountState,
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListPoliciesCommand,
  ListRootsCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { buildInventory, readRcps } from "./inventory.js";
import { accountsUnder, ancestorIds, effectiveScpIds, requireTarget } from "./inventory-queries.js";

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());

function account(id: string, name: string, state: AccountState = "ACTIVE") {
  return {
    Id: id,
    Name: name,
    Email: `${name}@x`,
    Arn: `arn:aws:organizations::1:account/o-1/${id}`,
    State: state,
  };
}

function mockOrganization(): void {
  org.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: "o-abc", MasterAccountId: "111111111111", FeatureSet: "ALL" },
  });
  org.on(ListRootsCommand).resolves({
    Roots: [
      { Id: "r-ab12", Name: "Root", PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }] },
    ],
  });
  org
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: "r-ab12" })
    .resolvesOnce({ OrganizationalUnits: [], NextToken: "t1" })
    .resolvesOnce({ OrganizationalUnits: [{ Id: "ou-ab12-11111111", Name: "Workloads" }] });
  org
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-ab12-11111111" })
    .resolves({ OrganizationalUnits: [{ Id: "ou-ab12-22222222", Name: "Prod" }] });
  org
    .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-ab12-22222222" })
    .resolves({ OrganizationalUnits: [] });
  org
    .on(ListAccountsForParentCommand, { ParentId: "r-ab12" })
    .resolves({ Accounts: [account("111111111111", "mgmt")] });
  org.on(ListAccountsForParentCommand, { ParentId: "ou-ab12-11111111" }).resolves({ Accounts: [] });
  org
    .on(ListAccountsForParentCommand, { ParentId: "ou-ab12-22222222" })
    .resolvesOnce({ Accounts: [account("222222222222", "app-b")], NextToken: "a1" })
    .resolvesOnce({ Accounts: [], NextToken: "a2" })
    .resolvesOnce({
      Accounts: [{ ...account("333333333333", "app-a"), State: undefined, Status: "SUSPENDED" }],
    });
  org.on(ListPoliciesCommand).resolves({
    Policies: [
      { Id: "p-FullAWSAccess", Name: "FullAWSAccess", AwsManaged: true },
      { Id: "p-11111111", Name: "orgwarden-require-mfa", AwsManaged: false },
    ],
  });
  org.on(ListTargetsForPolicyCommand, { PolicyId: "p-FullAWSAccess" }).resolves({
    Targets: [{ TargetId: "r-ab12" }, { TargetId: "ou-ab12-11111111" }, { TargetId: "222222222222" }],
  });
  org
    .on(ListTargetsForPolicyCommand, { PolicyId: "p-11111111" })
    .resolves({ Targets: [{ TargetId: "ou-ab12-11111111" }] });
}

describe("buildInventory", () => {
  it("follows NextToken past empty pages and builds paths, states and attachments", async () => {
    mockOrganization();
    const inv = await buildInventory({ organizations: new OrganizationsClient({ region: "us-east-1" }) });
    expect(inv.accounts.map((a) => [a.id, a.ouPath, a.state, a.isManagement])).toEqual([
      ["111111111111", "Root", "ACTIVE", true],
      ["333333333333", "Root/Workloads/Prod", "SUSPENDED", false],
      ["222222222222", "Root/Workloads/Prod", "ACTIVE", false],
    ]);
    expect(ancestorIds(inv, "222222222222")).toEqual(["r-ab12", "ou-ab12-11111111", "ou-ab12-22222222"]);
    expect(effectiveScpIds(inv, "222222222222").sort()).toEqual(["p-11111111", "p-FullAWSAccess"]);
    expect(accountsUnder(inv, "ou-ab12-11111111").map((a) => a.id)).toEqual(["333333333333", "222222222222"]);
    expect(requireTarget(inv, "ou-ab12-22222222").path).toBe("Root/Workloads/Prod");
    expect(() => requireTarget(inv, "ou-ab12-99999999")).toThrow(
      /no OU, root or account with id ou-ab12-99999999/,
    );
    expect(inv.scpPolicyType).toBe("ENABLED");
    expect(inv.scpTargetsRead).toBe("all");
  });

  it("says who the management account is before the walk, and lists only the SCP targets asked for", async () => {
    mockOrganization();
    const events: string[] = [];
    const inv = await buildInventory({
      organizations: new OrganizationsClient({ region: "us-east-1" }),
      onOrganization: (o) => events.push(`organization ${o.managementAccountId}`),
      onAccount: (a) => events.push(`account ${a.id}`),
      scpTargetsOf: (p) => p.name.startsWith("orgwarden-"),
    });
    // Account work (role assumption needs the management account) can start before any account.
    expect(events[0]).toBe("organization 111111111111");
    expect(events.filter((e) => e.startsWith("account"))).toHaveLength(3);
    expect(org.commandCalls(ListTargetsForPolicyCommand).map((c) => c.args[0].input.PolicyId)).toEqual([
      "p-11111111",
    ]);
    expect(inv.scps.size).toBe(2);
    expect(inv.scpTargetsRead).toBe("some");
    expect(effectiveScpIds(inv, "222222222222")).toEqual(["p-11111111"]);
  });

  it("reads RCPs only when asked, once, with the type's status ListRoots gave the walk", async () => {
    mockOrganization();
    org.on(ListRootsCommand).resolves({
      Roots: [
        {
          Id: "r-ab12",
          Name: "Root",
          PolicyTypes: [
            { Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" },
            { Type: "RESOURCE_CONTROL_POLICY", Status: "ENABLED" },
          ],
        },
      ],
    });
    org.on(ListPoliciesCommand, { Filter: "RESOURCE_CONTROL_POLICY" }).resolves({
      Policies: [{ Id: "p-RCPFullAWSAccess", Name: "RCPFullAWSAccess", AwsManaged: true }],
    });
    org.on(ListTargetsForPolicyCommand, { PolicyId: "p-RCPFullAWSAccess" }).resolves({
      Targets: [{ TargetId: "r-ab12" }, { TargetId: "222222222222" }],
    });
    const client = new OrganizationsClient({ region: "us-east-1" });
    const inv = await buildInventory({ organizations: client });
    const filters = () => org.commandCalls(ListPoliciesCommand).map((c) => c.args[0].input.Filter);
    // The walk makes no call for RCPs: a report or apply-scp that needs none pays nothing.
    expect(filters()).toEqual(["SERVICE_CONTROL_POLICY"]);
    expect(inv.rcpPolicyType).toBe("ENABLED");
    expect(inv.rcps).toBeUndefined();
    const rcps = await readRcps(inv, client);
    expect(rcps.status).toBe("ENABLED");
    expect(rcps.attachments.get("222222222222")).toEqual(["p-RCPFullAWSAccess"]);
    expect(await readRcps(inv, client)).toBe(rcps);
    expect(filters()).toEqual(["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"]);
    // SCPs stay where they were.
    expect(effectiveScpIds(inv, "222222222222").sort()).toEqual(["p-11111111", "p-FullAWSAccess"]);
  });

  it("maps AccessDenied to a hint about the management account", async () => {
    org.on(DescribeOrganizationCommand).rejects(
      Object.assign(new Error("You don't have permissions"), {
        name: "AccessDeniedException",
        $metadata: {},
      }),
    );
    await expect(
      buildInventory({ organizations: new OrganizationsClient({ region: "us-east-1" }) }),
    ).rejects.toMatchObject({
      code: "ACCESS_DENIED",
      hint: expect.stringContaining("management account or a delegated administrator"),
    });
  });
});
