import type { ObservedCall, OpenKey } from "./observed-call.js";
import { type Fields, textOf } from "./record-fields.js";

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;
const SERVICE_HOST = ".amazonaws.com";
/**
 * Hosts that appear in invokedBy for a principal's own console session: the principal called, no
 * service called for it, so aws:ViaAWSService stays false.
 */
const CONSOLE_HOSTS: ReadonlySet<string> = new Set(["signin.amazonaws.com", "console.amazonaws.com"]);

export type RequestOrigin = Pick<
  ObservedCall,
  "sourceIp" | "sourceVpce" | "viaAwsService" | "invokedBy" | "openKeys"
>;

/** Over a VPC endpoint, aws:SourceVpc is in the request and its value not in the record. */
const OVER_ENDPOINT: readonly OpenKey[] = ["aws:SourceVpc"];

/**
 * Where a call came from, as the keys an SCP can test
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * - aws:SourceIp: sourceIPAddress when it is an address and the call came over no VPC endpoint (over
 *   an endpoint the key is absent and sourceIPAddress holds the private address). For a call an AWS
 *   service made, CloudTrail writes the service's DNS name there instead ("For services in AWS, only
 *   the DNS name is displayed",
 *   https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 * - aws:SourceVpce: vpcEndpointId. aws:SourceVpc: AWS sets it on every request through an endpoint
 *   ("included in the request context only if the requester uses a VPC endpoint", #condition-keys-sourcevpc)
 *   but no field of a CloudTrail record names the VPC (vpcEndpointAccountId is the endpoint owner's
 *   account): the key is open, present with a value the event does not show.
 * - aws:ViaAWSService: a service made the call with the principal's credentials: userIdentity.invokedBy
 *   or sourceIPAddress names the service (cloudformation.amazonaws.com).
 */
export function readRequestOrigin(record: Fields, identity: Fields): RequestOrigin {
  const address = textOf(record.sourceIPAddress);
  const endpoint = textOf(record.vpcEndpointId);
  const origin: RequestOrigin = { viaAwsService: false };
  const isAddress = address !== undefined && (IPV4.test(address) || IPV6.test(address));
  if (isAddress && endpoint === undefined) origin.sourceIp = address;
  if (endpoint !== undefined) {
    origin.sourceVpce = endpoint;
    origin.openKeys = OVER_ENDPOINT;
  }
  const invokedBy = serviceOf(textOf(identity.invokedBy)) ?? (isAddress ? undefined : serviceOf(address));
  if (invokedBy !== undefined) {
    origin.viaAwsService = true;
    origin.invokedBy = invokedBy;
  }
  return origin;
}

/** An AWS service's DNS name; not "AWS Internal", not the console's own hosts. */
function serviceOf(name: string | undefined): string | undefined {
  return name?.endsWith(SERVICE_HOST) && !CONSOLE_HOSTS.has(name) ? name : undefined;
}
