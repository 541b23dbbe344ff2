import { DEFAULT_SCP_QUOTAS } from "@orgwarden/scp";
import type { Command } from "commander";
import { addExemptTagKeyFlag } from "./exempt-tag-key-option.js";

export function addScpFlags(cmd: Command): Command {
  return addExemptTagKeyFlag(cmd)
    .option(
      "--exempt-principal <arn>",
      "break-glass role, user or root ARN the policies exempt, wildcards allowed (repeatable; replaces exemptPrincipals of --config): the role ARN with its path, never an sts assumed-role ARN; orgwarden's role is always exempt",
      collect,
      [],
    )
    .option(
      "--block-assume-root",
      "deny-root-user also blocks centralized-root (AssumeRoot) sessions, and restrict-source-ip no longer exempts them (overrides blockAssumeRoot of --config)",
    )
    .option(
      "--no-block-assume-root",
      "deny-root-user and restrict-source-ip leave AssumeRoot sessions usable, whatever --config says (the default)",
    )
    .option(
      "--principal-tag <key=value>",
      "a tag of orgwarden's member role, for SCP conditions on aws:PrincipalTag (repeatable; replaces principalTags of --config)",
      collect,
      [],
    )
    .option(
      "--allowed-cidr <cidr>",
      "network restrict-source-ip allows, IPv4 or IPv6 (repeatable; replaces allowedCidrs of --config); not 0.0.0.0/0 or ::/0, which would deny nothing",
      collect,
      [],
    )
    .option(
      "--allowed-vpc <vpc-id>",
      "VPC whose endpoints restrict-source-ip allows (repeatable; replaces allowedVpcs of --config; default: calls through any VPC endpoint pass)",
      collect,
      [],
    )
    .option(
      "--mfa-exempt-tag-key <key>",
      "tag key (value true) that exempts a keys-only IAM user from require-mfa (overrides mfaExemptTagKey of --config; default orgwarden:mfa-exempt)",
    )
    .option(
      "--network-exempt-tag-key <key>",
      "tag key (value true) that exempts a principal from restrict-source-ip (overrides networkExemptTagKey of --config; default orgwarden:network-exempt)",
    )
    .option(
      "--audit-automation-role <name>",
      "role name protect-audit lets manage CloudTrail/Config/GuardDuty, wildcards allowed (repeatable; replaces auditAutomationRoles of --config; default AWSControlTowerExecution, stacksets-exec-*, AWSCloudFormationStackSetExecutionRole)",
      collect,
      [],
    )
    .option(
      "--max-scp-size <chars>",
      `SCP size quota in characters when Service Quotas cannot be read (overrides quotas.maxPolicySize of --config; default ${DEFAULT_SCP_QUOTAS.maxPolicySize})`,
    )
    .option(
      "--max-scps-per-target <n>",
      `SCPs attached directly per target when Service Quotas cannot be read (overrides quotas.maxPoliciesPerTarget of --config; default ${DEFAULT_SCP_QUOTAS.maxPoliciesPerTarget})`,
    )
    .option("--policy-dir <dir>", "folder of SCP templates (default: scp/ of this installation)");
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** --verify-with-aws and --verify-rate: AWS's policy simulator on the guard (apply-scp, scp simulate). */
export function addVerifyFlags(cmd: Command): Command {
  return cmd
    .option(
      "--verify-with-aws <mode>",
      "auto | on | off: also ask AWS's policy simulator (iam:SimulateCustomPolicy) for every verdict; auto uses it when allowed and notes when not, on refuses (exit 2) when it cannot run (overrides verifyWithAws of --config; default auto)",
    )
    .option(
      "--verify-rate <n>",
      "SimulateCustomPolicy requests per second (overrides verifyRate of --config; default 40)",
    );
}
