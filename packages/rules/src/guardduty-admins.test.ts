import { GuardDutyClient, ListOrganizationAdminAccountsCommand } from "@aws-sdk/client-guardduty";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { readGuardDutyAdmins } from "./guardduty-admins.js";
import { DEFAULT_RULE_SETTINGS, renderRule } from "./render-rule.js";
import type { RuleDefinition } from "./rule-catalog.js";

/**
 * GUARDDUTY_ENABLED_CENTRALIZED's CentralMonitoringAccount, "comma separated list of AWS Accounts
 * (12-digit) where Amazon GuardDuty results are allowed to be centralized":
 * https://docs.aws.amazon.com/config/latest/developerguide/guardduty-enabled-centralized.html
 * GuardDuty's delegated administrator is designated per region:
 * https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListOrganizationAdminAccounts.html
 */
const RULE = {
  name: "guardduty-enabled-centralized",
  file: "guardduty-enabled-centralized.json",
  identifier: "GUARDDUTY_ENABLED_CENTRALIZED",
  control: "guardduty-enabled",
  global: false,
  inputParameters: { CentralMonitoringAccount: "${GuardDutyCentralAccount}" },
} as unknown as RuleDefinition;

const gd = mockClient(GuardDutyClient);
afterEach(() => gd.reset());

describe("guardduty-enabled-centralized's central account", () => {
  it("each region's ENABLED delegated administrator; a region without one has none", async () => {
    const inRegion = (region: string) => new GuardDutyClient({ region });
    gd.on(ListOrganizationAdminAccountsCommand).callsFake(async (_input, getClient) => {
      const region = await (getClient() as GuardDutyClient).config.region();
      if (region === "us-east-1")
        return { AdminAccounts: [{ AdminAccountId: "111111111111", AdminStatus: "ENABLED" }] };
      if (region === "eu-west-1")
        return { AdminAccounts: [{ AdminAccountId: "222222222222", AdminStatus: "DISABLE_IN_PROGRESS" }] };
      return { AdminAccounts: [] };
    });
    const admins = await readGuardDutyAdmins(inRegion, ["us-east-1", "eu-west-1", "ap-south-1"]);
    expect(admins).toEqual({ "us-east-1": "111111111111", "eu-west-1": "", "ap-south-1": "" });
    const render = (region: string, settings = { ...DEFAULT_RULE_SETTINGS, guardDutyAdmins: admins }) =>
      renderRule(RULE, settings, { accountId: "333333333333", region }).inputParameters;
    expect(render("us-east-1")).toEqual({ CentralMonitoringAccount: "111111111111" });
    // No administrator: the parameter is left out, and the rule checks GuardDuty in the account itself.
    expect(render("eu-west-1")).toEqual({});
    // Named by the user: that value in every region, whatever AWS says.
    expect(
      render("eu-west-1", {
        ...DEFAULT_RULE_SETTINGS,
        guardDutyAdmins: admins,
        guardDutyCentralAccount: "444444444444",
      }),
    ).toEqual({
      CentralMonitoringAccount: "444444444444",
    });
  });

  it("an unreadable administrator refuses with what to do, naming the region", async () => {
    gd.on(ListOrganizationAdminAccountsCommand).rejects(
      Object.assign(new Error("not the management account"), {
        name: "AccessDeniedException",
        $metadata: {},
      }),
    );
    await expect(
      readGuardDutyAdmins(() => new GuardDutyClient({ region: "us-east-1" }), ["us-east-1"]),
    ).rejects.toMatchObject({
      message: expect.stringContaining("cannot read GuardDuty's delegated administrator in us-east-1"),
      hint: expect.stringContaining("--guardduty-central-account"),
    });
  });
});
