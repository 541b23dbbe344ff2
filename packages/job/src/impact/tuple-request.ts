import type { CallTuple } from "@orgwarden/activity";
import {
  type ContextOverride,
  type ProbeRequest,
  type RequestSetting,
  simulatedRequest,
  UNRECORDED_VPC,
} from "@orgwarden/scp";

/** The organization a request is made in: its id, partition and each account's aws:ResourceOrgPaths. */
export interface OrganizationSetting {
  organizationId: string;
  partition: string;
  orgPathOf: RequestSetting["orgPathOf"];
}

/**
 * The request an SCP sees for a recorded call: the principal's and resource's keys as orgwarden
 * derives them for any request in the organization (see simulatedRequest), then what the event
 * recorded — whether a service made the call, MFA (absent for long-term keys), the caller's
 * address or VPC endpoint (and a VPC no policy names). Tags and every other key events cannot show
 * are absent here; judgeChange tells whether a verdict hangs on them or on the open keys' values.
 */
export function tupleRequest(
  tuple: CallTuple,
  org: OrganizationSetting,
  principalTags: Readonly<Record<string, string>> = {},
): ProbeRequest {
  const overrides: ContextOverride[] = [
    { key: "aws:ViaAWSService", value: tuple.viaAwsService ? "true" : "false" },
  ];
  if (tuple.mfa !== undefined) {
    overrides.push({ key: "aws:MultiFactorAuthPresent", value: tuple.mfa ? "true" : "false" });
  }
  if (tuple.assumedRoot) overrides.push({ key: "aws:AssumedRoot", value: "true" });
  if (tuple.sourceIp) overrides.push({ key: "aws:SourceIp", value: tuple.sourceIp });
  if (tuple.sourceVpce) overrides.push({ key: "aws:SourceVpce", value: tuple.sourceVpce });
  // Over an endpoint the request names a VPC the event does not: judgeChange tries those the policies name.
  if (tuple.openKeys?.includes("aws:SourceVpc"))
    overrides.push({ key: "aws:SourceVpc", value: UNRECORDED_VPC });
  for (const [k, v] of Object.entries(principalTags))
    overrides.push({ key: `aws:PrincipalTag/${k}`, value: v });
  return simulatedRequest(
    {
      principal: tuple.principalArn,
      action: tuple.action,
      resource: tuple.resource,
      region: tuple.region,
      partition: org.partition,
      overrides,
    },
    { organizationId: org.organizationId, account: tuple.account, orgPathOf: org.orgPathOf },
  ).request;
}
