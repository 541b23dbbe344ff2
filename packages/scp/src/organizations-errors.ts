import { describeAwsError, isAwsError, OrgwardenError } from "@orgwarden/core";
import { type PolicyKind, SCP_KIND } from "./policy-kind.js";

type ConstraintMessage = { code: "QUOTA_EXCEEDED" | "REFUSED"; message: string; hint: string };

/** What each ConstraintViolationException reason means for a policy of the kind. */
function constraintMessages(kind: PolicyKind): Record<string, ConstraintMessage> {
  const one = kind.short;
  const many = kind.many;
  const config = kind.family === "rcp" ? "rcpQuotas" : "quotas";
  // Management types take no quota flags: their figures come from Service Quotas or the catalogue.
  const configurable = kind.category === "authorization";
  return {
    MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED: {
      code: "QUOTA_EXCEEDED",
      message: `the target already has the most ${many} AWS allows to attach directly`,
      hint: configurable
        ? `Detach an ${one} from the target, or if Service Quotas shows a higher limit, raise --max-${kind.family}s-per-target (${config}.maxPoliciesPerTarget in the config file).`
        : `Detach ${many} you no longer need from the target, or attach to a parent OU instead.`,
    },
    MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED: {
      code: "REFUSED",
      message: `detaching would leave the target with no ${one} at all`,
      hint: `Every root, OU and account keeps at least one ${one} (usually ${kind.fullAccess}).`,
    },
    POLICY_CONTENT_LIMIT_EXCEEDED: {
      code: "QUOTA_EXCEEDED",
      message: "the policy is larger than AWS allows",
      hint: configurable
        ? `Shorten the policy, or lower --max-${kind.family}-size (${config}.maxPolicySize in the config file) so the plan catches it before upload.`
        : "Shorten the exception message, the policy's only free text.",
    },
    POLICY_NUMBER_LIMIT_EXCEEDED: {
      code: "QUOTA_EXCEEDED",
      message: `the organization has the most ${many} it may have`,
      hint: `Delete unused ${many} or request a quota increase.`,
    },
    ORGANIZATION_NOT_IN_ALL_FEATURES_MODE: {
      code: "REFUSED",
      message: `the organization does not have all features enabled, so it cannot use ${many}`,
      hint: "Enable all features in AWS Organizations first.",
    },
  };
}

/**
 * Maps an error from an Organizations write to what the user should do. ConstraintViolationException
 * reasons become plain messages; the plan checks quotas first, this catches limits AWS changed.
 */
export function describeOrganizationsWriteError(
  err: unknown,
  doing: string,
  kind: PolicyKind = SCP_KIND,
): OrgwardenError {
  if (err instanceof OrgwardenError) return err;
  if (isAwsError(err, "ConstraintViolationException")) {
    const known = err.Reason ? constraintMessages(kind)[err.Reason] : undefined;
    if (known) {
      return new OrgwardenError(known.code, `${doing}: ${known.message} (${err.Reason})`, {
        hint: known.hint,
        cause: err,
      });
    }
  }
  if (
    isAwsError(
      err,
      "TargetNotFoundException",
      "OrganizationalUnitNotFoundException",
      "AccountNotFoundException",
    )
  ) {
    return new OrgwardenError("NOT_FOUND", `${doing}: the target no longer exists`, {
      hint: "It was moved or deleted since the plan was made; run the command again.",
      cause: err,
    });
  }
  if (isAwsError(err, "MalformedPolicyDocumentException")) {
    return new OrgwardenError("INVALID_INPUT", `${doing}: AWS rejected the policy document: ${err.message}`, {
      hint:
        kind.category === "authorization"
          ? `Check the policy file in ${kind.family}/ (\`orgwarden ${kind.family} show NAME\`).`
          : `See what orgwarden renders with \`orgwarden ${kind.family} show\` and the same flags.`,
      cause: err,
    });
  }
  if (isAwsError(err, "PolicyTypeNotEnabledException")) {
    return new OrgwardenError("REFUSED", `${doing}: ${kind.many} are not enabled in this organization`, {
      hint: `Run apply-${kind.family} again: its plan enables the ${kind.type} type first.`,
      cause: err,
    });
  }
  if (isAwsError(err, "PolicyTypeNotAvailableForOrganizationException")) {
    return new OrgwardenError("REFUSED", `${doing}: ${kind.many} are not available for this organization`, {
      hint: "Enable all features in AWS Organizations.",
      cause: err,
    });
  }
  const described = describeAwsError(err, "Organizations");
  return new OrgwardenError(described.code, `${doing}: ${described.message}`, {
    ...(described.hint ? { hint: described.hint } : {}),
    cause: err,
    ...(described.details ? { details: described.details } : {}),
  });
}

const RETRYABLE = ["ConcurrentModificationException", "PolicyChangesInProgressException"];

/**
 * Retries what the SDK does not: Organizations' ConcurrentModificationException ("another request
 * is already in progress") and PolicyChangesInProgressException, with jittered back-off.
 */
export async function retryOrganizationsWrite<T>(
  fn: () => Promise<T>,
  options: { attempts?: number; baseDelayMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  const base = options.baseDelayMs ?? 500;
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isAwsError(err, ...RETRYABLE)) throw err;
      const delay = Math.min(10_000, base * 2 ** (i - 1)) * (0.5 + Math.random() / 2);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
