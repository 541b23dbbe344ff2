import {
  ConfigServiceClient,
  DescribeConfigRulesCommand,
  GetOrganizationConfigRuleDetailedStatusCommand,
} from "@aws-sdk/client-config-service";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { findDeployedRules, organizationRuleNamesOnce, orgwardenRuleName } from "./find-deployed-rules.js";
import { loadRuleCatalog, selectRules } from "./rule-catalog.js";

const config = mockClient(ConfigServiceClient);
afterEach(() => config.reset());
const rules = selectRules(loadRuleCatalog(), ["root-account-mfa-enabled", "iam-policy-in-use"]);
const rule = (ConfigRuleName: string) => ({
  ConfigRuleName,
  Source: { Owner: "AWS" as const, SourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED" },
});

describe("orgwardenRuleName", () => {
  it("reads accounts-mode names and AWS's member-side names of organization rules", () => {
    expect(orgwardenRuleName("orgwarden-root-account-mfa-enabled")).toBe("root-account-mfa-enabled");
    expect(orgwardenRuleName("OrgConfigRule-orgwarden-root-account-mfa-enabled-a1b2c3d4")).toBe(
      "root-account-mfa-enabled",
    );
    expect(orgwardenRuleName("securityhub-root-account-mfa-enabled-abc")).toBeUndefined();
    expect(orgwardenRuleName("team-root-keys")).toBeUndefined();
    expect(orgwardenRuleName("OrgConfigRule-team-root-keys-a1b2c3d4")).toBeUndefined();
  });
});

describe("findDeployedRules", () => {
  it("looks in the home region and every chosen one, and keeps an organization rule's member-side name", async () => {
    const asked: string[] = [];
    const clients = new Map(
      ["us-east-1", "eu-west-1"].map((r) => [r, new ConfigServiceClient({ region: r })] as const),
    );
    config.on(DescribeConfigRulesCommand).callsFake(async (_input, getClient) => {
      const region = await (getClient() as ConfigServiceClient).config.region();
      asked.push(region);
      return region === "us-east-1"
        ? {
            ConfigRules: [
              rule("OrgConfigRule-orgwarden-root-account-mfa-enabled-ab12"),
              rule("team-root-keys"),
            ],
          }
        : { ConfigRules: [rule("orgwarden-iam-policy-in-use")] };
    });
    const found = await findDeployedRules({
      configIn: (region) => clients.get(region) as ConfigServiceClient,
      rules,
      regions: ["eu-west-1"],
      homeRegion: "us-east-1",
    });
    expect(asked.sort()).toEqual(["eu-west-1", "us-east-1"]);
    expect(found.rules.map((r) => r.name)).toEqual(["root-account-mfa-enabled", "iam-policy-in-use"]);
    expect([...found.memberRuleNames]).toEqual([
      ["root-account-mfa-enabled", "OrgConfigRule-orgwarden-root-account-mfa-enabled-ab12"],
    ]);
  });

  it("an account without orgwarden's rules has none of the catalogue's", async () => {
    config.on(DescribeConfigRulesCommand).resolves({ ConfigRules: [rule("team-root-keys")] });
    const client = new ConfigServiceClient({ region: "us-east-1" });
    const found = await findDeployedRules({
      configIn: () => client,
      rules,
      regions: ["us-east-1"],
      homeRegion: "us-east-1",
    });
    expect(found).toEqual({ rules: [], memberRuleNames: new Map() });
  });
});

describe("organizationRuleNamesOnce", () => {
  it("looks each rule up once for every account; a rule that is not an organization rule keeps its name", async () => {
    config
      .on(GetOrganizationConfigRuleDetailedStatusCommand, {
        OrganizationConfigRuleName: "orgwarden-root-account-mfa-enabled",
      })
      .resolves({
        OrganizationConfigRuleDetailedStatus: [
          {
            AccountId: "222222222222",
            ConfigRuleName: "OrgConfigRule-orgwarden-root-account-mfa-enabled-ab12",
            MemberAccountRuleStatus: "CREATE_SUCCESSFUL",
          },
        ],
      });
    config
      .on(GetOrganizationConfigRuleDetailedStatusCommand, {
        OrganizationConfigRuleName: "orgwarden-iam-policy-in-use",
      })
      .rejects(Object.assign(new Error("no such rule"), { name: "NoSuchOrganizationConfigRuleException" }));
    const client = new ConfigServiceClient({ region: "us-east-1" });
    const namesFor = organizationRuleNamesOnce(() => client, rules);
    const a = await namesFor("222222222222");
    const b = await namesFor("333333333333");
    expect(a.rules).toEqual(rules);
    expect([...a.memberRuleNames]).toEqual([
      ["root-account-mfa-enabled", "OrgConfigRule-orgwarden-root-account-mfa-enabled-ab12"],
    ]);
    expect(b.memberRuleNames.size).toBe(0);
    expect(config.commandCalls(GetOrganizationConfigRuleDetailedStatusCommand)).toHaveLength(2);
  });
});
