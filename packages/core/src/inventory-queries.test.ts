import { describe, expect, it } from "vitest";
import type { Inventory, OrgAccount, OrgUnit } from "./inventory.js";
import { accountById, ancestorIds, orgPathOf, requireTarget } from "./inventory-queries.js";

function unit(
  id: string,
  name: string,
  parentId: string | undefined,
  path: string,
  childOuIds: string[] = [],
): OrgUnit {
  return {
    id,
    name,
    kind: parentId ? "ou" : "root",
    parentId,
    path,
    depth: path.split("/").length - 1,
    childOuIds,
    accountIds: [],
  };
}

const accounts: OrgAccount[] = [
  {
    id: "222222222222",
    name: "payments",
    email: "p@example.com",
    arn: "arn:aws:organizations::111111111111:account/o-abc/222222222222",
    state: "ACTIVE",
    parentId: "ou-ab12-prod0001",
    ouPath: "Root/Workloads/Prod",
    isManagement: false,
  },
];
const inventory: Inventory = {
  organizationId: "o-abc",
  partition: "aws",
  managementAccountId: "111111111111",
  featureSet: "ALL",
  rootId: "r-ab12",
  scpPolicyType: "ENABLED",
  units: new Map([
    ["r-ab12", unit("r-ab12", "Root", undefined, "Root", ["ou-ab12-work0001", "ou-ab12-sand0001"])],
    [
      "ou-ab12-work0001",
      unit("ou-ab12-work0001", "Workloads", "r-ab12", "Root/Workloads", ["ou-ab12-prod0001"]),
    ],
    ["ou-ab12-prod0001", unit("ou-ab12-prod0001", "Prod", "ou-ab12-work0001", "Root/Workloads/Prod")],
    ["ou-ab12-sand0001", unit("ou-ab12-sand0001", "Sandbox", "r-ab12", "Root/Sandbox")],
  ]),
  accounts,
  scps: new Map(),
  scpAttachments: new Map(),
  scpTargetsRead: "all",
};

describe("requireTarget: an id or a path", () => {
  it("finds OUs, the root and accounts by path (case-insensitive when unambiguous, trailing slash allowed)", () => {
    expect(requireTarget(inventory, "Root/Workloads/Prod").id).toBe("ou-ab12-prod0001");
    expect(requireTarget(inventory, "root/workloads/").id).toBe("ou-ab12-work0001");
    expect(requireTarget(inventory, "Root").id).toBe("r-ab12");
    expect(requireTarget(inventory, "Root/Workloads/Prod/payments")).toMatchObject({
      kind: "account",
      id: "222222222222",
    });
    expect(requireTarget(inventory, "ou-ab12-sand0001").path).toBe("Root/Sandbox");
  });

  it("a missing path is NOT_FOUND naming what exists at its deepest existing level", () => {
    expect(() => requireTarget(inventory, "Root/Workloads/Staging")).toThrow(
      expect.objectContaining({
        code: "NOT_FOUND",
        hint: expect.stringContaining("Root/Workloads holds: Prod"),
      }),
    );
    expect(() => requireTarget(inventory, "Elsewhere/Prod")).toThrow(
      expect.objectContaining({
        code: "NOT_FOUND",
        hint: expect.stringContaining("Paths start at the root"),
      }),
    );
  });

  it("neither an id nor a path is INVALID_INPUT; an unknown id is NOT_FOUND", () => {
    expect(() => requireTarget(inventory, "Workloads")).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
    expect(() => requireTarget(inventory, "ou-ab12-zzzz9999")).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
  });
});

describe("accountById: the inventory's accounts by id, without scanning the list each time", () => {
  it("finds an account, its path and ancestors; an account added later, or a new list, is found too", () => {
    const inv: Inventory = { ...inventory, accounts: accounts.map((a) => ({ ...a })) };
    expect(accountById(inv, "222222222222")?.name).toBe("payments");
    expect(ancestorIds(inv, "222222222222")).toEqual(["r-ab12", "ou-ab12-work0001", "ou-ab12-prod0001"]);
    expect(orgPathOf(inv, "222222222222")).toBe("o-abc/r-ab12/ou-ab12-work0001/ou-ab12-prod0001/");
    expect(accountById(inv, "333333333333")).toBeUndefined();
    expect(orgPathOf(inv, "333333333333")).toBeUndefined();
    // The walk adds an account: the index is made again.
    inv.accounts.push({
      ...(accounts[0] as OrgAccount),
      id: "333333333333",
      name: "sandbox-1",
      parentId: "ou-ab12-sand0001",
      ouPath: "Root/Sandbox",
    });
    expect(ancestorIds(inv, "333333333333")).toEqual(["r-ab12", "ou-ab12-sand0001"]);
    // A moved account (the same object, a new parent) is seen where it is now.
    const moved = accountById(inv, "222222222222") as OrgAccount;
    moved.parentId = "ou-ab12-sand0001";
    expect(ancestorIds(inv, "222222222222")).toEqual(["r-ab12", "ou-ab12-sand0001"]);
    // Another list (a filtered copy) has its own index.
    const other: Inventory = { ...inv, accounts: inv.accounts.filter((a) => a.id === "333333333333") };
    expect(accountById(other, "222222222222")).toBeUndefined();
    expect(accountById(other, "333333333333")?.name).toBe("sandbox-1");
  });

  it("an id listed twice (an account moved during the walk) is the first one, and the index is made once", () => {
    const first = { ...(accounts[0] as OrgAccount) };
    const again = { ...first, parentId: "ou-ab12-sand0001", ouPath: "Root/Sandbox" };
    const inv: Inventory = { ...inventory, accounts: [first, again] };
    expect(accountById(inv, first.id)).toBe(first);
    // Made once: a second index would be a new Map, and find the same first copy.
    const map = Map.prototype.set;
    let sets = 0;
    Map.prototype.set = function (this: Map<unknown, unknown>, k: unknown, v: unknown) {
      sets += 1;
      return map.call(this, k, v);
    };
    try {
      for (let i = 0; i < 10; i++) expect(accountById(inv, first.id)).toBe(first);
    } finally {
      Map.prototype.set = map;
    }
    expect(sets).toBe(0);
  });
});
