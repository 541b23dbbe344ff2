/**
 * The customer managed policy that `iam-policy-in-use` looks for: AWS's "allow MFA-authenticated IAM
 * users to manage their own credentials" pattern (IAM user guide), whose last statement denies
 * everything but MFA self-service until the user signs in with MFA. Attach it to a group of users.
 * Its ARNs are in the account's partition (`arn:aws-us-gov:…` in GovCloud): an `arn:aws:` resource
 * there matches nothing, and the users could not enrol an MFA device.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_mfa-selfmanage.html
 */
export function mfaPolicyDocument(partition = "aws") {
  return {
    ...MFA_POLICY_TEMPLATE,
    Statement: MFA_POLICY_TEMPLATE.Statement.map((s) =>
      "Resource" in s && s.Resource !== "*"
        ? { ...s, Resource: s.Resource.replace(/^arn:aws:/, `arn:${partition}:`) }
        : s,
    ),
  };
}

const MFA_POLICY_TEMPLATE = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AllowViewAccountInfo",
      Effect: "Allow",
      Action: ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"],
      Resource: "*",
    },
    {
      Sid: "AllowManageOwnPasswordsAndKeys",
      Effect: "Allow",
      Action: [
        "iam:ChangePassword",
        "iam:GetUser",
        "iam:CreateAccessKey",
        "iam:DeleteAccessKey",
        "iam:ListAccessKeys",
        "iam:UpdateAccessKey",
      ],
      Resource: "arn:aws:iam::*:user/${aws:username}",
    },
    {
      Sid: "AllowManageOwnVirtualMFADevice",
      Effect: "Allow",
      Action: ["iam:CreateVirtualMFADevice"],
      Resource: "arn:aws:iam::*:mfa/*",
    },
    {
      Sid: "AllowManageOwnUserMFA",
      Effect: "Allow",
      Action: ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
      Resource: "arn:aws:iam::*:user/${aws:username}",
    },
    {
      Sid: "BlockAllAccessUnlessSignedInWithMFA",
      Effect: "Deny",
      NotAction: [
        "iam:CreateVirtualMFADevice",
        "iam:EnableMFADevice",
        "iam:GetUser",
        "iam:ListMFADevices",
        "iam:ListVirtualMFADevices",
        "iam:ResyncMFADevice",
        "sts:GetSessionToken",
      ],
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    },
  ],
} as const;

export function mfaPolicyArn(accountId: string, policyName: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:policy/${policyName}`;
}
