import { deniedUnder, tableFamily } from "./probe-table.js";

const DENY_ROOT_USER = "scp/deny-root-user";

/** The root user is denied under deny-root-user; centralized-root sessions unless --block-assume-root. */
export const rootUserProbes = tableFamily(
  "the root user",
  [DENY_ROOT_USER],
  [
    {
      id: "root-user",
      label: "the root user",
      principal: "root",
      actions: [
        ["s3:ListAllMyBuckets", "*"],
        ["iam:CreateAccessKey", "*"],
      ],
      mfa: "absent",
      expect: deniedUnder(DENY_ROOT_USER),
      strictness: "managed",
    },
    {
      id: "assume-root",
      label: "a centralized-root (AssumeRoot) session",
      principal: "root",
      actions: [
        ["iam:DeleteLoginProfile", "*"],
        ["iam:ListMFADevices", "*"],
      ],
      mfa: "false",
      keys: { "aws:AssumedRoot": "true" },
      expect: (c) => (c.inEffect(DENY_ROOT_USER) ? (c.params.ExemptAssumeRoot ? "ALLOW" : "DENY") : "ANY"),
      strictness: "managed",
    },
  ],
);
