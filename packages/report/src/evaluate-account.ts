import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { IAMClient } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import {
  type AccountClients,
  type ControlId,
  DEFAULT_MFA_POLICY_NAME,
  DEFAULT_PASSWORD_REQUIREMENTS,
  describeAwsError,
  type Logger,
  type OrgAccount,
  type OrgwardenError,
  organizationsRegion,
  type PasswordRequirements,
} from "@orgwarden/core";
import {
  type DeployedRules,
  findDeployedRules,
  organizationRuleNamesOnce,
  type RuleDefinition,
  type RuleReading,
  readRuleCompliance,
} from "@orgwarden/rules";
import { type AccountRegions, accountRegions } from "./account-regions.js";
import { checkAccount } from "./checks/check-account.js";
import type { RootAccessReading } from "./checks/root-access.js";
import { judgeOrganizationTrails, type TrailJudgement } from "./checks/trails.js";
import { readGuardrails } from "./guardrails/read-guardrails.js";
import { s3ControlClientClass } from "./guardrails/s3-account-block-public-access.js";
import { type ControlOutcome, OPT_IN_SOURCES, type ReportSource } from "./report-model.js";

/** What evaluating one account needs to know: plain data, so a worker thread can receive it. */
export interface AccountEvaluationSettings {
  /** Explicit sources, or undefined for the default: check and scp, plus config when managed rules are deployed. */
  sources?: readonly ReportSource[] | undefined;
  homeRegion: string;
  /** Regions of regional controls and Config rules (default: every region each account has enabled). */
  regions?: readonly string[] | undefined;
  partition?: string;
  mfaPolicyName?: string;
  /** The MFA-exempt tag key of require-mfa: each user tagged with it is an mfa-exempt-user row. */
  mfaExemptTagKey?: string | undefined;
  password?: PasswordRequirements;
  /** config-recorder's includeConfigServiceLinkedRoleCheck (Security Hub Config.1); default true. */
  configServiceLinkedRoleCheck?: boolean | undefined;
  /** The Config rule catalog (config source). */
  rules: readonly RuleDefinition[];
  /** Read Config results through this organization aggregator (in the management account). */
  aggregator?: string | undefined;
  credentialReportTimeoutMs?: number;
}

/** What was found in one account, before it becomes rows. */
export interface AccountFindings {
  check?: ControlOutcome[];
  /** The guardrails source: S3's and EC2's account settings, with the mechanism holding each. */
  guardrails?: ControlOutcome[];
  config?: RuleReading[];
  /** Controls of the managed rules found in the account, even when reading their results failed. */
  configDeployed?: ControlId[];
  configError?: OrgwardenError;
}

export interface AccountEvaluationDeps {
  clients: AccountClients;
  logger: Logger;
  /** Centralized root access: adds root-credentials-centralized and root-credentials-present. */
  rootAccess?: RootAccessReading;
  now?: () => Date;
  /** The management account's organization trails, judged once for the whole report (every thread). */
  organizationTrails?: () => Promise<readonly TrailJudgement[]>;
}

/**
 * The management account's organization trails, which cover every member: judged on first need,
 * then the same answer for every account. An unreadable trail list is logged and counts as none.
 */
export function organizationTrailsOnce(
  clients: AccountClients,
  homeRegion: string,
  logger: Logger,
): () => Promise<readonly TrailJudgement[]> {
  let judged: Promise<readonly TrailJudgement[]> | undefined;
  return () => {
    judged ??= judgeOrganizationTrails(
      (region) => clients.get(CloudTrailClient, clients.assumer.managementAccountId, region),
      homeRegion,
    ).catch((err: unknown) => {
      logger.warn({ err: describeAwsError(err, "CloudTrail").message }, "organization trails unreadable");
      return [];
    });
    return judged;
  };
}

/** Whether a report reads a source: the ones named, or by default every one but the opt-in ones. */
export function wantsSource(sources: readonly ReportSource[] | undefined, source: ReportSource): boolean {
  return sources === undefined ? !OPT_IN_SOURCES.includes(source) : sources.includes(source);
}

/**
 * The evaluator, forgetting each account's role credentials and root sessions once it is evaluated
 * (a worker thread's, or the main thread's beside the workers): the thread never acts as the account
 * again, and the rows, which may (a tag-exempt RCP), assume its role again. Kept, with their SigV4
 * signing keys, they grew a thread's heap by about 3 KB per account. Root sessions are still opened
 * once per account: they are forgotten only after its one evaluation.
 */
export function forgettingEachAccount(
  evaluate: (account: OrgAccount) => Promise<AccountFindings>,
  deps: Pick<AccountEvaluationDeps, "clients" | "rootAccess">,
): (account: OrgAccount) => Promise<AccountFindings> {
  return (account) =>
    evaluate(account).finally(() => {
      deps.clients.assumer.forget(account.id);
      deps.rootAccess?.forget(account.id);
    });
}

/**
 * Evaluates one account: one AssumeRole, the direct checks and the Config results, every call
 * once. What is shared across accounts (the management account's organization trails, the
 * member-side names of organization rules) is read once per evaluator.
 */
export function accountEvaluator(
  input: AccountEvaluationSettings,
  deps: AccountEvaluationDeps,
): (account: OrgAccount) => Promise<AccountFindings> {
  const logger = deps.logger;
  const wants = (s: ReportSource) => wantsSource(input.sources, s);
  const needAccess = wants("check") || wants("config") || wants("guardrails");
  const orgTrails = deps.organizationTrails ?? organizationTrailsOnce(deps.clients, input.homeRegion, logger);

  // Through an aggregator, organization rules are read by their member-side names, looked up once per rule.
  const aggregated = input.aggregator
    ? organizationRuleNamesOnce(
        () =>
          deps.clients.get(ConfigServiceClient, deps.clients.assumer.managementAccountId, input.homeRegion),
        input.rules,
      )
    : undefined;
  // EC2's and GuardDuty's clients (1.3 MB of code, for DescribeRegions and the detector check) are
  // loaded on first need, not with the package: every other command imports this package without
  // calling them, and loading them cost each start a third of its CPU. EC2's is not needed at all
  // when every chosen region is a default one (account-regions.ts).
  let guardDutySdk: Promise<typeof import("@aws-sdk/client-guardduty")> | undefined;
  let ec2Sdk: Promise<typeof import("@aws-sdk/client-ec2")> | undefined;
  let s3Control: ReturnType<typeof s3ControlClientClass> | undefined;
  return async (account: OrgAccount): Promise<AccountFindings> => {
    if (account.state !== "ACTIVE" || !needAccess) return {};
    guardDutySdk ??= import("@aws-sdk/client-guardduty");
    const { GuardDutyClient } = await guardDutySdk;
    await deps.clients.ensureReachable(account.id);
    const findings: AccountFindings = {};
    const tasks: Array<Promise<void>> = [];
    // The account's enabled regions (opt-in ones included), read once, limited to the chosen ones.
    // Read while the global checks already run: only the regional ones wait for it.
    const where = accountRegions(
      async () => {
        ec2Sdk ??= import("@aws-sdk/client-ec2");
        const { EC2Client } = await ec2Sdk;
        return deps.clients.get(EC2Client, account.id, input.homeRegion);
      },
      input.homeRegion,
      input.regions,
    );
    if (wants("check")) {
      tasks.push(
        checkAccount(
          {
            iam: deps.clients.get(IAMClient, account.id, input.homeRegion),
            cloudtrail: (region) => deps.clients.get(CloudTrailClient, account.id, region),
            guardduty: (region) => deps.clients.get(GuardDutyClient, account.id, region),
            config: (region) => deps.clients.get(ConfigServiceClient, account.id, region),
          },
          {
            accountId: account.id,
            partition: input.partition ?? "aws",
            mfaPolicyName: input.mfaPolicyName ?? DEFAULT_MFA_POLICY_NAME,
            ...(input.mfaExemptTagKey ? { mfaExemptTagKey: input.mfaExemptTagKey } : {}),
            password: input.password ?? DEFAULT_PASSWORD_REQUIREMENTS,
            ...(input.configServiceLinkedRoleCheck === false ? { configServiceLinkedRoleCheck: false } : {}),
            ...(deps.now ? { now: deps.now } : {}),
            homeRegion: input.homeRegion,
            regions: where,
            organizationTrails: orgTrails,
            ...(deps.rootAccess ? { rootAccess: deps.rootAccess } : {}),
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
      tasks.push(readConfig(input, account, where, findings, aggregated, deps.clients));
    }
    if (wants("guardrails")) {
      const clients = deps.clients;
      tasks.push(
        readGuardrails(
          {
            s3control: async () => {
              s3Control ??= s3ControlClientClass();
              return clients.get(await s3Control, account.id, input.homeRegion);
            },
            organizations: () =>
              clients.get(OrganizationsClient, account.id, organizationsRegion(input.homeRegion)),
            ec2: async (region) => {
              ec2Sdk ??= import("@aws-sdk/client-ec2");
              return clients.get((await ec2Sdk).EC2Client, account.id, region);
            },
          },
          { accountId: account.id, regions: where, ...(deps.now ? { now: deps.now } : {}) },
        ).then((g) => {
          findings.guardrails = g;
        }),
      );
    }
    try {
      await Promise.all(tasks);
    } finally {
      deps.clients.release(account.id);
    }
    return findings;
  };
}

/**
 * Which managed rules exist in the account (rules' findDeployedRules), then their results. Through
 * an aggregator, every rule of the catalogue is read in the management account. A failure is
 * recorded in `findings`, keeping the controls found, so the rows say ERROR instead of the config
 * source silently disappearing.
 */
async function readConfig(
  input: AccountEvaluationSettings,
  account: OrgAccount,
  whereP: Promise<AccountRegions>,
  findings: AccountFindings,
  aggregated: ((accountId: string) => Promise<DeployedRules>) | undefined,
  clients: AccountClients,
): Promise<void> {
  try {
    const where = await whereP;
    if (where.error) throw new Error(where.error);
    const configIn = (region: string) =>
      clients.get(ConfigServiceClient, aggregated ? clients.assumer.managementAccountId : account.id, region);
    let deployed: DeployedRules;
    if (aggregated) deployed = await aggregated(account.id);
    else {
      deployed = await findDeployedRules({
        configIn,
        rules: input.rules,
        regions: where.regions,
        homeRegion: input.homeRegion,
      });
      findings.configDeployed = deployed.rules.map((r) => r.control);
    }
    findings.config =
      deployed.rules.length === 0
        ? []
        : await readRuleCompliance({
            accountId: account.id,
            rules: deployed.rules,
            regions: where.regions,
            homeRegion: input.homeRegion,
            configIn,
            aggregator: input.aggregator,
            memberRuleNames: deployed.memberRuleNames,
          });
  } catch (err) {
    findings.configError = describeAwsError(err, "Config");
  }
}
