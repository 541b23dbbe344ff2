import { ADMIN_ACTIONS, WORKLOAD_ACTIONS } from "./probe-actions.js";
import { tableFamily } from "./probe-table.js";

/**
 * Workloads and people signed in through Identity Center, from inside the allowed network: no
 * library policy may stop them doing their work, whichever is in effect.
 */
export const workloadProbes = tableFamily(
  "workloads and Identity Center sessions",
  [],
  [
    {
      id: "workload-role",
      label: "a workload role session without MFA",
      principal: "workload-role",
      actions: WORKLOAD_ACTIONS,
      mfa: "false",
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "workload-vpc-endpoint",
      label: "a workload role session through a VPC endpoint (no aws:SourceIp)",
      principal: "workload-role",
      actions: WORKLOAD_ACTIONS,
      mfa: "false",
      networks: ["vpc-endpoint"],
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "sso-session",
      label: "an Identity Center (SSO) session",
      principal: "sso-session",
      // s3:ListAllMyBuckets and ec2:DescribeInstances: a read-only permission set.
      actions: ADMIN_ACTIONS.slice(1, 3),
      mfa: "false",
      expect: "ALLOW",
      strictness: "managed",
    },
  ],
);
