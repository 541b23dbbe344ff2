import { DEFAULT_MFA_POLICY_NAME } from "@orgwarden/core";
import { DEFAULT_RULES, loadRuleCatalog } from "@orgwarden/rules";
import {
  DEFAULT_POLICIES,
  DEFAULT_RCP_POLICIES,
  DEFAULT_RCP_QUOTAS,
  DEFAULT_SCP_QUOTAS,
  DEFAULT_VERIFY_RATE,
} from "@orgwarden/scp";
import { describe, expect, it } from "vitest";
import { type RunConfig, validateRunConfig } from "../config/run-config.js";
import { connectionRegions, workRegions } from "./connection-settings.js";
import { type RcpFlags, rcpSettings } from "./rcp-settings.js";
import { type ReportFlags, reportSettings } from "./report-settings.js";
import { type RootFlags, rootSettings } from "./root-settings.js";
import { type RuleDeploymentFlags, ruleDeployment, ruleSettings } from "./rule-settings.js";
import { type ScpFlags, scpSettings } from "./scp-settings.js";

/**
 * One table per command family: for each setting, the flag, the orgwarden.yaml field and the default,
 * and what the family's one merge makes of none, either and both. Precedence is the same everywhere:
 * flag > file > default. "No file" and "a file that does not name the field" give the same default
 * (the schema's defaults and the merges' agree).
 */
const HOME = "us-east-1";
const CONNECTION = { roleName: "OrgwardenMemberRole", region: HOME };

function file(doc: unknown): RunConfig {
  const { config, problems } = validateRunConfig(doc);
  if (!config) throw new Error(JSON.stringify(problems));
  return config;
}

interface Row<F> {
  /** The flag as the user types it, and the file field it overrides. */
  flag: string;
  field: string;
  flags: F;
  doc: Record<string, unknown>;
  read: (flags: F, config: RunConfig | undefined) => unknown;
  fromFlag: unknown;
  fromFile: unknown;
  byDefault: unknown;
}

function table<F>(family: string, rows: Row<F>[]): void {
  describe(`${family}: flag > file > default`, () => {
    for (const r of rows) {
      it(`${r.flag} over ${r.field}`, () => {
        const empty = {} as F;
        expect(r.read(empty, undefined), "neither, no --config").toEqual(r.byDefault);
        expect(r.read(empty, file({})), "neither, a --config without the field").toEqual(r.byDefault);
        expect(r.read(empty, file(r.doc)), "the file only").toEqual(r.fromFile);
        expect(r.read(r.flags, undefined), "the flag only").toEqual(r.fromFlag);
        expect(r.read(r.flags, file(r.doc)), "both: the flag wins").toEqual(r.fromFlag);
      });
    }
  });
}

const scp = (f: ScpFlags, c: RunConfig | undefined) => scpSettings(f, CONNECTION, c);
const report = (f: ReportFlags, c: RunConfig | undefined) => reportSettings(f, c, HOME);
const BREAK_GLASS = "arn:aws:iam::*:role/BreakGlass";
const OTHER_GLASS = "arn:aws:iam::*:role/Other";
const OWN_ROLE = "arn:aws:iam::*:role/OrgwardenMemberRole";

table<{ regions?: string }>("connection (the regions every family reads)", [
  {
    flag: "apply-scp --regions",
    field: "connection.regions",
    flags: { regions: "eu-west-1, eu-west-1,ap-south-1" },
    doc: { connection: { regions: ["ca-central-1"] } },
    read: (f, c) => scp(f, c).regions,
    fromFlag: ["eu-west-1", "ap-south-1"],
    fromFile: ["ca-central-1"],
    byDefault: [HOME],
  },
  {
    // deploy-rules ignored connection.regions (issue 28, item 15).
    flag: "deploy-rules --regions",
    field: "connection.regions",
    flags: { regions: "eu-west-1" },
    doc: { connection: { regions: ["ca-central-1", "us-east-1"] } },
    read: (f, c) => workRegions(f.regions, c, HOME),
    fromFlag: ["eu-west-1"],
    fromFile: ["ca-central-1", "us-east-1"],
    byDefault: [HOME],
  },
  {
    // The report's default differs on purpose: every region each account has enabled.
    flag: "report --regions",
    field: "connection.regions",
    flags: { regions: "eu-west-1" },
    doc: { connection: { regions: ["ca-central-1"] } },
    read: (f, c) => report(f, c).regions,
    fromFlag: ["eu-west-1"],
    fromFile: ["ca-central-1"],
    byDefault: undefined,
  },
]);

table<ScpFlags>("scp (apply-scp, detach-scp, scp list/show, run's scp: entries)", [
  {
    flag: "--exempt-principal",
    field: "exemptPrincipals",
    flags: { exemptPrincipal: [OTHER_GLASS] },
    doc: { exemptPrincipals: [BREAK_GLASS] },
    read: (f, c) => scp(f, c).params.ExemptPrincipalArns,
    fromFlag: [OWN_ROLE, OTHER_GLASS],
    fromFile: [OWN_ROLE, BREAK_GLASS],
    byDefault: [OWN_ROLE],
  },
  {
    flag: "--block-assume-root / --no-block-assume-root",
    field: "blockAssumeRoot",
    flags: { blockAssumeRoot: false },
    doc: { blockAssumeRoot: true },
    read: (f, c) => scp(f, c).params.ExemptAssumeRoot,
    fromFlag: true,
    fromFile: false,
    byDefault: true,
  },
  {
    flag: "--allowed-cidr",
    field: "allowedCidrs",
    flags: { allowedCidr: ["198.51.100.0/24"] },
    doc: { allowedCidrs: ["192.0.2.0/24"] },
    read: (f, c) => scp(f, c).params.AllowedCidrs,
    fromFlag: ["198.51.100.0/24"],
    fromFile: ["192.0.2.0/24"],
    byDefault: [],
  },
  {
    flag: "--allowed-vpc",
    field: "allowedVpcs",
    flags: { allowedVpc: ["vpc-0a1b2c3d"] },
    doc: { allowedVpcs: ["vpc-11112222"] },
    read: (f, c) => scp(f, c).params.AllowedVpcs,
    fromFlag: ["vpc-0a1b2c3d"],
    fromFile: ["vpc-11112222"],
    byDefault: [],
  },
  {
    flag: "--mfa-exempt-tag-key",
    field: "mfaExemptTagKey",
    flags: { mfaExemptTagKey: "flag:exempt" },
    doc: { mfaExemptTagKey: "file:exempt" },
    read: (f, c) => scp(f, c).params.MfaExemptTagKey,
    fromFlag: "flag:exempt",
    fromFile: "file:exempt",
    byDefault: "orgwarden:mfa-exempt",
  },
  {
    flag: "--network-exempt-tag-key",
    field: "networkExemptTagKey",
    flags: { networkExemptTagKey: "flag:net" },
    doc: { networkExemptTagKey: "file:net" },
    read: (f, c) => scp(f, c).params.NetworkExemptTagKey,
    fromFlag: "flag:net",
    fromFile: "file:net",
    byDefault: "orgwarden:network-exempt",
  },
  {
    flag: "--audit-automation-role",
    field: "auditAutomationRoles",
    flags: { auditAutomationRole: ["FlagRole"] },
    doc: { auditAutomationRoles: ["FileRole"] },
    read: (f, c) => scp(f, c).params.AuditAutomationArns.map((a) => a.split("/").pop()),
    fromFlag: ["FlagRole"],
    fromFile: ["FileRole"],
    byDefault: ["AWSCloudFormationStackSetExecutionRole", "AWSControlTowerExecution", "stacksets-exec-*"],
  },
  {
    flag: "--max-scp-size",
    field: "quotas.maxPolicySize",
    flags: { maxScpSize: "9000" },
    doc: { quotas: { maxPolicySize: 7000 } },
    read: (f, c) => scp(f, c).quotas.maxPolicySize,
    fromFlag: 9000,
    fromFile: 7000,
    byDefault: DEFAULT_SCP_QUOTAS.maxPolicySize,
  },
  {
    flag: "--max-scps-per-target",
    field: "quotas.maxPoliciesPerTarget",
    flags: { maxScpsPerTarget: "8" },
    doc: { quotas: { maxPoliciesPerTarget: 6 } },
    read: (f, c) => scp(f, c).quotas.maxPoliciesPerTarget,
    fromFlag: 8,
    fromFile: 6,
    byDefault: DEFAULT_SCP_QUOTAS.maxPoliciesPerTarget,
  },
  {
    flag: "--principal-tag",
    field: "principalTags",
    flags: { principalTag: ["team=flag"] },
    doc: { principalTags: { team: "file" } },
    read: (f, c) => scp(f, c).principalTags,
    fromFlag: { team: "flag" },
    fromFile: { team: "file" },
    byDefault: {},
  },
  {
    flag: "--verify-with-aws",
    field: "verifyWithAws",
    flags: { verifyWithAws: "on" },
    doc: { verifyWithAws: "off" },
    read: (f, c) => scp(f, c).awsCheck.mode,
    fromFlag: "on",
    fromFile: "off",
    byDefault: "auto",
  },
  {
    flag: "--verify-rate",
    field: "verifyRate",
    flags: { verifyRate: "5" },
    doc: { verifyRate: 10 },
    read: (f, c) => scp(f, c).awsCheck.rate,
    fromFlag: 5,
    fromFile: 10,
    byDefault: DEFAULT_VERIFY_RATE,
  },
]);

const rcp = (f: RcpFlags, c: RunConfig | undefined) => rcpSettings(f, CONNECTION, c);

table<RcpFlags>("rcp (apply-rcp, detach-rcp, rcp list/show, run's rcp: entries)", [
  {
    flag: "--policy",
    field: "rcp[].policies (an entry's own)",
    flags: { policy: ["secure-transport"] },
    doc: {},
    read: (f, c) => rcp(f, c).policies,
    fromFlag: ["secure-transport"],
    fromFile: [...DEFAULT_RCP_POLICIES],
    byDefault: [...DEFAULT_RCP_POLICIES],
  },
  {
    flag: "--trusted-account",
    field: "trustedAccounts",
    flags: { trustedAccount: ["999988887777"] },
    doc: { trustedAccounts: ["127311923021"] },
    read: (f, c) => rcp(f, c).params.TrustedAccountIds,
    fromFlag: ["999988887777"],
    fromFile: ["127311923021"],
    byDefault: [],
  },
  {
    flag: "--trusted-org",
    field: "trustedOrganizations",
    flags: { trustedOrg: ["o-partner1234"] },
    doc: { trustedOrganizations: ["o-other12345"] },
    read: (f, c) => rcp(f, c).params.TrustedOrgIds,
    fromFlag: ["o-partner1234"],
    fromFile: ["o-other12345"],
    byDefault: [],
  },
  {
    flag: "--trusted-oidc-provider",
    field: "trustedOidcProviders",
    flags: { trustedOidcProvider: ["gitlab.com=project_path:my-group/*"] },
    doc: { trustedOidcProviders: ["token.actions.githubusercontent.com=repo:my-org/*"] },
    read: (f, c) => rcp(f, c).params.TrustedOidcProviders,
    fromFlag: ["gitlab.com"],
    fromFile: ["token.actions.githubusercontent.com"],
    byDefault: [],
  },
  {
    flag: "--max-rcps-per-target",
    field: "rcpQuotas.maxPoliciesPerTarget",
    flags: { maxRcpsPerTarget: "7" },
    doc: { rcpQuotas: { maxPoliciesPerTarget: 6 } },
    read: (f, c) => rcp(f, c).quotas.maxPoliciesPerTarget,
    fromFlag: 7,
    fromFile: 6,
    byDefault: DEFAULT_RCP_QUOTAS.maxPoliciesPerTarget,
  },
  {
    flag: "--max-rcp-size",
    field: "rcpQuotas.maxPolicySize",
    flags: { maxRcpSize: "6000" },
    doc: { rcpQuotas: { maxPolicySize: 5500 } },
    read: (f, c) => rcp(f, c).quotas.maxPolicySize,
    fromFlag: 6000,
    fromFile: 5500,
    byDefault: DEFAULT_RCP_QUOTAS.maxPolicySize,
  },
]);

table<{ mfaPolicyName?: string; passwordMinLength?: string }>(
  "rules (deploy-rules, rules list, report, run)",
  [
    {
      flag: "--mfa-policy-name",
      field: "mfaPolicyName",
      flags: { mfaPolicyName: "FlagMfa" },
      doc: { mfaPolicyName: "FileMfa" },
      read: (f, c) => ruleSettings(f, c).mfaPolicyName,
      fromFlag: "FlagMfa",
      fromFile: "FileMfa",
      byDefault: DEFAULT_MFA_POLICY_NAME,
    },
    {
      flag: "--password-min-length",
      field: "passwordPolicy.minimumLength",
      flags: { passwordMinLength: "20" },
      doc: { passwordPolicy: { minimumLength: 16 } },
      read: (f, c) => ruleSettings(f, c).password.minimumLength,
      fromFlag: 20,
      fromFile: 16,
      byDefault: 14,
    },
  ],
);

table<ReportFlags>("report (report, report merge, run)", [
  {
    // report --config honoured only report.rootAudit (issue 28, item 15): these four were ignored.
    flag: "--ou",
    field: "report.ou",
    flags: { ou: "Root/Sandbox" },
    doc: { report: { ou: "Root/Workloads" } },
    read: (f, c) => report(f, c).ou,
    fromFlag: "Root/Sandbox",
    fromFile: "Root/Workloads",
    byDefault: undefined,
  },
  {
    flag: "--source",
    field: "report.sources",
    flags: { source: "check,check" },
    doc: { report: { sources: ["scp"] } },
    read: (f, c) => report(f, c).sources,
    fromFlag: ["check"],
    fromFile: ["scp"],
    byDefault: undefined,
  },
  {
    flag: "--fail-on",
    field: "report.failOn",
    flags: { failOn: "none" },
    doc: { report: { failOn: "non-compliant" } },
    read: (f, c) => report(f, c).failOn,
    fromFlag: "none",
    fromFile: "non-compliant",
    byDefault: "none",
  },
  {
    flag: "--aggregator",
    field: "report.aggregator",
    flags: { aggregator: "flag-agg" },
    doc: { report: { aggregator: "file-agg" } },
    read: (f, c) => report(f, c).aggregator,
    fromFlag: "flag-agg",
    fromFile: "file-agg",
    byDefault: undefined,
  },
  {
    flag: "--root-audit / --no-root-audit",
    field: "report.rootAudit",
    flags: { rootAudit: false },
    doc: { report: { rootAudit: true } },
    read: (f, c) => report(f, c).rootAudit,
    fromFlag: false,
    fromFile: true,
    // Off unless asked: every audit is an AssumeRoot session (issue 28, item 5).
    byDefault: false,
  },
  {
    flag: "--no-security-hub",
    field: "report.securityHub",
    flags: { securityHub: false },
    doc: { report: { securityHub: true } },
    read: (f, c) => report(f, c).securityHubRegion,
    fromFlag: undefined,
    fromFile: HOME,
    byDefault: undefined,
  },
  {
    flag: "--security-hub-region",
    field: "report.securityHub.region",
    flags: { securityHubRegion: "eu-west-1" },
    doc: { report: { securityHub: { region: "ap-south-1" } } },
    read: (f, c) => report(f, c).securityHubRegion,
    fromFlag: "eu-west-1",
    fromFile: "ap-south-1",
    byDefault: undefined,
  },
  {
    flag: "--mfa-exempt-tag-key",
    field: "mfaExemptTagKey",
    flags: { mfaExemptTagKey: "flag:exempt" },
    doc: { mfaExemptTagKey: "file:exempt" },
    read: (f, c) => report(f, c).mfaExemptTagKey,
    fromFlag: "flag:exempt",
    fromFile: "file:exempt",
    byDefault: undefined,
  },
  {
    flag: "--mfa-policy-name",
    field: "mfaPolicyName",
    flags: { mfaPolicyName: "FlagMfa" },
    doc: { mfaPolicyName: "FileMfa" },
    read: (f, c) => report(f, c).rules.mfaPolicyName,
    fromFlag: "FlagMfa",
    fromFile: "FileMfa",
    byDefault: DEFAULT_MFA_POLICY_NAME,
  },
]);

describe("root (root remove-credentials, run's root: entries)", () => {
  const entry = (doc: Record<string, unknown>) => file({ root: [{ ou: "Root/Workloads", ...doc }] }).root[0];
  it.each<[string, RootFlags, Record<string, unknown>, { keepMfa: boolean; allowRoot: boolean }]>([
    ["neither", {}, {}, { keepMfa: false, allowRoot: false }],
    ["the entry only", {}, { keep: ["mfa"], allowRoot: true }, { keepMfa: true, allowRoot: true }],
    ["--keep mfa", { keep: ["mfa"] }, {}, { keepMfa: true, allowRoot: false }],
    [
      "--keep as a comma list, like the entry's keep: [mfa]",
      { keep: "mfa," },
      {},
      { keepMfa: true, allowRoot: false },
    ],
    ["both: the flag wins", { allowRoot: false }, { allowRoot: true }, { keepMfa: false, allowRoot: false }],
  ])("%s", (_, flags, doc, want) => {
    expect(rootSettings(flags, entry(doc))).toEqual(want);
  });
  it("refuses a --keep that a root: entry would refuse", () => {
    expect(() => rootSettings({ keep: ["password"] })).toThrow(/--keep must be one of mfa/);
    expect(validateRunConfig({ root: [{ ou: "Root", keep: ["password"] }] }).problems).not.toEqual([]);
  });
});

describe("rule deployment (deploy-rules, run's rules: entries): flag > entry > default", () => {
  const catalog = loadRuleCatalog();
  const entry = (doc: Record<string, unknown>) => file({ rules: [{ ...doc }] }).rules[0];
  const read = (flags: RuleDeploymentFlags, doc?: Record<string, unknown>) => {
    const config = doc ? file({ connection: { regions: ["ca-central-1"] }, rules: [doc] }) : undefined;
    const d = ruleDeployment(flags, config, HOME, catalog, doc ? entry(doc) : undefined);
    return { ...d, rules: d.rules.map((r) => r.name) };
  };
  const fromEntry = {
    ou: "Root/Workloads",
    rules: ["iam-password-policy"],
    regions: ["eu-west-1"],
    mode: "organization",
    ensureIamPolicy: true,
  };
  const fromFlags = {
    ou: "Root/Sandbox",
    rule: ["root-account-mfa-enabled"],
    regions: "ap-south-1",
    mode: "accounts",
    ensureIamPolicy: false,
  };
  it("neither: every account, accounts mode, the default rules, the home region", () => {
    expect(read({})).toMatchObject({
      ou: undefined,
      mode: "accounts",
      rules: [...DEFAULT_RULES],
      regions: [HOME],
      ensureIamPolicy: false,
    });
    expect(read({}, { rules: [] }).rules).toEqual([...DEFAULT_RULES]);
  });
  it("the entry only; without its own regions, connection.regions", () => {
    expect(read({}, fromEntry)).toMatchObject({ ...fromEntry });
    expect(read({}, { ou: "Root" }).regions).toEqual(["ca-central-1"]);
  });
  it("both: the flag wins", () => {
    expect(read(fromFlags, fromEntry)).toMatchObject({
      ou: "Root/Sandbox",
      rules: ["root-account-mfa-enabled"],
      regions: ["ap-south-1"],
      mode: "accounts",
      ensureIamPolicy: false,
    });
  });
  it("--remove without --rule: every rule of the catalogue; an unknown rule or mode is refused", () => {
    expect(read({ remove: true }).rules).toEqual([...catalog.keys()]);
    expect(() => read({ rule: ["no-such-rule"] })).toThrow(/no rule named "no-such-rule"/);
    expect(() => read({ mode: "org" })).toThrow(/--mode must be one of accounts, organization/);
  });
});

// The tag an RCP honours and the tag protect-exemption-tags protects come from one merge: the flag
// or the file, never one for each. A flag that disagrees with the file it runs with is refused.
describe("--exempt-tag-key and resourceExemptTagKeys: one source for the RCPs and protect-exemption-tags", () => {
  const keys = (flags: { exemptTagKey?: string[] }, config?: RunConfig) => ({
    rcp: [rcp(flags, config).params.IdentityExemptTagKey],
    scp: scp(flags, config).params.ResourceExemptTagKeys.filter((k) => !k.startsWith("dp:exclude:")),
  });
  it("renders the same key on both sides, from the flag or from the file", () => {
    expect(rcp({}, undefined).params.IdentityExemptTagKey).toBe("dp:exclude:identity");
    expect(scp({}, undefined).params.ResourceExemptTagKeys).toContain("dp:exclude:identity");
    const flag = { exemptTagKey: ["identity-perimeter=team:shared"] };
    expect(keys(flag, undefined)).toEqual({ rcp: ["team:shared"], scp: ["team:shared"] });
    const doc = file({ resourceExemptTagKeys: { "identity-perimeter": "perimeter:out" } });
    expect(keys({}, doc)).toEqual({ rcp: ["perimeter:out"], scp: ["perimeter:out"] });
    // The same key given both ways is one source.
    expect(keys({ exemptTagKey: ["identity-perimeter=perimeter:out"] }, doc)).toEqual({
      rcp: ["perimeter:out"],
      scp: ["perimeter:out"],
    });
  });

  it("refuses a flag that disagrees with the config file, for both families (exit 2)", () => {
    const doc = file({ resourceExemptTagKeys: { "identity-perimeter": "perimeter:out" } });
    const flag = { exemptTagKey: ["identity-perimeter=team:shared"] };
    for (const read of [() => rcp(flag, doc), () => scp(flag, doc)]) {
      expect(read).toThrow(
        expect.objectContaining({
          code: "INVALID_INPUT",
          message: expect.stringContaining(
            "identity-perimeter team:shared (flag) against perimeter:out (file)",
          ),
          hint: expect.stringContaining("resourceExemptTagKeys of the config file"),
        }),
      );
    }
    // A file that names no key means the defaults: a flag changing one disagrees with it too.
    expect(() => rcp(flag, file({}))).toThrow(/against dp:exclude:identity \(file\)/);
    expect(() => rcp({ exemptTagKey: ["nothing"] }, undefined)).toThrow(/is not POLICY=TAG_KEY/);
  });
});

describe("an scp: entry's policies and allowRoot: flag > entry > default", () => {
  const read = (flags: ScpFlags, entry?: Record<string, unknown>) => {
    const s = scpSettings(flags, CONNECTION, undefined, entry);
    return { policies: s.policies, allowRoot: s.allowRoot };
  };
  it.each<
    [string, ScpFlags, Record<string, unknown> | undefined, { policies: string[]; allowRoot: boolean }]
  >([
    ["neither", {}, undefined, { policies: [...DEFAULT_POLICIES], allowRoot: false }],
    [
      "the entry only",
      {},
      { policies: ["deny-leave-org"], allowRoot: true },
      { policies: ["deny-leave-org"], allowRoot: true },
    ],
    [
      "both: the flag wins",
      { policy: ["require-mfa"], allowRoot: false },
      { policies: ["deny-leave-org"], allowRoot: true },
      { policies: ["require-mfa"], allowRoot: false },
    ],
  ])("%s", (_, flags, entry, want) => {
    expect(read(flags, entry)).toEqual(want);
  });
});

describe("the same forms of the same value", () => {
  it("an OU is named in orgwarden.yaml as every --ou takes it: an id, or a path from the root", () => {
    const accepted = [
      "ou-ab12-cdef3456",
      "r-ab12",
      "123456789012",
      "Root",
      "Root/Workloads",
      "root/workloads/prod/",
      "Root/Workloads/Prod/payments account",
    ];
    for (const ou of accepted) {
      const doc = {
        scp: [{ ou, allowRoot: true }],
        root: [{ ou, allowRoot: true }],
        rules: [{ ou }],
        report: { ou },
      };
      expect(validateRunConfig(doc).problems, ou).toEqual([]);
    }
    for (const ou of ["ou-123", "r-!", "12345", "Workloads", "Workloads/Prod", "Root//Prod", ""]) {
      for (const doc of [{ scp: [{ ou }] }, { root: [{ ou }] }, { rules: [{ ou }] }, { report: { ou } }]) {
        const { problems } = validateRunConfig(doc);
        expect(problems.map((p) => p.message).join(), `${JSON.stringify(doc)}`).toMatch(
          /OU id .*or a path from the root like Root\/Workloads/,
        );
      }
    }
  });

  it("--regions is refused the same way by every family: a non-region, or an empty list", () => {
    for (const read of [
      (r: string) => scp({ regions: r }, undefined),
      (r: string) => workRegions(r, undefined, HOME),
      (r: string) => report({ regions: r }, undefined),
      (r: string) => connectionRegions(r, undefined),
    ]) {
      expect(() => read("us-east-1,mars-1")).toThrow(/--regions: "mars-1" is not a region name/);
      expect(() => read(" , ")).toThrow(/--regions needs at least one region name/);
    }
  });

  it("--fail-on takes what report.failOn takes, and nothing else", () => {
    expect(() => report({ failOn: "warning" }, undefined)).toThrow(
      /--fail-on must be one of non-compliant, none/,
    );
  });

  it("--no-security-hub with --security-hub-region is a contradiction, refused before any AWS call", () => {
    expect(() => report({ securityHub: false, securityHubRegion: "eu-west-1" }, undefined)).toThrow(
      /contradict/,
    );
    expect(() => report({ securityHubRegion: "nowhere" }, undefined)).toThrow(/not a region name/);
  });
});
