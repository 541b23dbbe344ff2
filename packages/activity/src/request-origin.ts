import type { ObservedCall, OpenKey, PrincipalKind } from "./observed-call.js";
import { type Fields, textOf } from "./record-fields.js";

const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const IPV6 = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/;
const SERVICE_HOST = ".amazonaws.com";
/** "For events originated by AWS, this field is usually AWS Internal/#" (record contents page). */
const AWS_INTERNAL = "AWS Internal";
/**
 * Hosts that appear in invokedBy for a principal's own console session: the principal called, no
 * service called for it, so aws:ViaAWSService stays false.
 */
const CONSOLE_HOSTS: ReadonlySet<string> = new Set(["signin.amazonaws.com", "console.amazonaws.com"]);

/**
 * Principals no service can use as its service role: a service role is a role a service assumes,
 * and an Identity Center permission set's role trusts only Identity Center's SAML provider.
 */
const NO_SERVICE_ROLE: ReadonlySet<PrincipalKind> = new Set([
  "user",
  "root",
  "federated-user",
  "identity-center-role",
]);

/** Every subset of the open keys once, in this order, by its bits: calls share these arrays. */
const OPEN_KEYS: readonly OpenKey[] = ["aws:SourceVpc", "aws:ViaAWSService", "aws:SourceIp"];
const OPEN_SUBSETS: ReadonlyArray<readonly OpenKey[]> = Array.from(
  { length: 1 << OPEN_KEYS.length },
  (_, bits) => OPEN_KEYS.filter((_, i) => bits & (1 << i)),
);

export type RequestOrigin = Pick<
  ObservedCall,
  "sourceIp" | "sourceVpce" | "viaAwsService" | "invokedBy" | "openKeys"
>;

/**
 * Where a call came from, as the keys an SCP can test
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
 * - aws:SourceIp: sourceIPAddress when it is an address and the call came over no VPC endpoint (over
 *   an endpoint the key is absent and sourceIPAddress holds the private address).
 * - aws:SourceVpce: vpcEndpointId. aws:SourceVpc: AWS sets it on every request through an endpoint
 *   ("included in the request context only if the requester uses a VPC endpoint", #condition-keys-sourcevpc)
 *   but no field of a CloudTrail record names the VPC (vpcEndpointAccountId is the endpoint owner's
 *   account): the key is open, present with a value the event does not show.
 * - A call an AWS service made: userIdentity.invokedBy or sourceIPAddress names the service
 *   (cloudformation.amazonaws.com: "For services in AWS, only the DNS name is displayed"), or
 *   sourceIPAddress is "AWS Internal"
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
 *   CloudTrail writes invokedBy alike for a forward access session (the service calling with the
 *   principal's credentials), a service role and a service-linked role
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html).
 *   aws:ViaAWSService is true for the first and false for a service role (#condition-keys-viaawsservice):
 *   so it is open, except when the principal cannot be a service role (NO_SERVICE_ROLE: an IAM
 *   user, the root user, a federated user, an Identity Center role), where it is true. aws:SourceIp is
 *   open either way: the service calls from its own address, which a policy's ranges do not hold
 *   ("this policy denies access if an AWS service makes calls on the principal's behalf", #condition-keys-sourceip),
 *   or without the key. Service-linked roles never get here (SCPs do not apply to them).
 * The calls with no service in between read as they do: aws:ViaAWSService false.
 */
export function readRequestOrigin(record: Fields, identity: Fields, principal: PrincipalKind): RequestOrigin {
  const address = textOf(record.sourceIPAddress);
  const endpoint = textOf(record.vpcEndpointId);
  const origin: RequestOrigin = { viaAwsService: false };
  const isAddress = address !== undefined && (IPV4.test(address) || IPV6.test(address));
  let open = 0;
  if (isAddress && endpoint === undefined) origin.sourceIp = address;
  if (endpoint !== undefined) {
    origin.sourceVpce = endpoint;
    open |= 1;
  }
  const invokedBy = serviceOf(textOf(identity.invokedBy)) ?? (isAddress ? undefined : serviceOf(address));
  if (invokedBy !== undefined) {
    origin.viaAwsService = true;
    origin.invokedBy = invokedBy;
  }
  if (invokedBy !== undefined || address?.startsWith(AWS_INTERNAL)) {
    if (NO_SERVICE_ROLE.has(principal)) origin.viaAwsService = true;
    else open |= 2;
    if (endpoint === undefined) open |= 4;
  }
  if (open !== 0) origin.openKeys = OPEN_SUBSETS[open];
  return origin;
}

/** An AWS service's DNS name; not "AWS Internal", not the console's own hosts. */
function serviceOf(name: string | undefined): string | undefined {
  return name?.endsWith(SERVICE_HOST) && !CONSOLE_HOSTS.has(name) ? name : undefined;
}
