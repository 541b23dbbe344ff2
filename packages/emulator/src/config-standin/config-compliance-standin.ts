import type { ServerResponse } from "node:http";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import {
  type ConfigRule,
  ConfigServiceClient,
  DescribeConfigurationAggregatorsCommand,
  paginateDescribeConfigRules,
} from "@aws-sdk/client-config-service";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { IAMClient } from "@aws-sdk/client-iam";
import { collectPages, isAwsError } from "@orgwarden/core";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { RootCredentialState } from "../root-access-standin.js";
import { memberCredentials } from "../seed-organization.js";
import { type Answered, sendAwsError, sendJson } from "../wire-protocol.js";
import { type Compliance, type Evaluation, evaluateManagedRule } from "./evaluate-managed-rule.js";

/**
 * AWS Config's compliance reads, which moto lacks (it stores rules and evaluates none; moto 5.2.1),
 * answered from what the emulator holds: each call evaluates the account's managed rules as a
 * periodic evaluation would now (evaluate-managed-rule.ts). JSON 1.1, with the shapes, limits and
 * error codes of the API reference:
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetComplianceDetailsByConfigRule.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_DescribeComplianceByConfigRule.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetAggregateComplianceDetailsByConfigRule.html
 * https://docs.aws.amazon.com/config/latest/APIReference/API_GetOrganizationConfigRuleDetailedStatus.html
 * An aggregator is taken to cover every account of the organization.
 */
export type ConfigComplianceHandler = (
  action: string,
  body: Buffer,
  caller: { accessKey: string; region: string },
  res: ServerResponse,
) => Promise<Answered | undefined>;

interface Caller {
  accountId: string;
  region: string;
  credentials: AwsCredentialIdentity;
}

type Input = Record<string, unknown>;

export function configComplianceStandIn(
  upstream: URL,
  callerAccount: (accessKey: string) => Promise<string>,
  rootCredentials: (accountId: string) => RootCredentialState | undefined,
): ConfigComplianceHandler {
  const endpoint = upstream.origin;
  const configOf = (c: Caller) =>
    new ConfigServiceClient({ endpoint, region: c.region, credentials: c.credentials });

  /** The account's rules in moto, by name (every rule when `names` is empty). */
  const rulesOf = async (c: Caller, names: readonly string[]): Promise<ConfigRule[]> => {
    const config = configOf(c);
    try {
      const rules = await collectPages(
        paginateDescribeConfigRules({ client: config }, {}),
        (p) => p.ConfigRules,
      );
      return names.length ? rules.filter((r) => names.includes(r.ConfigRuleName ?? "")) : rules;
    } finally {
      config.destroy();
    }
  };

  const evaluate = async (c: Caller, rule: ConfigRule): Promise<Evaluation[]> => {
    const clients = {
      iam: new IAMClient({ endpoint, region: "us-east-1", credentials: c.credentials }),
      cloudtrail: new CloudTrailClient({ endpoint, region: c.region, credentials: c.credentials }),
      guardduty: new GuardDutyClient({ endpoint, region: c.region, credentials: c.credentials }),
    };
    try {
      return await evaluateManagedRule(rule, {
        accountId: c.accountId,
        region: c.region,
        root: rootCredentials(c.accountId),
        ...clients,
      });
    } finally {
      for (const client of Object.values(clients)) client.destroy();
    }
  };

  const getComplianceDetails = async (c: Caller, input: Input, res: ServerResponse) => {
    const name = String(input.ConfigRuleName ?? "");
    const types = (input.ComplianceTypes as string[] | undefined) ?? [];
    if (types.includes("INSUFFICIENT_DATA"))
      return invalid(res, "INSUFFICIENT_DATA cannot be used as a ComplianceType for filtering results.");
    const page = pageOf(input, 10);
    if ("code" in page) return sendAwsError(res, "json", 400, page.code, page.message);
    const [rule] = await rulesOf(c, [name]);
    if (!rule) return noSuchRule(res, name);
    const at = Date.now() / 1000;
    const results = (await evaluate(c, rule))
      .filter((e) => types.length === 0 || types.includes(e.compliance))
      .map((e) => evaluationResult(name, e, at));
    return sendJson(res, onePage(results, page, "EvaluationResults"));
  };

  const describeCompliance = async (c: Caller, input: Input, res: ServerResponse) => {
    const names = (input.ConfigRuleNames as string[] | undefined) ?? [];
    const types = (input.ComplianceTypes as string[] | undefined) ?? [];
    if (names.length > 25) return invalid(res, "ConfigRuleNames must hold at most 25 rule names.");
    const rules = await rulesOf(c, names);
    const missing = names.find((n) => !rules.some((r) => r.ConfigRuleName === n));
    if (missing) return noSuchRule(res, missing);
    const out = [];
    for (const rule of rules) {
      const evaluations = await evaluate(c, rule);
      const failing = evaluations.filter((e) => e.compliance === "NON_COMPLIANT").length;
      // Only NOT_APPLICABLE results, or none: "If Config has no current evaluation results for the rule, it returns INSUFFICIENT_DATA."
      const compliance: Compliance | "INSUFFICIENT_DATA" = failing
        ? "NON_COMPLIANT"
        : evaluations.some((e) => e.compliance === "COMPLIANT")
          ? "COMPLIANT"
          : "INSUFFICIENT_DATA";
      if (types.length && !types.includes(compliance)) continue;
      out.push({
        ConfigRuleName: rule.ConfigRuleName,
        Compliance: {
          ComplianceType: compliance,
          ...(failing ? { ComplianceContributorCount: { CappedCount: failing, CapExceeded: false } } : {}),
        },
      });
    }
    return sendJson(res, { ComplianceByConfigRules: out });
  };

  const getAggregateComplianceDetails = async (c: Caller, input: Input, res: ServerResponse) => {
    const aggregator = String(input.ConfigurationAggregatorName ?? "");
    const accountId = String(input.AccountId ?? "");
    const region = String(input.AwsRegion ?? "");
    const type = input.ComplianceType as string | undefined;
    if (!/^\d{12}$/.test(accountId) || !region || !input.ConfigRuleName)
      return sendAwsError(
        res,
        "json",
        400,
        "ValidationException",
        "ConfigRuleName, AccountId and AwsRegion are required.",
      );
    if (type && type !== "COMPLIANT" && type !== "NON_COMPLIANT")
      return sendAwsError(
        res,
        "json",
        400,
        "ValidationException",
        "ComplianceType must be COMPLIANT or NON_COMPLIANT.",
      );
    const page = pageOf(input, 50, "InvalidLimitException");
    if ("code" in page) return sendAwsError(res, "json", 400, page.code, page.message);
    const config = configOf(c);
    try {
      await config.send(
        new DescribeConfigurationAggregatorsCommand({ ConfigurationAggregatorNames: [aggregator] }),
      );
    } catch (err) {
      if (!isAwsError(err, "NoSuchConfigurationAggregatorException")) throw err;
      return sendAwsError(
        res,
        "json",
        400,
        "NoSuchConfigurationAggregatorException",
        `The configuration aggregator ${aggregator} does not exist.`,
      );
    } finally {
      config.destroy();
    }
    const member: Caller = { accountId, region, credentials: await memberCredentials(endpoint, accountId) };
    const name = String(input.ConfigRuleName);
    // Aggregated data is not checked against the source: a rule the account lacks has no results.
    const [rule] = await rulesOf(member, [name]);
    const at = Date.now() / 1000;
    const results = (rule ? await evaluate(member, rule) : [])
      .filter((e) => !type || e.compliance === type)
      .map((e) => ({ ...evaluationResult(name, e, at), AccountId: accountId, AwsRegion: region }));
    return sendJson(res, onePage(results, page, "AggregateEvaluationResults"));
  };

  const handlers: Record<string, (c: Caller, input: Input, res: ServerResponse) => Promise<Answered>> = {
    GetComplianceDetailsByConfigRule: getComplianceDetails,
    DescribeComplianceByConfigRule: describeCompliance,
    GetAggregateComplianceDetailsByConfigRule: getAggregateComplianceDetails,
    // moto holds no organization rules (PutOrganizationConfigRule is not implemented there).
    GetOrganizationConfigRuleDetailedStatus: async (_c, input, r) =>
      sendAwsError(
        r,
        "json",
        400,
        "NoSuchOrganizationConfigRuleException",
        `The organization config rule ${String(input.OrganizationConfigRuleName ?? "")} does not exist.`,
      ),
  };
  return async (action, body, caller, res) => {
    const handler = handlers[action];
    if (!handler) return undefined;
    const c: Caller = {
      accountId: await callerAccount(caller.accessKey),
      region: caller.region,
      credentials: { accessKeyId: caller.accessKey, secretAccessKey: "stand-in" },
    };
    return handler(c, JSON.parse(body.toString() || "{}") as Input, res);
  };
}

function evaluationResult(configRuleName: string, e: Evaluation, at: number) {
  return {
    EvaluationResultIdentifier: {
      EvaluationResultQualifier: {
        ConfigRuleName: configRuleName,
        ResourceType: e.resourceType,
        ResourceId: e.resourceId,
        EvaluationMode: "DETECTIVE",
      },
      OrderingTimestamp: at,
    },
    ComplianceType: e.compliance,
    ResultRecordedTime: at,
    ConfigRuleInvokedTime: at,
    ...(e.annotation ? { Annotation: e.annotation } : {}),
  };
}

/** Where a page starts and how long it is: Limit (0 means the default) and NextToken (an offset here). */
function pageOf(
  input: Input,
  defaultLimit: number,
  limitError = "InvalidParameterValueException",
): { start: number; size: number } | { code: string; message: string } {
  const limit = input.Limit === undefined ? 0 : Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 100)
    return { code: limitError, message: `Limit ${String(input.Limit)} must be between 0 and 100.` };
  const start = input.NextToken === undefined ? 0 : Number(input.NextToken);
  if (!Number.isInteger(start) || start < 0)
    return { code: "InvalidNextTokenException", message: "The specified next token is invalid." };
  return { start, size: limit || defaultLimit };
}

function onePage<T>(all: T[], page: { start: number; size: number }, key: string): Record<string, unknown> {
  const end = page.start + page.size;
  return { [key]: all.slice(page.start, end), ...(end < all.length ? { NextToken: String(end) } : {}) };
}

function invalid(res: ServerResponse, message: string): Answered {
  return sendAwsError(res, "json", 400, "InvalidParameterValueException", message);
}

function noSuchRule(res: ServerResponse, name: string): Answered {
  return sendAwsError(
    res,
    "json",
    400,
    "NoSuchConfigRuleException",
    `The ConfigRule '${name}' provided in the request is invalid. Please check the configRule name.`,
  );
}
