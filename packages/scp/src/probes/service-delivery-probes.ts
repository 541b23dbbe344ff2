import {
  DEPUTY,
  deniedUnder,
  FOREIGN_ACCOUNT,
  IDENTITY,
  LOG_BUCKET,
  outsider,
  recorderArn,
  service,
  trailArn,
} from "./resource-callers.js";
import type { ResourceProbeFamily } from "./resource-probe-table.js";

/**
 * AWS services delivering logs into a member account's bucket (the log archive) with their service
 * principal, for a resource of the organization (they pass) or of a foreign account (confused-deputy
 * denies them). Each service's page says which principal it uses and which keys it sends; a probe
 * blocks only where the page documents both.
 */
export const serviceDeliveries: ResourceProbeFamily = {
  name: "AWS services delivering to the log archive",
  templates: [DEPUTY],
  rows: [
    {
      // cloudtrail.amazonaws.com, with aws:SourceArn and aws:SourceAccount in the bucket policy:
      // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
      id: "cloudtrail-delivery",
      label: "CloudTrail (cloudtrail.amazonaws.com) delivering the organization's trail logs",
      caller: service("cloudtrail.amazonaws.com", trailArn, false),
      actions: [
        ["s3:GetBucketAcl", LOG_BUCKET],
        ["s3:PutObject", `${LOG_BUCKET}/AWSLogs/\${Account}/CloudTrail/log.json.gz`],
      ],
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      // config.amazonaws.com, with aws:SourceAccount in the bucket policy:
      // https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
      id: "config-delivery",
      label: "AWS Config (config.amazonaws.com) delivering configuration snapshots",
      caller: service("config.amazonaws.com", recorderArn, false),
      actions: [
        ["s3:GetBucketAcl", LOG_BUCKET],
        ["s3:ListBucket", LOG_BUCKET],
        ["s3:PutObject", `${LOG_BUCKET}/AWSLogs/\${Account}/Config/snapshot.json.gz`],
      ],
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "foreign-cloudtrail-delivery",
      label: `CloudTrail delivering a trail of account ${FOREIGN_ACCOUNT}, outside the organization, into the bucket`,
      caller: service("cloudtrail.amazonaws.com", trailArn, true),
      actions: [["s3:PutObject", `${LOG_BUCKET}/AWSLogs/${FOREIGN_ACCOUNT}/CloudTrail/log.json.gz`]],
      expect: deniedUnder(DEPUTY),
      strictness: "managed",
    },
    {
      id: "foreign-config-delivery",
      label: `AWS Config delivering for account ${FOREIGN_ACCOUNT}, outside the organization, into the bucket`,
      caller: service("config.amazonaws.com", recorderArn, true),
      actions: [["s3:PutObject", `${LOG_BUCKET}/AWSLogs/${FOREIGN_ACCOUNT}/Config/snapshot.json.gz`]],
      expect: deniedUnder(DEPUTY),
      strictness: "managed",
    },
    {
      // In Regions opened before August 2022 ELB writes access logs as an AWS account of its own
      // (127311923021 in us-east-1), in the others as logdelivery.elasticloadbalancing.amazonaws.com:
      // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
      id: "elb-account-delivery",
      label:
        "Elastic Load Balancing's account 127311923021 (us-east-1) writing access logs: trust it (--trusted-account) where ELB delivers as an account",
      caller: (c) => outsider("127311923021", undefined, c),
      actions: [["s3:PutObject", `${LOG_BUCKET}/AWSLogs/\${Account}/elasticloadbalancing/log.gz`]],
      expect: "ANY",
      strictness: "advisory",
      when: (c) => c.inEffect(IDENTITY),
    },
  ],
};
