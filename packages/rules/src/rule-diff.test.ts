import { describe, expect, it } from "vitest";
import { diffRule, type RuleFields } from "./rule-diff.js";

const rule: RuleFields = {
  identifier: "IAM_PASSWORD_POLICY",
  inputParameters: JSON.stringify({ MinimumPasswordLength: "14", RequireSymbols: "true" }),
  maximumExecutionFrequency: "TwentyFour_Hours",
  resourceTypes: ["AWS::IAM::User", "AWS::IAM::Group"],
};

describe("diffRule", () => {
  it("creates what is missing, deletes what is no longer wanted, and has nothing to do without either", () => {
    expect(diffRule(rule, undefined)).toEqual({ action: "create" });
    expect(diffRule(undefined, rule)).toEqual({ action: "delete" });
    expect(diffRule(undefined, undefined)).toBeUndefined();
  });

  it("ignores parameter order, scope order and the difference between a number and its string", () => {
    const same: RuleFields = {
      ...rule,
      inputParameters: JSON.stringify({ RequireSymbols: "true", MinimumPasswordLength: 14 }),
      resourceTypes: ["AWS::IAM::Group", "AWS::IAM::User"],
    };
    expect(diffRule(rule, same)).toEqual({ action: "unchanged" });
  });

  it("names every field that differs, excluded accounts included", () => {
    const desired: RuleFields = { ...rule, excludedAccounts: ["222222222222", "111111111111"] };
    const existing: RuleFields = {
      identifier: "IAM_PASSWORD_POLICY_V2",
      inputParameters: JSON.stringify({ MinimumPasswordLength: "8" }),
      maximumExecutionFrequency: undefined,
      resourceTypes: undefined,
      excludedAccounts: ["111111111111"],
    };
    expect(diffRule(desired, existing)).toEqual({
      action: "update",
      changed: ["source identifier", "input parameters", "execution frequency", "scope", "excluded accounts"],
    });
    expect(diffRule(desired, { ...rule, excludedAccounts: ["111111111111", "222222222222"] })).toEqual({
      action: "unchanged",
    });
  });

  it("compares parameters AWS would not parse as written, instead of failing", () => {
    expect(diffRule(rule, { ...rule, inputParameters: "{not json" })).toEqual({
      action: "update",
      changed: ["input parameters"],
    });
  });
});
