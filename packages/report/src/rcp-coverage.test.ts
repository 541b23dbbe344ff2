import type { Inventory, OrgAccount, ScpSummary } from "@orgwarden/core";
import type { ScpJudgement } from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { rcpCoverage } from "./scp-coverage.js";

const OU = "ou-ab12-11111111";
const MEMBER: OrgAccount = {
  id: "222222222222",
  name: "prod",
  email: "p@example.com",
  arn: "",
  state: "ACTIVE",
  parentId: OU,
  ouPath: "Root/Prod",
  isManagement: false,
};
const MANAGEMENT: OrgAccount = {
  ...MEMBER,
  id: "111111111111",
  parentId: "r-ab12",
  ouPath: "Root",
  isManagement: true,
};

const policy = (id: string, name: string): ScpSummary => ({
  id,
  name,
  arn: "",
  description: "",
  awsManaged: false,
});
const FULL = { ...policy("p-RCPFullAWSAccess", "RCPFullAWSAccess"), awsManaged: true };

/** Root → Prod → the member; RCPs attached as `attachments` says. */
function inventory(status: "ENABLED" | "DISABLED", attachments: Array<[string, ScpSummary[]]>): Inventory {
  const policies = new Map<string, ScpSummary>([[FULL.id, FULL]]);
  for (const [, list] of attachments) for (const p of list) policies.set(p.id, p);
  return {
    organizationId: "o-abcdef1234",
    rootId: "r-ab12",
    units: new Map([
      ["r-ab12", { id: "r-ab12", name: "Root", kind: "root", parentId: undefined, path: "Root" }],
      [OU, { id: OU, name: "Prod", kind: "ou", parentId: "r-ab12", path: "Root/Prod" }],
    ]),
    accounts: [MANAGEMENT, MEMBER],
    rcps: {
      status,
      policies,
      attachments: new Map(attachments.map(([t, list]) => [t, [FULL.id, ...list.map((p) => p.id)]])),
    },
  } as unknown as Inventory;
}

const judge =
  (states: Record<string, ScpJudgement["state"]>) =>
  async (p: ScpSummary): Promise<ScpJudgement> => ({
    library: undefined,
    variant: "default",
    parameters: "",
    state: states[p.name] ?? "in-sync",
    detail: states[p.name] === "drifted" ? "the attached document differs from the library" : "",
  });

async function outcomes(
  inv: Inventory,
  account: OrgAccount,
  states: Record<string, ScpJudgement["state"]> = {},
) {
  const out = await rcpCoverage(inv, account, judge(states));
  return Object.fromEntries(out.map((o) => [o.control, `${o.status}: ${o.reason}`]));
}

// COMPLIANT when an in-sync, managed variant of the RCP is on the account's path; RCPs never affect
// the management account's resources.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
describe("RCP coverage, case by case", () => {
  it("the management account: NOT_APPLICABLE", async () => {
    const inv = inventory("ENABLED", [[OU, [policy("p-1", "orgwarden-identity-perimeter")]]]);
    expect((await outcomes(inv, MANAGEMENT))["rcp-identity-perimeter"]).toBe(
      "NOT_APPLICABLE: RCPs do not affect the management account's resources",
    );
  });

  it("the RCP type not enabled: NON_COMPLIANT, whatever is attached", async () => {
    const inv = inventory("DISABLED", []);
    expect(Object.values(await outcomes(inv, MEMBER))).toEqual(
      Array(4).fill("NON_COMPLIANT: RCPs are not enabled in the organization"),
    );
  });

  it("an in-sync variant on the OU or inherited from the root: COMPLIANT; none: NON_COMPLIANT", async () => {
    const inv = inventory("ENABLED", [
      [OU, [policy("p-1", "orgwarden-identity-perimeter-0123456789")]],
      ["r-ab12", [policy("p-2", "orgwarden-secure-transport")]],
    ]);
    expect(await outcomes(inv, MEMBER)).toEqual({
      "rcp-identity-perimeter":
        "COMPLIANT: orgwarden-identity-perimeter-0123456789 attached at Root/Prod, as the library renders it",
      "rcp-secure-transport":
        "COMPLIANT: orgwarden-secure-transport attached at Root, as the library renders it",
      "rcp-confused-deputy":
        "NON_COMPLIANT: orgwarden-confused-deputy is not attached to the account, its OUs or the root",
      "rcp-trusted-oidc":
        "NON_COMPLIANT: orgwarden-trusted-oidc-providers is not attached to the account, its OUs or the root",
    });
  });

  it("a drifted copy or an impostor: NON_COMPLIANT with the reason", async () => {
    const inv = inventory("ENABLED", [
      [
        MEMBER.id,
        [policy("p-1", "orgwarden-identity-perimeter"), policy("p-3", "orgwarden-confused-deputy")],
      ],
    ]);
    const out = await outcomes(inv, MEMBER, {
      "orgwarden-identity-perimeter": "drifted",
      "orgwarden-confused-deputy": "impostor",
    });
    expect(out["rcp-identity-perimeter"]).toBe(
      "NON_COMPLIANT: orgwarden-identity-perimeter attached at the account has drifted: the attached document differs from the library",
    );
    expect(out["rcp-confused-deputy"]).toBe(
      "NON_COMPLIANT: orgwarden-confused-deputy attached at the account is not tagged managed-by=orgwarden (an impostor)",
    );
  });

  it("an in-sync tag-exempt RCP names its exemption tag key: the recorded one, or the default", async () => {
    const inv = inventory("ENABLED", [
      [
        OU,
        [
          policy("p-1", "orgwarden-identity-perimeter-0123456789"),
          policy("p-2", "orgwarden-secure-transport"),
          policy("p-3", "orgwarden-trusted-oidc-providers"),
          policy("p-4", "orgwarden-confused-deputy"),
        ],
      ],
    ]);
    const recorded = async (p: ScpSummary): Promise<ScpJudgement> => ({
      library: undefined,
      variant: "default",
      parameters: p.name.includes("identity")
        ? "OrganizationId=o-abcdef1234; IdentityExemptTagKey=team:open-data; TrustedAccountIds="
        : "",
      state: p.name.includes("confused") ? "drifted" : "in-sync",
      detail: "",
    });
    const keys = Object.fromEntries(
      (await rcpCoverage(inv, MEMBER, recorded)).map((o) => [o.control, o.exemptTagKey]),
    );
    expect(keys).toEqual({
      "rcp-identity-perimeter": "team:open-data",
      "rcp-secure-transport": "dp:exclude:secure-transport",
      // No tag exempts from trusted-oidc-providers; a drifted RCP is not in effect as orgwarden's.
      "rcp-trusted-oidc": undefined,
      "rcp-confused-deputy": undefined,
    });
  });
});
