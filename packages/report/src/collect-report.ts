import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient, paginateDescribeConfigRules } from "@aws-sdk/client-config-service";
import { EC2Client } from "@aws-sdk/client-ec2";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { IAMClient } from "@aws-sdk/client-iam";
import {
  DEFAULT_RULES,
  MANAGED_RULE_PREFIX,
  memberRuleNamesFor,
  type RuleDefinition,
  type RuleReading,
  readRuleCompliance,
} from "@orgwarden/config";
import {
  type AccountClients,
  type AccountResult,
  type ControlId,
  collectPages,
  controlEntry,
  createFanOut,
  DEFAULT_PASSWORD_REQUIREMENTS,
  describeAwsError,
  frameworkIds,
  type Inventory,
  type Logger,
  type OrgAccount,
  type OrgwardenError,
  type PasswordRequirements,
  silentLogger,
} from "@orgwarden/core";
import { checkAccount } from "./account-checks.js";
import { type AccountRegions, accountRegions } from "./account-regions.js";
import { configOutcomes } from "./config-outcomes.js";
import {
  CHECK_CONTROLS,
  type ControlOutcome,
  compareRows,
  type Report,
  type ReportRow,
  type ReportSource,
  ROOT_ACCESS_CONTROLS,
  SCP_CONTROLS,
} from "./report-model.js";
import type { RootAccessReading } from "./root-checks.js";
import { type JudgeScp, scpCoverage } from "./scp-coverage.js";
import { judgeOrganizationTrails, type TrailJudgement } from "./trail-checks.js";

export interface CollectReportInput extends ReportEvaluationInput {
  inventory: Inventory;
  /** The accounts to report on (e.g. those under --ou), in inventory order. */
  accounts: readonly OrgAccount[];
}

/** What evaluating accounts needs; the inventory is only needed at the end, for the rows. */
export interface ReportEvaluationInput {
  /** Explicit sources, or undefined for the default: check and scp, plus config when managed rules are deployed. */
  sources?: readonly ReportSource[] | undefined;
  clients: AccountClients;
  homeRegion: string;
  /** Regions of regional Config rules. */
  regions?: readonly string[];
  partition?: string;
  mfaPolicyName?: string;
  /** Judges attached orgwarden policies against the library (drift, managed tag): SCP coverage. */
  judgeScp: JudgeScp;
  /** The MFA-exempt tag key of require-mfa: each user tagged with it is an mfa-exempt-user row. */
  mfaExemptTagKey?: string | undefined;
  password?: PasswordRequirements;
  /** The Config rule catalog (config source). */
  rules: readonly RuleDefinition[];
  /** Read Config results through this organization aggregator (in the management account). */
  aggregator?: string | undefined;
  concurrency?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
  credentialReportTimeoutMs?: number;
  /**
   * Centralized root access (features and AssumeRoot audits): adds root-credentials-centralized and
   * root-credentials-present to the check source.
   */
  rootAccess?: RootAccessReading | undefined;
}

interface AccountFindings {
  check?: ControlOutcome[];
  config?: RuleReading[];
  /** Controls of the managed rules found in the account, even when reading their results failed. */
  configDeployed?: ControlId[];
  configError?: OrgwardenError;
}

/** A report in progress: accounts are evaluated as they are added, rows are built at the end. */
export interface ReportRun {
  /** Starts evaluating an account (e.g. as the organization walk finds it). */
  add(account: OrgAccount): void;
  /** Evaluates any account not added yet, waits for all, and builds the rows. */
  finish(inventory: Inventory, accounts: readonly OrgAccount[]): Promise<Report>;
}

/**
 * Builds the report: one parallel pass over the accounts (one AssumeRole each, every call once),
 * then rows for every account × control × selected source. No account is ever missing: a suspended
 * account gets SKIPPED rows, one that cannot be reached gets ERROR rows with the reason.
 */
export async function collectReport(input: CollectReportInput): Promise<Report> {
  const run = startReport(input);
  return run.finish(input.inventory, input.accounts);
}

/** Starts a report whose account work can begin before the inventory is complete. */
export function startReport(input: ReportEvaluationInput): ReportRun {
  const logger = input.logger ?? silentLogger();
  const now = input.now ?? (() => new Date());
  const explicit = input.sources !== undefined;
  const wants = (s: ReportSource) =>
    explicit ? (input.sources as readonly ReportSource[]).includes(s) : true;
  const needAccess = wants("check") || wants("config");
  // The management account's organization trails cover every member: judged once, on first need.
  let organizationTrails: Promise<readonly TrailJudgement[]> | undefined;
  const orgTrails = () => {
    organizationTrails ??= judgeOrganizationTrails(
      (region) => input.clients.get(CloudTrailClient, input.clients.assumer.managementAccountId, region),
      input.homeRegion,
    ).catch((err: unknown) => {
      logger.warn({ err: describeAwsError(err, "CloudTrail").message }, "organization trails unreadable");
      return [];
    });
    return organizationTrails;
  };

  // Through an aggregator, organization rules are read by their member-side names, looked up once per rule.
  const organizationRuleNames = new Map<string, Promise<Map<string, string>>>();
  const run = createFanOut(
    async (account: OrgAccount): Promise<AccountFindings> => {
      if (account.state !== "ACTIVE" || !needAccess) return {};
      await input.clients.ensureReachable(account.id);
      const findings: AccountFindings = {};
      const tasks: Array<Promise<void>> = [];
      // The account's enabled regions (opt-in ones included), read once, limited to the chosen ones.
      // Read while the global checks already run: only the regional ones wait for it.
      const where = accountRegions(
        input.clients.get(EC2Client, account.id, input.homeRegion),
        input.homeRegion,
        input.regions,
      );
      if (wants("check")) {
        tasks.push(
          checkAccount(
            {
              iam: input.clients.get(IAMClient, account.id, input.homeRegion),
              cloudtrail: (region) => input.clients.get(CloudTrailClient, account.id, region),
              guardduty: (region) => input.clients.get(GuardDutyClient, account.id, region),
              config: (region) => input.clients.get(ConfigServiceClient, account.id, region),
            },
            {
              accountId: account.id,
              partition: input.partition ?? "aws",
              mfaPolicyName: input.mfaPolicyName ?? "BlockAllAccessUnlessSignedInWithMFA",
              ...(input.mfaExemptTagKey ? { mfaExemptTagKey: input.mfaExemptTagKey } : {}),
              password: input.password ?? DEFAULT_PASSWORD_REQUIREMENTS,
              now,
              homeRegion: input.homeRegion,
              regions: where,
              organizationTrails: orgTrails,
              ...(input.rootAccess ? { rootAccess: input.rootAccess } : {}),
              ...(input.credentialReportTimeoutMs
                ? { credentialReportTimeoutMs: input.credentialReportTimeoutMs }
                : {}),
            },
          ).then((c) => {
            findings.check = c;
          }),
        );
      }
      if (wants("config")) {
        tasks.push(readConfig(input, account, where, findings, organizationRuleNames));
      }
      try {
        await Promise.all(tasks);
      } finally {
        input.clients.release(account.id);
      }
      return findings;
    },
    {
      concurrency: input.concurrency ?? 16,
      logger,
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  );

  return {
    add: (account) => run.add(account),
    finish: async (inventory, accounts) => {
      for (const a of accounts) run.add(a);
      const settled = new Map((await run.settle()).map((r) => [r.account.id, r]));
      const results = accounts.map((a) => settled.get(a.id) as AccountResult<OrgAccount, AccountFindings>);
      return buildReport(input, inventory, results, { wants, explicit, now });
    },
  };
}

async function buildReport(
  input: ReportEvaluationInput,
  inventory: Inventory,
  results: Array<AccountResult<OrgAccount, AccountFindings>>,
  { wants, explicit, now }: { wants: (s: ReportSource) => boolean; explicit: boolean; now: () => Date },
): Promise<Report> {
  const configControls = configControlsFor(input, results, explicit && wants("config"));
  const checkControls = input.rootAccess ? [...CHECK_CONTROLS, ...ROOT_ACCESS_CONTROLS] : CHECK_CONTROLS;
  const generatedAt = now();
  const rows: ReportRow[] = [];
  for (const r of results) {
    const account = r.account;
    const row = (source: ReportSource, o: ControlOutcome): ReportRow => ({
      accountId: account.id,
      accountName: account.name,
      ouPath: account.ouPath,
      control: o.control,
      source,
      status: o.status,
      resourceType: o.resourceType ?? "AWS::::Account",
      resourceId: o.resourceId ?? account.id,
      reason: o.reason.replace(/\s+/g, " ").trim(),
      evaluatedAt: (o.evaluatedAt ?? generatedAt).toISOString(),
      region: o.region ?? "",
      severity: controlEntry(o.control).severity,
      frameworks: frameworkIds(controlEntry(o.control)),
    });
    const all = (
      source: ReportSource,
      controls: readonly ControlId[],
      status: "SKIPPED" | "ERROR",
      reason: string,
    ) => controls.map((control) => rows.push(row(source, { control, status, reason })));

    if (account.state !== "ACTIVE") {
      const reason = `account is ${account.state}`;
      if (wants("check")) all("check", checkControls, "SKIPPED", reason);
      if (configControls.length) all("config", configControls, "SKIPPED", reason);
      if (wants("scp")) all("scp", SCP_CONTROLS, "SKIPPED", reason);
      continue;
    }
    if (wants("scp"))
      for (const o of await scpCoverage(inventory, account, input.judgeScp)) rows.push(row("scp", o));
    if (!r.ok) {
      const reason = r.error.hint ? `${r.error.message} (${r.error.hint})` : r.error.message;
      if (wants("check")) all("check", checkControls, "ERROR", reason);
      if (configControls.length) all("config", configControls, "ERROR", reason);
      continue;
    }
    if (wants("check")) for (const o of r.value.check ?? []) rows.push(row("check", o));
    if (configControls.length) {
      if (r.value.configError) {
        all(
          "config",
          configControls,
          "ERROR",
          `reading Config results failed: ${r.value.configError.message}`,
        );
        continue;
      }
      const outcomes = configOutcomes(r.value.config ?? []);
      for (const control of configControls) {
        const found = outcomes.filter((o) => o.control === control);
        if (found.length === 0)
          rows.push(
            row("config", {
              control,
              status: "SKIPPED",
              reason: "no orgwarden rule for this control is deployed in this account",
            }),
          );
        for (const o of found) rows.push(row("config", o));
      }
    }
  }
  rows.sort(compareRows);
  return { generatedAt: generatedAt.toISOString(), organizationId: inventory.organizationId, rows };
}

/**
 * Which managed rules exist in the account (one DescribeConfigRules per region), then their results.
 * A failure is recorded in `findings`, keeping the controls found, so the rows say ERROR instead of
 * the config source silently disappearing.
 */
async function readConfig(
  input: ReportEvaluationInput,
  account: OrgAccount,
  whereP: Promise<AccountRegions>,
  findings: AccountFindings,
  organizationRuleNames: Map<string, Promise<Map<string, string>>>,
): Promise<void> {
  try {
    const where = await whereP;
    if (where.error) throw new Error(where.error);
    const regions = where.regions;
    let present: readonly RuleDefinition[] = input.rules;
    const memberRuleNames = new Map<string, string>();
    let configIn = (region: string) =>
      input.clients.get(ConfigServiceClient, input.clients.assumer.managementAccountId, region);
    if (input.aggregator) {
      for (const rule of input.rules) {
        let names = organizationRuleNames.get(rule.name);
        if (!names) {
          names = memberRuleNamesFor(configIn(input.homeRegion), `${MANAGED_RULE_PREFIX}${rule.name}`).catch(
            () => new Map<string, string>(), // not an organization rule: the accounts-mode name applies
          );
          organizationRuleNames.set(rule.name, names);
        }
        const name = (await names).get(account.id);
        if (name) memberRuleNames.set(rule.name, name);
      }
    }
    if (!input.aggregator) {
      configIn = (region: string) => input.clients.get(ConfigServiceClient, account.id, region);
      const deployed = new Set<string>();
      // Global rules live in the home region: it is always looked at, whatever the regions chosen.
      for (const region of new Set([input.homeRegion, ...regions])) {
        const rules = await collectPages(
          paginateDescribeConfigRules({ client: configIn(region) }, {}),
          (p) => p.ConfigRules,
        );
        for (const r of rules) {
          const name = orgwardenRuleName(r.ConfigRuleName ?? "");
          if (!name) continue;
          deployed.add(name);
          // An organization rule has another name inside the member account.
          if (r.ConfigRuleName !== `${MANAGED_RULE_PREFIX}${name}`)
            memberRuleNames.set(name, r.ConfigRuleName as string);
        }
      }
      present = input.rules.filter((r) => deployed.has(r.name));
      findings.configDeployed = present.map((r) => r.control);
    }
    findings.config =
      present.length === 0
        ? []
        : await readRuleCompliance({
            accountId: account.id,
            rules: present,
            regions,
            homeRegion: input.homeRegion,
            configIn,
            aggregator: input.aggregator,
            memberRuleNames,
          });
  } catch (err) {
    findings.configError = describeAwsError(err, "Config");
  }
}

function configControlsFor(
  input: ReportEvaluationInput,
  results: Array<{ ok: boolean; value?: AccountFindings }>,
  explicitConfig: boolean,
): ControlId[] {
  const found = new Set<ControlId>();
  for (const r of results) {
    if (!r.ok || !r.value) continue;
    for (const reading of r.value.config ?? [])
      if (reading.state !== "not-deployed") found.add(reading.control);
    for (const control of r.value.configDeployed ?? []) found.add(control);
  }
  if (found.size === 0 && explicitConfig) {
    for (const rule of input.rules)
      if ((DEFAULT_RULES as readonly string[]).includes(rule.name)) found.add(rule.control);
  }
  return [...found].sort();
}

/**
 * orgwarden's name for a rule deployed in an account: `orgwarden-<name>` (accounts mode), or
 * `OrgConfigRule-orgwarden-<name>-<suffix>` as AWS names an organization rule inside a member.
 */
export function orgwardenRuleName(configRuleName: string): string | undefined {
  if (configRuleName.startsWith(MANAGED_RULE_PREFIX)) return configRuleName.slice(MANAGED_RULE_PREFIX.length);
  return /^OrgConfigRule-orgwarden-(.+)-[a-z0-9]+$/.exec(configRuleName)?.[1];
}
