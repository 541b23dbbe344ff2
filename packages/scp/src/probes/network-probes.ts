import { PROBE_SOURCE_IP } from "./probe.js";
import { WORKLOAD_ACTIONS } from "./probe-actions.js";
import { type ProbeContext, tableFamily } from "./probe-table.js";

const RESTRICT_SOURCE_IP = "scp/restrict-source-ip";
const restricted = (c: ProbeContext<typeof RESTRICT_SOURCE_IP>) => c.inEffect(RESTRICT_SOURCE_IP);
const TEMPLATE_OBJECT = "arn:${Partition}:s3:::app-templates/template.yaml";

/**
 * Under restrict-source-ip: who must pass although the request comes from outside the allowed
 * ranges (a service role tagged as exempt, a service acting for the caller), who must not (anyone
 * from outside, an endpoint of another VPC), and who may not hand out the exempt tag.
 */
export const networkProbes = tableFamily(
  "the allowed networks",
  [RESTRICT_SOURCE_IP],
  [
    {
      id: "cloudformation-service-role",
      label: (c) =>
        `a CloudFormation service role tagged ${c.params.NetworkExemptTagKey}=true, called from CloudFormation's address`,
      principal: "cloudformation-service-role",
      actions: [
        ["ec2:DescribeInstances", "*"],
        ["s3:GetObject", TEMPLATE_OBJECT],
      ],
      mfa: "absent",
      networks: ["service"],
      keys: (c) => ({ [`aws:PrincipalTag/${c.params.NetworkExemptTagKey}`]: "true" }),
      expect: "ALLOW",
      strictness: "managed",
      when: restricted,
    },
    {
      id: "via-aws-service",
      label:
        "an AWS service acting with the caller's credentials (aws:ViaAWSService, from the service's address)",
      principal: "iam-user",
      actions: [["s3:GetObject", TEMPLATE_OBJECT]],
      mfa: "true",
      networks: ["service"],
      keys: { "aws:ViaAWSService": "true", "aws:CalledVia": ["cloudformation.amazonaws.com"] },
      expect: "ALLOW",
      strictness: "managed",
      when: restricted,
    },
    {
      id: "member-admin-sets-network-exempt-tag",
      label: (c) =>
        `a member-account administrator setting ${c.params.NetworkExemptTagKey} on a role or session`,
      principal: "member-admin",
      actions: [
        ["iam:TagRole", "arn:${Partition}:iam::${Account}:role/app-workload"],
        ["sts:TagSession", "arn:${Partition}:iam::${Account}:role/app-workload"],
      ],
      mfa: "false",
      // Tag keys are case-insensitive in IAM: a differently cased key must be caught too.
      keys: (c) => ({ "aws:TagKeys": [c.params.NetworkExemptTagKey.toUpperCase()] }),
      expect: "DENY",
      strictness: "managed",
      when: restricted,
    },
    {
      id: "user-inside-ipv6",
      label: "IAM user with MFA from inside an allowed IPv6 range",
      principal: "iam-user",
      actions: [["s3:ListAllMyBuckets", "*"]],
      mfa: "true",
      networks: ["inside-v6"],
      expect: "ALLOW",
      strictness: "managed",
      when: (c) => restricted(c) && c.params.AllowedCidrs.some((cidr) => cidr.includes(":")),
    },
    {
      id: "other-vpc-endpoint",
      label: "a role session through a VPC endpoint of a VPC not in the allow-list",
      principal: "workload-role",
      actions: WORKLOAD_ACTIONS,
      mfa: "false",
      networks: ["other-vpc-endpoint"],
      expect: "DENY",
      strictness: "managed",
      when: (c) => restricted(c) && c.params.HasAllowedVpcs,
    },
    {
      id: "user-outside-network",
      label: `IAM user with MFA from outside the allowed networks (${PROBE_SOURCE_IP})`,
      principal: "iam-user",
      actions: [["s3:ListAllMyBuckets", "*"]],
      mfa: "true",
      networks: ["outside"],
      expect: "DENY",
      strictness: "managed",
      when: restricted,
    },
  ],
);
