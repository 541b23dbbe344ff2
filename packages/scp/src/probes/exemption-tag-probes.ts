import type { ProbeAction } from "./probe-requests.js";
import { type ProbeContext, tableFamily } from "./probe-table.js";

const PROTECT_TAGS = "scp/protect-exemption-tags";
const protecting = (c: ProbeContext<typeof PROTECT_TAGS>) => c.inEffect(PROTECT_TAGS);

const BUCKET = "arn:${Partition}:s3:::app-data-${Account}";

/**
 * Tagging a bucket, a queue, a secret, a repository and a role: resources the RCPs let a tag exempt.
 * (A KMS key is one too, but its key policy, not IAM, decides who tags it: nothing an SCP probe adds.)
 */
const TAGGING_ACTIONS: readonly ProbeAction[] = [
  ["s3:TagResource", BUCKET],
  ["sqs:TagQueue", "arn:${Partition}:sqs:${Region}:${Account}:app-queue"],
  ["ecr:TagResource", "arn:${Partition}:ecr:${Region}:${Account}:repository/app"],
  ["secretsmanager:TagResource", "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:app-AbCdEf"],
  ["iam:TagRole", "arn:${Partition}:iam::${Account}:role/cross-account-reader"],
];

/**
 * S3's bucket-tagging calls that send no aws:TagKeys: replacing or removing a bucket's whole tag set
 * while ABAC is off (the DeleteBucketTagging API is authorized as s3:PutBucketTagging too), and
 * turning ABAC on, after which the bucket's tags authorize through aws:ResourceTag.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging-enable-abac.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketTagging.html
 */
const BUCKET_TAG_SET_ACTIONS: readonly ProbeAction[] = [
  ["s3:PutBucketTagging", BUCKET],
  ["s3:PutBucketAbac", BUCKET],
];

/**
 * Under protect-exemption-tags: a member-account administrator may not tag a resource out of the
 * RCPs (any exemption key, in any case, since tag keys compare case-insensitively), nor reach a
 * bucket's tags by the S3 calls that carry no tag keys, and may still tag with anything else;
 * orgwarden's role, which decides what leaves the perimeter, may do both.
 */
export const exemptionTagProbes = tableFamily(
  "resource exemption tags",
  [PROTECT_TAGS],
  [
    {
      id: "member-admin-sets-resource-exemption-tag",
      label: (c) =>
        `a member-account administrator tagging a bucket, queue, secret, repository or role ${c.params.ResourceExemptTagKeys.join(", ")}`,
      principal: "member-admin",
      actions: TAGGING_ACTIONS,
      mfa: "false",
      keys: (c) => ({ "aws:TagKeys": c.params.ResourceExemptTagKeys.map((k) => k.toUpperCase()) }),
      expect: "DENY",
      strictness: "managed",
      when: protecting,
    },
    {
      id: "member-admin-replaces-bucket-tags",
      label:
        "a member-account administrator replacing or removing a bucket's tag set, or enabling ABAC on it (s3:PutBucketTagging, s3:PutBucketAbac: no aws:TagKeys)",
      principal: "member-admin",
      actions: BUCKET_TAG_SET_ACTIONS,
      mfa: "false",
      expect: "DENY",
      strictness: "managed",
      when: protecting,
    },
    {
      id: "member-admin-sets-other-tag",
      label: "a member-account administrator tagging the same resources team=payments",
      principal: "member-admin",
      actions: TAGGING_ACTIONS,
      mfa: "false",
      keys: { "aws:TagKeys": ["team"] },
      expect: "ALLOW",
      strictness: "managed",
      when: protecting,
    },
    {
      id: "orgwarden-sets-resource-exemption-tag",
      label: (c) =>
        `orgwarden's role tagging a bucket ${c.params.ResourceExemptTagKeys[0]}=true and enabling ABAC on it`,
      principal: "orgwarden-role",
      actions: [["s3:TagResource", BUCKET], ...BUCKET_TAG_SET_ACTIONS],
      mfa: "false",
      keys: (c) => ({ "aws:TagKeys": c.params.ResourceExemptTagKeys.slice(0, 1) }),
      expect: "ALLOW",
      strictness: "managed",
      when: protecting,
    },
  ],
);
