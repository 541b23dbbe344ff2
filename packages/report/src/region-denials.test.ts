import {
  DescribePolicyCommand,
  ListTargetsForPolicyCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import type { Inventory, OrgAccount, OrgUnit } from "@orgwarden/core";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { foldRegions, settleDeniedRegions } from "./checks/regions.js";
import { regionDenialExplainer } from "./region-denials.js";

/**
 * A region whose calls were refused (AccessDenied) is never silently dropped from a COMPLIANT row: it
 * is named with the SCP that closes it to every principal, or the row is ERROR. SCPs are evaluated
 * along the account's path, root first:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 * and the region-deny example is AWS's own:
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html#example-scp-deny-region
 */
const ACCOUNT: OrgAccount = {
  id: "111122223333",
  name: "workload",
  email: "w@example.com",
  arn: "arn:aws:organizations::999988887777:account/o-abc/111122223333",
  state: "ACTIVE",
  parentId: "ou-root-11111111",
  ouPath: "Root/Workloads",
  isManagement: false,
} as OrgAccount;
const unit = (id: string, kind: "root" | "ou", parentId: string | undefined, path: string): OrgUnit =>
  ({ id, name: path, kind, parentId, path, depth: 0, childOuIds: [], accountIds: [] }) as OrgUnit;
const inventory = (attachments: Record<string, string[]>, read: "all" | "some" = "all"): Inventory =>
  ({
    organizationId: "o-abc",
    managementAccountId: "999988887777",
    featureSet: "ALL",
    rootId: "r-root",
    scpPolicyType: "ENABLED",
    units: new Map([
      ["r-root", unit("r-root", "root", undefined, "Root")],
      ["ou-root-11111111", unit("ou-root-11111111", "ou", "r-root", "Root/Workloads")],
    ]),
    accounts: [ACCOUNT],
    scps: new Map(),
    scpAttachments: new Map(Object.entries(attachments)),
    scpTargetsRead: read,
  }) as Inventory;

const FULL_ACCESS = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
};
/** AWS's example, with an exemption for a break-glass role. */
const REGION_DENY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyAllOutsideEU",
      Effect: "Deny",
      NotAction: ["iam:*", "organizations:*", "sts:*", "support:*"],
      Resource: "*",
      Condition: {
        StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "us-east-1"] },
        ArnNotLike: { "aws:PrincipalARN": ["arn:aws:iam::*:role/BreakGlass"] },
      },
    },
  ],
};
/** Denies GuardDuty to orgwarden's role alone, in every region. */
const DENY_ORGWARDEN = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Action: "guardduty:*",
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole" } },
    },
  ],
};

const org = mockClient(OrganizationsClient);
afterEach(() => org.reset());
function policies(docs: Record<string, { name: string; doc: unknown }>) {
  for (const [id, p] of Object.entries(docs))
    org
      .on(DescribePolicyCommand, { PolicyId: id })
      .resolves({ Policy: { PolicySummary: { Id: id, Name: p.name }, Content: JSON.stringify(p.doc) } });
}
const explainer = (inv: Inventory) =>
  regionDenialExplainer({
    organizations: new OrganizationsClient({ region: "us-east-1" }),
    inventory: inv,
    roleName: "OrganizationAccountAccessRole",
  });

const refused = foldRegions("guardduty-enabled", [
  { region: "eu-west-1", status: "COMPLIANT", reason: "detector d is enabled" },
  {
    region: "ap-east-1",
    status: "DENIED",
    reason: "User is not authorized to perform: guardduty:ListDetectors",
    action: "guardduty:ListDetectors",
  },
]);

describe("a region that refuses orgwarden's calls", () => {
  it("closed to every principal by a region-deny SCP on the path: named with the SCP, the row judged on the rest", async () => {
    policies({
      "p-full": { name: "FullAWSAccess", doc: FULL_ACCESS },
      "p-eu": { name: "EUOnly", doc: REGION_DENY },
    });
    const explain = explainer(
      inventory({ "r-root": ["p-full", "p-eu"], "ou-root-11111111": ["p-full"], "111122223333": ["p-full"] }),
    );
    const why = await explain(ACCOUNT, "ap-east-1", "guardduty:ListDetectors");
    expect(why).toBe("denied by EUOnly (DenyAllOutsideEU) at Root");
    // An allowed region is not explained.
    expect(await explain(ACCOUNT, "eu-west-1", "guardduty:ListDetectors")).toBeUndefined();
    const o = settleDeniedRegions(refused, new Map([["ap-east-1", why]]));
    expect(o.status).toBe("COMPLIANT");
    expect(o.reason).toContain("not checked in ap-east-1 (denied by EUOnly (DenyAllOutsideEU) at Root");
    expect(o.deniedRegions).toBeUndefined();
  });

  it("refused by no region-deny SCP (an SCP that names orgwarden's role): ERROR naming the region and the cause, never COMPLIANT", async () => {
    policies({
      "p-full": { name: "FullAWSAccess", doc: FULL_ACCESS },
      "p-x": { name: "NoGuardDutyForOrgwarden", doc: DENY_ORGWARDEN },
    });
    // The walk read only orgwarden's targets: every SCP's targets are read once.
    org.on(ListTargetsForPolicyCommand, { PolicyId: "p-full" }).resolves({
      Targets: [{ TargetId: "r-root" }, { TargetId: "ou-root-11111111" }, { TargetId: "111122223333" }],
    });
    org
      .on(ListTargetsForPolicyCommand, { PolicyId: "p-x" })
      .resolves({ Targets: [{ TargetId: "ou-root-11111111" }] });
    const inv = inventory({}, "some");
    for (const id of ["p-full", "p-x"]) inv.scps.set(id, { id, name: id } as never);
    const explain = explainer(inv);
    const why = await explain(ACCOUNT, "ap-east-1", "guardduty:ListDetectors");
    expect(why).toBeUndefined();
    const o = settleDeniedRegions(refused, new Map([["ap-east-1", why]]));
    expect(o).toMatchObject({ status: "ERROR", region: "ap-east-1" });
    expect(o.reason).toContain("could not check ap-east-1: access denied to guardduty:ListDetectors");
    expect(o.reason).toContain("no SCP on the account's path denies that region to every principal");
    expect(o.reason).toContain("compliant in the regions read: detector d is enabled");
  });

  it("a region-deny SCP that exempts orgwarden's role does not explain orgwarden being refused", async () => {
    const exempting = structuredClone(REGION_DENY);
    exempting.Statement[0]!.Condition.ArnNotLike["aws:PrincipalARN"] = [
      "arn:aws:iam::*:role/OrganizationAccountAccessRole",
    ];
    policies({
      "p-full": { name: "FullAWSAccess", doc: FULL_ACCESS },
      "p-eu": { name: "EUOnly", doc: exempting },
    });
    const explain = explainer(
      inventory({ "r-root": ["p-full", "p-eu"], "ou-root-11111111": ["p-full"], "111122223333": ["p-full"] }),
    );
    expect(await explain(ACCOUNT, "ap-east-1", "guardduty:ListDetectors")).toBeUndefined();
  });

  it("a NON_COMPLIANT row stays NON_COMPLIANT and says what it could not check; an unsettled refusal is ERROR", () => {
    const failing = foldRegions("guardduty-enabled", [
      { region: "eu-west-1", status: "NON_COMPLIANT", reason: "no GuardDuty detector" },
      { region: "ap-east-1", status: "DENIED", reason: "AccessDenied" },
    ]);
    const o = settleDeniedRegions(failing, new Map());
    expect(o).toMatchObject({ status: "NON_COMPLIANT", region: "eu-west-1" });
    expect(o.reason).toContain("could not check ap-east-1: access denied (AccessDenied)");
    // Every region refused, none explained: ERROR; every one closed by an SCP: NOT_APPLICABLE.
    const none = foldRegions("guardduty-enabled", [
      { region: "ap-east-1", status: "DENIED", reason: "AccessDenied" },
    ]);
    expect(settleDeniedRegions(none, new Map()).status).toBe("ERROR");
    expect(settleDeniedRegions(none, new Map([["ap-east-1", "denied by EUOnly at Root"]])).status).toBe(
      "NOT_APPLICABLE",
    );
  });

  it("the management account: SCPs never apply there, so nothing explains a refusal", async () => {
    const explain = explainer(inventory({ "r-root": ["p-eu"] }));
    expect(
      await explain({ ...ACCOUNT, isManagement: true }, "ap-east-1", "guardduty:ListDetectors"),
    ).toBeUndefined();
  });
});
