import { OrgwardenError } from "@orgwarden/core";
import {
  assignDocument,
  checkDeclarativeParameters,
  type DeclarativeParameter,
} from "./declarative-parameters.js";
import { declarativeVariant, type RenderedDeclarativePolicy } from "./declarative-variant.js";

/**
 * S3 organization-level Block Public Access (the S3_POLICY type). Its one setting is
 * `s3_attributes.public_access_block_configuration`: `all` turns on the four Block Public Access
 * settings of every account in scope together (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,
 * RestrictPublicBuckets), `none` turns them off; they cannot be set one by one. While a policy
 * applies, the account's own settings cannot be changed; when it goes, the account's previous
 * settings come back. S3 policies affect the management account too.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3_syntax.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3.html
 */
export const S3_POLICY_NAME = "s3-bpa";

const TOP_KEY = "s3_attributes";

export const S3_POLICY_PARAMETERS: readonly DeclarativeParameter[] = [
  {
    name: "BlockPublicAccess",
    flag: "--block-public-access",
    path: ["public_access_block_configuration"],
    describes:
      "S3 Block Public Access of every account in scope (all: its four settings on together; none: off)",
    values: ["all", "none"],
  },
];

/** The S3 policy of a parameter set, e.g. `{ BlockPublicAccess: "all" }`. */
export function renderS3Policy(input: Readonly<Record<string, unknown>>): RenderedDeclarativePolicy {
  const parameters = checkDeclarativeParameters(S3_POLICY_PARAMETERS, input);
  const setting = parameters.BlockPublicAccess;
  if (setting === undefined)
    throw new OrgwardenError("INVALID_INPUT", "--block-public-access is needed: all or none", {
      hint: "all turns S3 Block Public Access on in every account in scope, and keeps account administrators from turning it off.",
    });
  return declarativeVariant(
    "S3_POLICY",
    S3_POLICY_NAME,
    `S3 Block Public Access ${setting} in every account in scope`,
    parameters,
    assignDocument(TOP_KEY, S3_POLICY_PARAMETERS, parameters),
  );
}

/**
 * What an account's effective S3 policy (DescribeEffectivePolicy's PolicyContent) sets: `all`,
 * `none`, or undefined when it sets nothing readable. An effective policy shows values without their
 * inheritance operators; a value still wrapped in `@@assign` is read too.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html
 */
export function s3BlockPublicAccessOf(effectiveContent: string | undefined): "all" | "none" | undefined {
  if (!effectiveContent) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(effectiveContent);
  } catch {
    return undefined;
  }
  const attributes = (parsed as Record<string, unknown> | null)?.[TOP_KEY] as
    | Record<string, unknown>
    | undefined;
  let value = attributes?.public_access_block_configuration;
  if (value && typeof value === "object") value = (value as Record<string, unknown>)["@@assign"];
  return value === "all" || value === "none" ? value : undefined;
}
