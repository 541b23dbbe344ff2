import type { AccountResult, OrgAccount } from "@orgwarden/core";
import { describe, expect, it } from "vitest";
import {
  type AccountRulePlan,
  type RulesPlan,
  refuseUndeployable,
  skipReasons,
} from "./plan-rule-deployment.js";
import { countRuleActions } from "./rule-diff.js";

const account = (id: string): OrgAccount =>
  ({ id, name: `acct-${id}`, state: "ACTIVE" }) as unknown as OrgAccount;
const noRecorder = "no AWS Config configuration recorder here";

/** A plan as planRuleDeployment makes it, from what each account read. */
function plan(read: Array<[string, AccountRulePlan | Error]>, remove = false): RulesPlan {
  const accounts = read.map(
    ([id, r]): AccountResult<OrgAccount, AccountRulePlan> =>
      r instanceof Error
        ? ({ ok: false, account: account(id), error: { message: r.message } } as AccountResult<
            OrgAccount,
            AccountRulePlan
          >)
        : { ok: true, account: account(id), value: r },
  );
  const steps = accounts.flatMap((r) =>
    r.ok ? r.value.changes.map((c) => ({ kind: "rule" as const, account: r.account, ...c })) : [],
  );
  return { remove, accounts, steps, changes: countRuleActions(steps).changes, notes: skipReasons(accounts) };
}
const skipped = (rule: string): AccountRulePlan => ({
  changes: [{ region: "us-east-1", rule, action: "skipped", reason: noRecorder }],
});

describe("countRuleActions: the one count of a rule plan", () => {
  it("counts every action, and as changes only create, update and delete", () => {
    const counts = countRuleActions(
      ["create", "update", "unchanged", "delete", "skipped", "create"].map((action) => ({
        action: action as "create",
      })),
    );
    expect(counts).toEqual({ create: 2, update: 1, unchanged: 1, delete: 1, skipped: 1, changes: 4 });
  });
});

describe("refuseUndeployable: nothing can be deployed", () => {
  it("refuses when every account skipped every rule, saying why per reason, with its check", () => {
    const p = plan([
      ["111111111111", skipped("orgwarden-root-account-mfa-enabled")],
      ["222222222222", skipped("orgwarden-root-account-mfa-enabled")],
    ]);
    expect(p.notes).toEqual([`2 accounts: ${noRecorder}`]);
    expect(() => refuseUndeployable(p, "OU Root/Sandbox (ou-ab12-cdefgh34)")).toThrow(
      expect.objectContaining({
        code: "REFUSED",
        message: `nothing can be deployed under OU Root/Sandbox (ou-ab12-cdefgh34): 2 accounts: ${noRecorder}`,
        hint: expect.stringContaining("Turn on AWS Config recording"),
        details: { check: "no-deployable-account" },
      }),
    );
  });

  it("lets a plan through that deploys somewhere, has nothing to skip, removes, or could not read an account", () => {
    const some = plan([
      ["111111111111", skipped("orgwarden-x")],
      ["222222222222", { changes: [{ region: "us-east-1", rule: "orgwarden-x", action: "unchanged" }] }],
    ]);
    expect(() => refuseUndeployable(some, "the whole organization")).not.toThrow();
    expect(() => refuseUndeployable(plan([]), "the whole organization")).not.toThrow();
    expect(() =>
      refuseUndeployable(plan([["111111111111", skipped("orgwarden-x")]], true), "the whole organization"),
    ).not.toThrow();
    const unreachable = plan([
      ["111111111111", skipped("orgwarden-x")],
      ["222222222222", new Error("AccessDenied")],
    ]);
    expect(() => refuseUndeployable(unreachable, "the whole organization")).not.toThrow();
  });
});
