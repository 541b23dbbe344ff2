/**
 * One CloudTrail event, read as the request an SCP decides: who called (aws:PrincipalArn), which
 * IAM action, where, and the condition keys the event can show. Access keys are dropped when an
 * event is parsed; what is kept is ARNs, addresses and endpoint ids.
 */

/** Who made the call, as far as SCPs care. */
export type PrincipalKind =
  | "user"
  | "role"
  | "root"
  /** An IAM Identity Center permission set's role (path aws-reserved/sso.amazonaws.com/). */
  | "identity-center-role"
  | "federated-user";

/** A denial the event records, and which kind of policy AWS names in its message. */
export interface RecordedDenial {
  /** As AWS wrote it: AccessDenied, AccessDeniedException, Client.UnauthorizedOperation, … */
  errorCode: string;
  /** explicit: "explicit deny in a …"; implicit: "no … allows"; unknown: the message does not say. */
  kind: "explicit" | "implicit" | "unknown";
  /** The policy type the message names; undefined when it names none. */
  policyType?:
    | "service-control-policy"
    | "resource-control-policy"
    | "identity-based-policy"
    | "resource-based-policy"
    | "permissions-boundary"
    | "session-policy"
    | "vpc-endpoint-policy";
  /** The policy's ARN, when the (enhanced) message names it (arn:aws:organizations::…:policy/o-…/service_control_policy/p-…). */
  policyArn?: string;
  /** The message, at most 500 characters (EC2's encoded message is kept as it is). */
  message: string;
}

export interface ObservedCall {
  eventId: string;
  /** ISO 8601, as CloudTrail wrote eventTime. */
  eventTime: string;
  /** The caller's account (userIdentity.accountId): the account whose SCPs decide. */
  account: string;
  /**
   * aws:PrincipalArn: the role's ARN for a role session (sessionIssuer.arn), a user's ARN, the account
   * root, a federated user's `sts::…:federated-user/NAME`.
   */
  principalArn: string;
  principalKind: PrincipalKind;
  /** The IAM action, `service:Action`. */
  action: string;
  /** aws:RequestedRegion: the event's awsRegion (global services carry us-east-1). */
  region: string;
  /** aws:MultiFactorAuthPresent: true/false from sessionContext.attributes.mfaAuthenticated; undefined (absent) for long-term keys. */
  mfa: boolean | undefined;
  /** aws:AssumedRoot: true for a call in a privileged session from sts:AssumeRoot; absent otherwise. */
  assumedRoot?: true;
  /** aws:SourceIp: only for a call that came over no VPC endpoint, and only an IP address (not a service name). */
  sourceIp?: string;
  /** aws:SourceVpce: vpcEndpointId. */
  sourceVpce?: string;
  /**
   * aws:ViaAWSService: an AWS service made the call for the principal (invokedBy names a service), or
   * the principal made it. When it is open (openKeys), the value the event suggests.
   */
  viaAwsService: boolean;
  /** The service that made the call for the principal (invokedBy), e.g. cloudformation.amazonaws.com. */
  invokedBy?: string;
  /** Keys the request carried (or may have) whose value the event does not show: see OpenKey. */
  openKeys?: readonly OpenKey[];
  /** The first resource ARN of resources[]; `*` when the event names none (see resourceGuessed). */
  resource: string;
  /** True when the event named no resource and `*` stands in for it. */
  resourceGuessed: boolean;
  denial?: RecordedDenial;
}

/**
 * A condition key whose value a request had that its event does not show. A verdict that hangs on
 * it is undetermined (the scp package's requestUnknowns says which values are tried):
 * - aws:SourceVpc: AWS sets it on every request through a VPC endpoint; CloudTrail records the
 *   endpoint (vpcEndpointId) and not its VPC.
 * - aws:ViaAWSService: a service made the call, with the principal's credentials (true) or as its
 *   service role (false), and the event cannot tell which (request-origin.ts).
 * - aws:SourceIp: a service made the call, from an address of its own or with no address at all.
 */
export type OpenKey = "aws:SourceVpc" | "aws:ViaAWSService" | "aws:SourceIp";

/** Why an event is read but not evaluated. Each is counted, none is dropped silently. */
export type SkipReason =
  /** eventSource + eventName map to no IAM action (and no override names one). */
  | "no-action-mapped"
  /**
   * The call needs no permission, so no policy (an SCP included) can deny it: sts:GetCallerIdentity,
   * sts:GetSessionToken (action-overrides.ts cites AWS's pages).
   */
  | "needs-no-permission"
  /** SCPs do not apply to service-linked roles. */
  | "service-linked-role"
  /** An AWS service principal (userIdentity.type AWSService): SCPs do not apply to it. */
  | "aws-service-principal"
  /** SCPs do not affect the management account. */
  | "management-account"
  /** Not an API call an SCP authorizes: a console sign-in, an AWS service event, an Insights event. */
  | "not-an-api-call"
  /** The copy of a cross-account call recorded in the resource's account (the caller's account has its own). */
  | "recorded-for-another-account"
  /** An anonymous or unauthenticated caller (no account): SCPs govern an organization's principals only. */
  | "no-principal"
  /** The record is not a CloudTrail event orgwarden can read (missing fields). */
  | "unreadable";

export const SKIP_REASONS: readonly SkipReason[] = [
  "no-action-mapped",
  "needs-no-permission",
  "service-linked-role",
  "aws-service-principal",
  "management-account",
  "not-an-api-call",
  "recorded-for-another-account",
  "no-principal",
  "unreadable",
];

export type ParsedEvent =
  | { kind: "call"; call: ObservedCall }
  | { kind: "skip"; reason: SkipReason; eventSource?: string; eventName?: string };

export interface ParseOptions {
  /** Events of this account are counted as "management-account" and not evaluated. */
  managementAccountId?: string;
}
