import {
  type ConfigRule,
  type ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  paginateListTagsForResource,
} from "@aws-sdk/client-config-service";
import { GetPolicyCommand, type IAMClient } from "@aws-sdk/client-iam";
import { collectPages, describeAwsError, hasManagedTag, isAwsError } from "@orgwarden/core";
import { orgwardenRulesIn } from "./find-deployed-rules.js";
import { MANAGED_RULE_PREFIX } from "./rule-catalog.js";

/**
 * The rules orgwarden deployed in one account and region in accounts mode (`orgwarden-<rule>`; an
 * organization rule's member-side copy belongs to the organization rule), each with whether it
 * carries the managed tag.
 */
export async function managedRulesIn(
  config: ConfigServiceClient,
): Promise<Map<string, { rule: ConfigRule; managed: boolean }>> {
  const rules = await orgwardenRulesIn(config);
  const out = new Map<string, { rule: ConfigRule; managed: boolean }>();
  await Promise.all(
    rules
      .filter(({ rule }) => rule.ConfigRuleName?.startsWith(MANAGED_RULE_PREFIX))
      .map(async ({ rule }) => {
        // ListTagsForResource pages (Limit up to 50, NextToken): a rule with many tags can put ours on a
        // later page. https://docs.aws.amazon.com/config/latest/APIReference/API_ListTagsForResource.html
        const tags = await collectPages(
          paginateListTagsForResource({ client: config }, { ResourceArn: rule.ConfigRuleArn }),
          (p) => p.Tags,
        );
        const managed = hasManagedTag(tags);
        out.set(rule.ConfigRuleName as string, { rule, managed });
      }),
  );
  return out;
}

/** Why rules cannot go into this account and region, or undefined when a recorder is recording. */
export async function recorderProblem(config: ConfigServiceClient): Promise<string | undefined> {
  const out = await config.send(new DescribeConfigurationRecorderStatusCommand({}));
  const statuses = out.ConfigurationRecordersStatus ?? [];
  if (statuses.length === 0)
    return "no AWS Config configuration recorder here: turn on AWS Config recording first";
  if (!statuses.some((s) => s.recording))
    return "the configuration recorder is not recording: start it first";
  return undefined;
}

export async function policyExists(iam: IAMClient, arn: string): Promise<boolean> {
  try {
    await iam.send(new GetPolicyCommand({ PolicyArn: arn }));
    return true;
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) return false;
    throw describeAwsError(err, "IAM");
  }
}
