import { parametersFromTags } from "../render-policy.js";
import type { DeclarativeParameter } from "./declarative-parameters.js";
import type { DeclarativePolicyType, RenderedDeclarativePolicy } from "./declarative-variant.js";
import {
  EC2_POLICY_NAME,
  EC2_POLICY_PARAMETERS,
  renderEc2DeclarativePolicy,
} from "./ec2-declarative-policy.js";
import { renderS3Policy, S3_POLICY_NAME, S3_POLICY_PARAMETERS } from "./s3-policy.js";

/** What orgwarden knows of a declarative policy type it writes: one entry per type, one renderer each. */
export interface DeclarativePolicyKind {
  type: DeclarativePolicyType;
  /** The family name: orgwarden-<name>-<variant>. */
  name: string;
  parameters: readonly DeclarativeParameter[];
  /** Parameter set → policy; refuses (INVALID_INPUT) unknown settings and values AWS does not allow. */
  render: (input: Readonly<Record<string, unknown>>) => RenderedDeclarativePolicy;
  /**
   * Whom the policy reaches, for plans: unlike SCPs and RCPs, these policies set the account's own
   * configuration of a service, so they apply in the management account too and to every caller,
   * service-linked roles included. AWS's policy type table: "Affects management account: Yes".
   * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies.html
   */
  reach: string;
  /** AWS's page for the type. */
  page: string;
}

const PAGES = "https://docs.aws.amazon.com/organizations/latest/userguide";

export const DECLARATIVE_POLICY_KINDS: Readonly<Record<DeclarativePolicyType, DeclarativePolicyKind>> = {
  S3_POLICY: {
    type: "S3_POLICY",
    name: S3_POLICY_NAME,
    parameters: S3_POLICY_PARAMETERS,
    render: renderS3Policy,
    reach:
      "an S3 policy sets S3 Block Public Access of every account in scope, the management account included, whoever calls (service-linked roles too): account administrators can no longer change it, and detaching it brings back each account's previous settings",
    page: `${PAGES}/orgs_manage_policies_s3.html`,
  },
  DECLARATIVE_POLICY_EC2: {
    type: "DECLARATIVE_POLICY_EC2",
    name: EC2_POLICY_NAME,
    parameters: EC2_POLICY_PARAMETERS,
    render: renderEc2DeclarativePolicy,
    reach:
      "a declarative policy sets EC2's account attributes in every account and region in scope, the management account included, whoever calls (service-linked roles too): calls that do not comply fail, and account administrators cannot change an attribute it sets",
    page: `${PAGES}/orgs_manage_policies_declarative.html`,
  },
};

/** Whether a policy type is one orgwarden renders from a parameter set. */
export function isDeclarativePolicyType(type: string): type is DeclarativePolicyType {
  return type in DECLARATIVE_POLICY_KINDS;
}

/** The policy of a parameter set of a type (the apply commands' one entry point). */
export function renderDeclarativePolicy(
  type: DeclarativePolicyType,
  input: Readonly<Record<string, unknown>>,
): RenderedDeclarativePolicy {
  return DECLARATIVE_POLICY_KINDS[type].render(input);
}

/**
 * The policy orgwarden would write for the parameter set stored in an attached policy's tags: its
 * content compared with the attached one is the drift `status` reports. Undefined when the tags hold
 * no set, or one that no longer renders (a value AWS dropped): such a policy is orgwarden's by its
 * managed tag but cannot be judged.
 */
export function declarativePolicyFromTags(
  type: DeclarativePolicyType,
  tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }>,
): RenderedDeclarativePolicy | undefined {
  const parameters = parametersFromTags(tags);
  if (!parameters) return undefined;
  try {
    return renderDeclarativePolicy(type, parameters);
  } catch {
    return undefined;
  }
}
