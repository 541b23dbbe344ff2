import { AWS_ACTIONS, memberAccountActions } from "@orgwarden/core";
import { tableFamily } from "./probe-table.js";

/**
 * orgwarden's own sessions in a member account, from wherever the runner is — the scheduled task's
 * address, a laptop — so from outside every allowed range and through a VPC endpoint (a runner
 * inside the ranges is the easy case), in every region orgwarden works in. Every library policy is
 * probed here, whoever it names: a denial of orgwarden's role refuses the change whoever causes it.
 */
export const orgwardenSessions = tableFamily(
  "orgwarden's own sessions",
  [],
  [
    {
      // Every action of the catalogue it calls in member accounts, on the resources it touches.
      id: "orgwarden-role",
      label: (c) => `orgwarden's role (${c.params.RoleName}) without MFA`,
      principal: "orgwarden-role",
      actions: () => memberAccountActions().map((use) => [use.action, use.memberResource ?? "*"] as const),
      mfa: "false",
      networks: ["outside", "vpc-endpoint"],
      regions: "every",
      keys: (c) =>
        Object.fromEntries(
          Object.entries(c.setting.principalTags ?? {}).map(([k, v]) => [`aws:PrincipalTag/${k}`, v]),
        ),
      expect: "ALLOW",
      strictness: "any-deny",
    },
    {
      // Centralized-root sessions (`root status`, `root remove-credentials`, `run`'s root: entries):
      // aws:PrincipalArn is the member account's root and aws:AssumedRoot is true. The actions are the
      // ones the AssumeRoot task policies allow, from the catalogue.
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-assumedroot
      id: "orgwarden-root-session",
      label: "orgwarden's centralized-root (AssumeRoot) sessions from the runner's address",
      principal: "root",
      actions: () =>
        AWS_ACTIONS.filter((a) => a.grantedBy !== undefined).map((a) => [a.action, "*"] as const),
      mfa: "false",
      networks: ["outside", "vpc-endpoint"],
      regions: "every",
      keys: { "aws:AssumedRoot": "true" },
      // --block-assume-root asks for these sessions to be denied: orgwarden's root commands with them.
      expect: (c) => (c.params.ExemptAssumeRoot ? "ALLOW" : "ANY"),
      strictness: "managed",
    },
  ],
);
