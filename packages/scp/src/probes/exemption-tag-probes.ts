import type { ProbeAction } from "./probe-requests.js";
import { type ProbeContext, tableFamily } from "./probe-table.js";

const PROTECT_TAGS = "scp/protect-exemption-tags";
const protecting = (c: ProbeContext<typeof PROTECT_TAGS>) => c.inEffect(PROTECT_TAGS);

/**
 * Tagging a bucket, a queue, a secret, a repository and a role: resources the RCPs let a tag exempt.
 * (A KMS key is one too, but its key policy, not IAM, decides who tags it: nothing an SCP probe adds.)
 */
const TAGGING_ACTIONS: readonly ProbeAction[] = [
  ["s3:TagResource", "arn:${Partition}:s3:::app-data-${Account}"],
  ["sqs:TagQueue", "arn:${Partition}:sqs:${Region}:${Account}:app-queue"],
  ["ecr:TagResource", "arn:${Partition}:ecr:${Region}:${Account}:repository/app"],
  ["secretsmanager:TagResource", "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:app-AbCdEf"],
  ["iam:TagRole", "arn:${Partition}:iam::${Account}:role/cross-account-reader"],
];

/**
 * Under protect-exemption-tags: a member-account administrator may not tag a resource out of the
 * RCPs (any exemption key, in any case, since tag keys compare case-insensitively), and may still
 * tag it with anything else.
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
  ],
);
