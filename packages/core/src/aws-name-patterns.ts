/**
 * The forms of AWS names that orgwarden's flags, orgwarden.yaml and the SCP parameters all take:
 * one pattern each, so a value one of them accepts the others accept too.
 */

/**
 * An IAM tag key: 1–128 Unicode letters, digits, spaces and `_.:/=+-@` (the IAM API reference's
 * Tag.Key, https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html), and not starting with
 * `aws:` in any case, a prefix AWS keeps for its own tags.
 */
export const IAM_TAG_KEY = /^(?![aA][wW][sS]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

export function isIamTagKey(key: string): boolean {
  return IAM_TAG_KEY.test(key);
}

/** An IAM role name as a condition names it: up to 64 of `\w+=,.@-/`, with the wildcards `*` and `?`. */
export const IAM_ROLE_NAME_WILDCARD = /^[\w+=,.@*?/-]{1,64}$/;

/** A VPC id: vpc- and 8 to 17 hex digits (the old ids have 8, the new 17). */
export const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
