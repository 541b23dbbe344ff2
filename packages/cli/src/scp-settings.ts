import { isIPv4, isIPv6 } from "node:net";
import { OrgwardenError } from "@orgwarden/core";
import { DEFAULT_SCP_QUOTAS, type ScpParameters, type ScpQuotas, scpParameters } from "@orgwarden/scp";
import type { Command } from "commander";
import type { RunConfig } from "./run-config.js";

/** Flags that shape the rendered SCPs and the quotas, shared by apply-scp and `scp list/show`. */
export interface ScpFlags {
  exemptPrincipal?: string[];
  blockAssumeRoot?: boolean;
  allowedCidr?: string[];
  maxScpSize?: string;
  maxScpsPerTarget?: string;
  policyDir?: string;
}

export function addScpFlags(cmd: Command): Command {
  return cmd
    .option(
      "--exempt-principal <arn>",
      "break-glass principal the policies exempt, wildcards allowed (repeatable); orgwarden's role is always exempt",
      collect,
      [],
    )
    .option("--block-assume-root", "deny-root-user also blocks centralized-root (AssumeRoot) sessions")
    .option("--allowed-cidr <cidr>", "network restrict-source-ip allows (repeatable)", collect, [])
    .option(
      "--max-scp-size <chars>",
      `SCP size quota in characters (default ${DEFAULT_SCP_QUOTAS.maxPolicySize})`,
    )
    .option(
      "--max-scps-per-target <n>",
      `SCPs attached directly per target (default ${DEFAULT_SCP_QUOTAS.maxPoliciesPerTarget})`,
    )
    .option("--policy-dir <dir>", "folder of SCP templates (default: scp/ of this installation)");
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const PRINCIPAL_ARN = /^arn:aws[\w-]*:(iam|sts)::(\*|\d{12}):[\w+=,.@/*?-]+$/;

/** Flags win; the config file (orgwarden.yaml) fills in what they leave out. */
export function scpSettings(
  flags: ScpFlags,
  roleName: string,
  config?: RunConfig,
): { params: ScpParameters; quotas: ScpQuotas } {
  const exempt = flags.exemptPrincipal?.length ? flags.exemptPrincipal : (config?.exemptPrincipals ?? []);
  const cidrs = flags.allowedCidr?.length ? flags.allowedCidr : (config?.allowedCidrs ?? []);
  for (const arn of exempt) {
    if (!PRINCIPAL_ARN.test(arn)) {
      throw new OrgwardenError("INVALID_INPUT", `--exempt-principal: "${arn}" is not an IAM principal ARN`, {
        hint: "Use e.g. arn:aws:iam::*:role/BreakGlass or arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_Admin_*.",
      });
    }
  }
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split("/");
    const max = net && isIPv4(net) ? 32 : net && isIPv6(net) ? 128 : -1;
    if (max < 0 || bits === undefined || !/^\d+$/.test(bits) || Number(bits) > max) {
      throw new OrgwardenError("INVALID_INPUT", `--allowed-cidr: "${cidr}" is not a CIDR like 192.0.2.0/24`);
    }
  }
  return {
    params: scpParameters({
      roleName,
      exemptPrincipals: exempt,
      exemptAssumeRoot: !(flags.blockAssumeRoot ?? config?.blockAssumeRoot ?? false),
      allowedCidrs: cidrs,
    }),
    quotas: {
      maxPolicySize: positiveInt(
        "--max-scp-size",
        flags.maxScpSize,
        config?.quotas.maxPolicySize ?? DEFAULT_SCP_QUOTAS.maxPolicySize,
      ),
      maxPoliciesPerTarget: positiveInt(
        "--max-scps-per-target",
        flags.maxScpsPerTarget,
        config?.quotas.maxPoliciesPerTarget ?? DEFAULT_SCP_QUOTAS.maxPoliciesPerTarget,
      ),
    },
  };
}

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new OrgwardenError("INVALID_INPUT", `${flag} must be a positive whole number, not "${raw}"`);
  }
  return Number(raw);
}
