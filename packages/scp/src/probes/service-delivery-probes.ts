import { ELB_LOG_DELIVERY_SERVICE, elbLogDelivery } from "./elb-log-delivery.js";
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
import type { ResourceProbeFamily, ResourceProbeRow } from "./resource-probe-table.js";

/**
 * AWS services delivering logs into a member account's bucket (the log archive) with their service
 * principal, for a resource of the organization (they pass) or of a foreign account (confused-deputy
 * denies them). Each service's page says which principal it uses and which keys it sends; a probe
 * blocks only where the page documents both.
 */
export const serviceDeliveries: ResourceProbeFamily = {
  name: "AWS services delivering to the log archive",
  templates: [DEPUTY],
  rows: (c) => [
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
    ...c.setting.regions.flatMap((region) => elbDeliveryRow(region)),
  ],
};

/**
 * Elastic Load Balancing writing access logs into the log archive in each Region orgwarden works in:
 * as its own account where AWS's page lists one (a principal outside the organization: trust it,
 * or identity-perimeter denies it; advisory, as orgwarden cannot tell whether load balancers log
 * there), else as its service principal, which sends no source keys and must pass. A Region the page
 * says nothing of (China) is named in the plan's notes instead.
 */
function elbDeliveryRow(region: string): ResourceProbeRow[] {
  const writer = elbLogDelivery(region);
  const object = `${LOG_BUCKET}/AWSLogs/\${Account}/elasticloadbalancing/${region}/log.gz`;
  if (writer.kind === "account") {
    return [
      {
        id: `elb-account-delivery-${region}`,
        label: `Elastic Load Balancing's account ${writer.account} (${region}) writing access logs: trust it (--trusted-account ${writer.account}) where load balancers log to the bucket`,
        caller: (c) => outsider(writer.account, undefined, c),
        actions: [["s3:PutObject", object]],
        expect: "ANY",
        strictness: "advisory",
        when: (c) => c.inEffect(IDENTITY),
      },
    ];
  }
  if (writer.kind === "service") {
    return [
      {
        id: `elb-service-delivery-${region}`,
        label: `Elastic Load Balancing (${ELB_LOG_DELIVERY_SERVICE}, ${region}) writing access logs, with no source keys`,
        caller: () => ({
          kind: "service",
          service: ELB_LOG_DELIVERY_SERVICE,
          sourceAccount: undefined,
          sourceOrgId: undefined,
          sourceArn: undefined,
        }),
        actions: [["s3:PutObject", object]],
        expect: "ALLOW",
        strictness: "managed",
      },
    ];
  }
  return [];
}
