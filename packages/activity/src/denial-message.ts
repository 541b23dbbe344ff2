import type { RecordedDenial } from "./observed-call.js";

/**
 * The errorCode values AWS gives an authorization failure: AccessDenied (S3, IAM, STS and the other
 * query and REST XML APIs), AccessDeniedException (the JSON APIs), Client.UnauthorizedOperation (EC2
 * as CloudTrail records it; UnauthorizedOperation in EC2's own responses,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html), AuthorizationError
 * (SNS, https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html) and Forbidden (HTTP 403 by name).
 * A code outside this list still counts when its message uses IAM's wording (below): services spell
 * their codes their own way, but the message comes from IAM's evaluation.
 */
const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "Client.UnauthorizedOperation",
  "UnauthorizedOperation",
  "AuthorizationError",
  "Forbidden",
]);

type PolicyType = NonNullable<RecordedDenial["policyType"]>;

/**
 * How IAM names a policy type in "User: … is not authorized to perform: … with an explicit deny in a
 * <type>" and "… because no <type> allows the … action"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html; S3 writes the
 * same clauses, https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html).
 * Matched on the lower-cased message: AWS's own examples capitalise "Service Control Policy" in places.
 * IAM's page spells the session policy's explicit form "a sessions policy"; the role trust policy is a
 * resource-based policy (the role's).
 */
const POLICY_TYPES: ReadonlyArray<readonly [string, PolicyType]> = [
  ["service control policy", "service-control-policy"],
  ["resource control policy", "resource-control-policy"],
  ["identity-based policy", "identity-based-policy"],
  ["resource-based policy", "resource-based-policy"],
  ["role trust policy", "resource-based-policy"],
  ["permissions boundary", "permissions-boundary"],
  ["sessions policy", "session-policy"],
  ["session policy", "session-policy"],
  ["vpc endpoint policy", "vpc-endpoint-policy"],
];

/**
 * "with an explicit deny in a …"; IAM's older note quotes "due to an explicit deny in a Service Control
 * Policy" and says SCP denials used that phrase even when implicit. The kind is what the message says.
 */
const EXPLICIT = "explicit deny in ";
const IMPLICIT = "because no ";
/**
 * "with an explicit deny in a VPC endpoint policy transitively through a service control policy":
 * the SCP denied a request that came through the endpoint (IAM's page: "check for an explicit Deny
 * statement … in your SCPs"), so the SCP is the policy that decided.
 */
const TRANSITIVELY = "transitively through ";
/**
 * The denying policy's ARN, which AWS's enhanced messages append for same-account and
 * same-organization requests: `…: arn:aws:organizations::<management>:policy/o-…/service_control_policy/p-…`,
 * an IAM policy's `arn:aws:iam::<account>:policy/…`
 * (https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns/).
 */
const POLICY_ARN = /arn:aws[a-z-]*:(?:organizations|iam)::(?:\d{12}|aws):policy\/[^\s,;"')]+/;
/**
 * EC2's denials carry "Encoded authorization failure message: …": what it says (the policy, the
 * statement) needs sts:DecodeAuthorizationMessage, which orgwarden does not call while reading
 * activity, so such a denial has the kind and type its plain text states, else "unknown". The encoded
 * part is kept whole so a user can decode it.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
 */
const ENCODED = "encoded authorization failure message";
const ARTICLE = /^(?:an?|the) /;
const TRAILING_DOT = /\.$/;
const MESSAGE_LIMIT = 500;

/** The denial an event records, or undefined when its error is not an authorization failure. */
export function parseDenial(errorCode: string, errorMessage: string | undefined): RecordedDenial | undefined {
  const message = errorMessage ?? "";
  const lower = message.toLowerCase();
  const explicitAt = lower.indexOf(EXPLICIT);
  const implicitAt = explicitAt < 0 ? lower.indexOf(IMPLICIT) : -1;
  let kind: RecordedDenial["kind"] = "unknown";
  let policyType: PolicyType | undefined;
  if (explicitAt >= 0) {
    const transitiveAt = lower.indexOf(TRANSITIVELY, explicitAt);
    policyType = policyTypeAt(
      lower,
      transitiveAt >= 0 ? transitiveAt + TRANSITIVELY.length : explicitAt + EXPLICIT.length,
    );
    if (policyType) kind = "explicit";
  } else if (implicitAt >= 0) {
    const type = policyTypeAt(lower, implicitAt + IMPLICIT.length);
    if (type && lower.includes(" allows", implicitAt)) {
      policyType = type;
      kind = "implicit";
    }
  }
  if (kind === "unknown" && !ACCESS_DENIED_CODES.has(errorCode)) return undefined;
  const denial: RecordedDenial = {
    errorCode,
    kind,
    message: lower.includes(ENCODED) ? message : message.slice(0, MESSAGE_LIMIT),
  };
  if (policyType) denial.policyType = policyType;
  const arn = policyType ? POLICY_ARN.exec(message)?.[0] : undefined;
  if (arn) denial.policyArn = arn.replace(TRAILING_DOT, "");
  return denial;
}

/** The policy type named right after `at` ("a service control policy", "an identity-based policy", "the role trust policy"). */
function policyTypeAt(lower: string, at: number): PolicyType | undefined {
  const rest = lower.slice(at, at + 60).replace(ARTICLE, "");
  for (const [phrase, type] of POLICY_TYPES) if (rest.startsWith(phrase)) return type;
  return undefined;
}
