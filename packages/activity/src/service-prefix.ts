/**
 * The IAM service prefix of a CloudTrail eventSource. Mostly the host label (`ec2.amazonaws.com` →
 * `ec2`); these are the reviewed exceptions, each with the page that shows the eventSource and the
 * one that names the prefix. Checked and not needed: `elasticloadbalancing`, `es`, `ecr` and `ses`
 * record their prefix as their host label (SES's records say `ses.amazonaws.com`, not its endpoint's
 * `email`), so the default rule maps them.
 */
const PREFIX_EXCEPTIONS: ReadonlyMap<string, { prefix: string; source: string }> = new Map(
  Object.entries({
    // "the eventSource for Amazon CloudWatch is monitoring.amazonaws.com"
    monitoring: {
      prefix: "cloudwatch",
      source:
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html; https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html",
    },
    // The Resource Groups Tagging API records as tagging.amazonaws.com; its actions are tag:*.
    tagging: {
      prefix: "tag",
      source:
        "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-tagging.html; https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonresourcegrouptaggingapi.html",
    },
    // Amazon Pinpoint records as pinpoint.amazonaws.com; its actions are mobiletargeting:*.
    pinpoint: {
      prefix: "mobiletargeting",
      source:
        "https://docs.aws.amazon.com/pinpoint/latest/developerguide/logging-using-cloudtrail.html; https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonpinpoint.html",
    },
    // Cloud Control API records as cloudcontrolapi.amazonaws.com; its actions are cloudformation:*Resource*.
    cloudcontrolapi: {
      prefix: "cloudformation",
      source:
        "https://docs.aws.amazon.com/cloudcontrolapi/latest/userguide/logging-using-cloudtrail.html; https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html",
    },
  }),
);

const SUFFIX = ".amazonaws.com";

export function servicePrefixOf(eventSource: string): string {
  const label = eventSource.endsWith(SUFFIX) ? eventSource.slice(0, -SUFFIX.length) : eventSource;
  return PREFIX_EXCEPTIONS.get(label)?.prefix ?? label;
}
