import { MFA_ENROLMENT_ACTIONS, PASSWORD_CHANGE_ACTIONS, WORKLOAD_ACTIONS } from "./probe-actions.js";
import { deniedUnder, tableFamily } from "./probe-table.js";

const REQUIRE_MFA = "scp/require-mfa";

/**
 * People without MFA must still be able to set it up and change an expired password; keys-only
 * users tagged as exempt keep working; everyone else is denied without MFA under require-mfa, and
 * only orgwarden may hand out the exempt tag.
 */
export const mfaProbes = tableFamily(
  "MFA and the MFA-exempt tag",
  [REQUIRE_MFA],
  [
    {
      id: "user-enrol-mfa",
      label: "IAM user without MFA enrolling an MFA device",
      principal: "iam-user",
      actions: MFA_ENROLMENT_ACTIONS,
      mfa: "false",
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "user-change-password",
      label: "IAM user without MFA changing an expired password",
      principal: "iam-user",
      actions: PASSWORD_CHANGE_ACTIONS,
      mfa: "false",
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "mfa-exempt-keys-user",
      label: (c) => `a keys-only IAM user tagged ${c.params.MfaExemptTagKey}=true (CI, SES SMTP)`,
      principal: "keys-only-user",
      actions: WORKLOAD_ACTIONS,
      mfa: "absent",
      keys: (c) => ({ [`aws:PrincipalTag/${c.params.MfaExemptTagKey}`]: "true" }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "untagged-keys-user",
      label: "a keys-only IAM user without the MFA-exempt tag",
      principal: "keys-only-user",
      actions: WORKLOAD_ACTIONS,
      mfa: "absent",
      keys: (c) => ({ [`aws:PrincipalTag/${c.params.MfaExemptTagKey}`]: "false" }),
      expect: deniedUnder(REQUIRE_MFA),
      strictness: "managed",
    },
    {
      id: "member-admin-sets-exempt-tag",
      label: (c) => `a member-account administrator setting ${c.params.MfaExemptTagKey}`,
      principal: "member-admin",
      actions: [
        ["iam:TagUser", "arn:${Partition}:iam::${Account}:user/alice"],
        ["iam:CreateUser", "arn:${Partition}:iam::${Account}:user/new-user"],
      ],
      mfa: "false",
      keys: (c) => ({ "aws:TagKeys": [c.params.MfaExemptTagKey] }),
      expect: deniedUnder(REQUIRE_MFA),
      strictness: "managed",
    },
    {
      id: "orgwarden-sets-exempt-tag",
      label: (c) => `orgwarden's role tagging a keys-only user ${c.params.MfaExemptTagKey}=true`,
      principal: "orgwarden-role",
      actions: [
        ["iam:TagUser", "arn:${Partition}:iam::${Account}:user/ci-deployer"],
        ["iam:UntagUser", "arn:${Partition}:iam::${Account}:user/ci-deployer"],
      ],
      mfa: "false",
      networks: ["outside"],
      keys: (c) => ({ "aws:TagKeys": [c.params.MfaExemptTagKey] }),
      expect: "ALLOW",
      strictness: "managed",
    },
    {
      id: "user-no-mfa",
      label: "IAM user without MFA calling s3:ListAllMyBuckets",
      principal: "iam-user",
      actions: [["s3:ListAllMyBuckets", "*"]],
      // Long-term access keys carry no MFA key at all: BoolIfExists must deny them too.
      mfa: ["false", "absent"],
      expect: deniedUnder(REQUIRE_MFA),
      strictness: "managed",
    },
    {
      id: "user-with-mfa",
      label: "IAM user signed in with MFA",
      principal: "iam-user",
      actions: [["s3:ListAllMyBuckets", "*"], ["ec2:DescribeInstances", "*"], ...PASSWORD_CHANGE_ACTIONS],
      mfa: "true",
      keys: { "aws:MultiFactorAuthAge": "300" },
      expect: "ALLOW",
      strictness: "managed",
    },
  ],
);
