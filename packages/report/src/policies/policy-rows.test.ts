import type { Inventory, OrgAccount } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import type { PolicyOverview, PolicyTypeOverview, TargetPolicies } from "./policy-overview.js";
import { policyOutcomes } from "./policy-rows.js";
import { NEAR_QUOTA_SLOTS, slotsOf } from "./policy-slots.js";

const MANAGEMENT = "999988887777";
const PROD = "111122223333";
const account = (id: string, state: OrgAccount["state"] = "ACTIVE") =>
  ({ id, name: id, state, ouPath: "Root", parentId: "r-root" }) as OrgAccount;
const INVENTORY = { managementAccountId: MANAGEMENT, rootId: "r-root" } as Inventory;

const type = (t: Partial<PolicyTypeOverview> & Pick<PolicyTypeOverview, "type">): PolicyTypeOverview => ({
  label: t.type,
  status: "ENABLED",
  walked: true,
  quota: { value: 10, source: "default" },
  policies: 0,
  attachments: 0,
  full: 0,
  near: 0,
  invalidAccounts: 0,
  errors: [],
  ...t,
});
const target = (
  targetId: string,
  kind: TargetPolicies["targetKind"],
  attached: number,
  quota = 10,
): TargetPolicies => ({
  targetId,
  targetKind: kind,
  targetPath: kind === "account" ? `Root/${targetId}` : "Root/Prod",
  type: "SERVICE_CONTROL_POLICY",
  policies: [],
  slots: slotsOf(attached, quota),
  quotaSource: "service-quotas",
});
const overview = (o: Partial<PolicyOverview>): PolicyOverview => ({
  types: [type({ type: "SERVICE_CONTROL_POLICY", label: "SCP" }), type({ type: "TAG_POLICY", label: "tag" })],
  targets: [],
  invalid: [],
  notes: [],
  ...o,
});

describe("slotsOf: how full a target is", () => {
  it.each([
    [3, 10, 7, "ok"],
    [10 - NEAR_QUOTA_SLOTS, 10, NEAR_QUOTA_SLOTS, "near"],
    [10, 10, 0, "full"],
    // Over an assumed quota: full, never negative.
    [7, 5, 0, "full"],
  ])("%i attached of %i: %i left, %s", (attached, quota, left, state) => {
    expect(slotsOf(attached, quota)).toEqual({ attached, quota, left, state });
  });
});

describe("policyOutcomes: the rows of the policies source", () => {
  const rows = (o: PolicyOverview, accounts = [account(MANAGEMENT), account(PROD)]) =>
    policyOutcomes(o, INVENTORY, accounts);

  it.each([
    [
      "an OU at the quota: NON_COMPLIANT on the management account",
      target("ou-root-prod1111", "ou", 10),
      MANAGEMENT,
      "NON_COMPLIANT",
      /OU Root\/Prod: 10 of 10 SCP policies attached \(quota from service-quotas\): no SERVICE_CONTROL_POLICY can be attached/,
    ],
    [
      "an OU one slot from it: COMPLIANT, near the quota",
      target("ou-root-prod1111", "ou", 9),
      MANAGEMENT,
      "COMPLIANT",
      /1 slot left, near the quota/,
    ],
    [
      "an account at the quota: on its own rows",
      target(PROD, "account", 10),
      PROD,
      "NON_COMPLIANT",
      /^10 of 10 SCP/,
    ],
  ])("%s", (_, t, on, status, reason) => {
    const out = rows(overview({ targets: [t] }));
    const slots = (out.get(on) ?? []).filter((o) => o.control === "policy-slots");
    expect(slots).toEqual([
      expect.objectContaining({ status, resourceId: t.targetId, reason: expect.stringMatching(reason) }),
    ]);
  });

  it("a target with room gets no row; a root or OU is left out when the management account is not in scope", () => {
    expect(
      [...rows(overview({ targets: [target("ou-root-prod1111", "ou", 3)] })).values()]
        .flat()
        .filter((o) => o.control === "policy-slots"),
    ).toEqual([]);
    const out = rows(overview({ targets: [target("ou-root-prod1111", "ou", 10)] }), [account(PROD)]);
    expect(out.get(PROD)?.filter((o) => o.control === "policy-slots")).toEqual([]);
  });

  it("a type whose attachments could not be read is an ERROR row of policy-slots", () => {
    const out = rows(
      overview({
        types: [
          type({
            type: "SERVICE_CONTROL_POLICY",
            errors: [{ part: "attachments", message: "AccessDeniedException" }],
          }),
        ],
      }),
    );
    expect(out.get(MANAGEMENT)).toContainEqual(
      expect.objectContaining({ control: "policy-slots", status: "ERROR", resourceId: "r-root" }),
    );
  });

  it.each<[string, Partial<PolicyOverview>, OrgAccount, string, RegExp]>([
    [
      "no invalid effective policy",
      {},
      account(PROD),
      "COMPLIANT",
      /no invalid effective policy of TAG_POLICY/,
    ],
    [
      "an invalid tag policy: its errors and contributing policies",
      {
        invalid: [
          {
            accountId: PROD,
            accountName: "prod",
            ouPath: "Root",
            type: "TAG_POLICY",
            errors: [
              {
                code: "ELEMENTS_TOO_MANY",
                message: "too many",
                path: "tags",
                contributingPolicies: ["p-tags1111"],
              },
            ],
          },
        ],
      },
      account(PROD),
      "NON_COMPLIANT",
      /TAG_POLICY: ELEMENTS_TOO_MANY at tags \(too many\) from p-tags1111/,
    ],
    [
      "invalid accounts that could not be read",
      {
        types: [type({ type: "TAG_POLICY", errors: [{ part: "effective-policies", message: "throttled" }] })],
      },
      account(PROD),
      "ERROR",
      /TAG_POLICY: throttled/,
    ],
    [
      "no type with effective policies enabled",
      {
        types: [
          type({ type: "SERVICE_CONTROL_POLICY" }),
          type({ type: "TAG_POLICY", status: "NOT_ENABLED", walked: false }),
        ],
      },
      account(PROD),
      "NOT_APPLICABLE",
      /no policy type with effective policies is enabled/,
    ],
    ["a suspended account", {}, account(PROD, "SUSPENDED"), "SKIPPED", /account is SUSPENDED/],
  ])("effective-policy-valid: %s → %s", (_, o, a, status, reason) => {
    const out = policyOutcomes(overview(o), INVENTORY, [a]);
    expect(out.get(a.id)?.filter((x) => x.control === "effective-policy-valid")).toEqual([
      { control: "effective-policy-valid", status, reason: expect.stringMatching(reason) },
    ]);
  });
});
