import {
  paginateGetResources,
  ResourceGroupsTaggingAPIClient,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { type AccountClients, describeAwsError, type OrgAccount } from "@orgwarden/core";
import type { ControlOutcome } from "./report-model.js";

/** An orgwarden RCP in effect on an account's path, and the resource tag that exempts from it. */
export interface TagExemption {
  /** The library policy, e.g. identity-perimeter. */
  policy: string;
  /** The resource tag key whose value "true" exempts a resource (e.g. dp:exclude:identity). */
  tagKey: string;
}

/** Reads one member account's tag-exempt resources: one rcp-exempt-resource outcome each. */
export type ReadExemptResources = (
  account: OrgAccount,
  exemptions: readonly TagExemption[],
) => Promise<ControlOutcome[]>;

/**
 * The resources that opt out of an RCP in effect by carrying its exemption tag set to "true", read
 * with the Resource Groups Tagging API as the account (orgwarden's member role), in every region of
 * `regions`: one NOT_APPLICABLE row each, as mfa-exempt-user lists the users require-mfa lets
 * through, so that auditors see every exception (NON_COMPLIANT would fail --fail-on for an exception
 * the organization chose, and the RCP's own row already says whether the perimeter is in place). A
 * region that refuses the call is one ERROR row with the reason, as other regional reads are.
 * https://docs.aws.amazon.com/resourcegroupstagging/latest/APIReference/API_GetResources.html
 */
export function exemptResourceReader(
  clients: AccountClients,
  regions: readonly string[],
): ReadExemptResources {
  return async (account, exemptions) => {
    const byKey = new Map<string, string[]>();
    for (const { policy, tagKey } of exemptions) byKey.set(tagKey, [...(byKey.get(tagKey) ?? []), policy]);
    const outcomes: ControlOutcome[] = [];
    for (const region of regions) {
      const client = clients.get(ResourceGroupsTaggingAPIClient, account.id, region);
      try {
        for (const [tagKey, policies] of byKey) {
          // Several filters are ANDed by AWS: one read per tag key.
          const pages = paginateGetResources({ client }, { TagFilters: [{ Key: tagKey, Values: ["true"] }] });
          for await (const page of pages) {
            for (const { ResourceARN: arn } of page.ResourceTagMappingList ?? []) {
              if (!arn) continue;
              outcomes.push({
                control: "rcp-exempt-resource",
                status: "NOT_APPLICABLE",
                resourceType: resourceTypeOf(arn),
                resourceId: arn,
                region,
                reason: `exempt by tag: ${arn} is tagged ${tagKey}=true, so orgwarden's ${policies.join(" and ")} RCP${policies.length > 1 ? "s do" : " does"} not apply to it`,
              });
            }
          }
        }
      } catch (err) {
        const e = describeAwsError(err, "Resource Groups Tagging API");
        outcomes.push({
          control: "rcp-exempt-resource",
          status: "ERROR",
          resourceType: "AWS::::Account",
          resourceId: account.id,
          region,
          reason: `reading the resources tagged to opt out of orgwarden's RCPs failed in ${region}: ${e.message}${e.hint ? ` (${e.hint})` : ""}`,
        });
      }
    }
    return outcomes;
  };
}

/** The CloudFormation-style type of the resources the RCPs cover; other services by name only. */
const RESOURCE_TYPES: Record<string, string> = {
  s3: "AWS::S3::Bucket",
  sqs: "AWS::SQS::Queue",
  kms: "AWS::KMS::Key",
  secretsmanager: "AWS::SecretsManager::Secret",
  ecr: "AWS::ECR::Repository",
  logs: "AWS::Logs::LogGroup",
};

/** arn:partition:service:region:account:resource → its type. */
function resourceTypeOf(arn: string): string {
  const service = arn.split(":")[2] ?? "";
  return RESOURCE_TYPES[service] ?? `AWS::${service}::Resource`;
}
