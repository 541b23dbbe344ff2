import { OrgwardenError } from "@orgwarden/core";
import { type ContextOverride, checkSimulatedPrincipal } from "@orgwarden/scp";
import type { RunConfig } from "../config/run-config.js";
import {
  type AwsCheckSettings,
  awsCheckSettings,
  type ScpConnection,
  type ScpFlags,
  type ScpSettings,
  scpSettings,
} from "./scp-settings.js";

/** `orgwarden scp simulate`'s flags; the SCP flags shape the policies --with-planned renders. */
export interface SimulateFlags extends ScpFlags {
  account?: string;
  ou?: string;
  principal?: string;
  action?: string;
  resource?: string;
  context?: string[];
  withPlanned?: string[];
}

export interface SimulateSettings {
  /** The account (--account) or the root, OU or account (--ou) the question is asked at. */
  target: { flag: "--account" | "--ou"; ref: string };
  /** An IAM user, role or root ARN, or `root`, `user/NAME`, `role/NAME` in the evaluated account. */
  principal: string;
  action: string;
  /** `*` unless --resource. */
  resource: string;
  context: ContextOverride[];
  /** The home region: aws:RequestedRegion unless --context sets it. */
  region: string;
  /** --with-planned: the policies and parameters apply-scp would render; undefined without it. */
  planned: ScpSettings | undefined;
  awsCheck: AwsCheckSettings;
}

/** Keys AWS sends as lists, even with one value. */
const MULTIVALUED = new Set(
  ["aws:TagKeys", "aws:CalledVia", "aws:PrincipalOrgPaths", "aws:ResourceOrgPaths"].map((k) =>
    k.toLowerCase(),
  ),
);

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const RESOURCE = /^(\*|arn:[^:\s]+:[^:\s]+:[^:\s]*:[^:\s]*:\S+)$/;
const CONTEXT_KEY = /^[A-Za-z0-9.-]+:[^=\s](?:[^=]*[^=\s])?$/;
const CONTEXT_HINT =
  "e.g. --context aws:MultiFactorAuthPresent=true, --context aws:TagKeys=team,env (a list), --context aws:SecureTransport= (takes a key out of the request).";

/** Flags that shape the rendered policies: they mean nothing without --with-planned. */
const RENDER_FLAGS: Array<[keyof ScpFlags, string]> = [
  ["exemptPrincipal", "--exempt-principal"],
  ["allowedCidr", "--allowed-cidr"],
  ["allowedVpc", "--allowed-vpc"],
  ["mfaExemptTagKey", "--mfa-exempt-tag-key"],
  ["networkExemptTagKey", "--network-exempt-tag-key"],
  ["auditAutomationRole", "--audit-automation-role"],
  ["blockAssumeRoot", "--block-assume-root"],
  ["policyDir", "--policy-dir"],
];

/**
 * `scp simulate`'s one merge: the question (target, principal, action, resource, context) from the
 * flags, checked in form before any AWS call; with --with-planned, the SCP settings apply-scp would
 * render those policies with (flags over the file over defaults); --verify-with-aws as apply-scp.
 */
export function simulateSettings(
  flags: SimulateFlags,
  connection: ScpConnection,
  config?: RunConfig,
): SimulateSettings {
  const target = simulateTarget(flags);
  const principal = required(
    "--principal",
    flags.principal,
    "e.g. --principal arn:aws:iam::111122223333:user/alice",
  );
  checkSimulatedPrincipal(principal);
  const action = required("--action", flags.action, "e.g. --action s3:GetObject");
  if (!ACTION.test(action)) {
    throw new OrgwardenError("INVALID_INPUT", `--action "${action}" is not an action like s3:GetObject`, {
      hint: "The service prefix and one action, no wildcards: AWS's simulator decides one action at a time.",
    });
  }
  const resource = flags.resource ?? "*";
  if (!RESOURCE.test(resource)) {
    throw new OrgwardenError("INVALID_INPUT", `--resource "${resource}" is not an ARN`, {
      hint: "e.g. --resource arn:aws:s3:::example-bucket/key, or leave it out for *.",
    });
  }
  const withPlanned = flags.withPlanned ?? [];
  if (withPlanned.length === 0) {
    const given = RENDER_FLAGS.find(([k]) => {
      const v = flags[k];
      return Array.isArray(v) ? v.length > 0 : v !== undefined;
    });
    if (given) {
      throw new OrgwardenError("INVALID_INPUT", `${given[1]} shapes the policies --with-planned renders`, {
        hint: `Name the policies to simulate as attached (--with-planned require-mfa), or leave ${given[1]} out: the SCPs in effect are read from AWS as they are.`,
      });
    }
  }
  return {
    target,
    principal,
    action,
    resource,
    context: parseContextFlags(flags.context ?? []),
    region: connection.region,
    planned:
      withPlanned.length > 0 ? scpSettings({ ...flags, policy: withPlanned }, connection, config) : undefined,
    awsCheck: awsCheckSettings(flags, config),
  };
}

function simulateTarget(flags: SimulateFlags): SimulateSettings["target"] {
  if ((flags.account === undefined) === (flags.ou === undefined)) {
    throw new OrgwardenError("INVALID_INPUT", "give one of --account and --ou", {
      hint: "--account 111122223333 for one account, --ou Root/Workloads for every SCP path below an OU.",
    });
  }
  if (flags.account !== undefined) {
    if (!/^\d{12}$/.test(flags.account)) {
      throw new OrgwardenError("INVALID_INPUT", `--account "${flags.account}" is not a 12-digit account id`, {
        hint: "For an OU, or an account by its path, use --ou (see `orgwarden accounts`).",
      });
    }
    return { flag: "--account", ref: flags.account };
  }
  return { flag: "--ou", ref: flags.ou as string };
}

function required(flag: string, value: string | undefined, hint: string): string {
  if (value === undefined || value === "")
    throw new OrgwardenError("INVALID_INPUT", `${flag} is required`, { hint });
  return value;
}

/**
 * `--context KEY=VALUE` (repeatable): sets a condition key of the request, over orgwarden's default
 * for it. `KEY=V1,V2` is a list (a multivalued key such as aws:TagKeys; aws:TagKeys, aws:CalledVia
 * and the org-path keys are lists even with one value); `KEY=` takes the key out of the request
 * (`aws:SecureTransport=`), as a request without it would be. aws:PrincipalArn comes from --principal.
 */
export function parseContextFlags(raw: readonly string[]): ContextOverride[] {
  const out: ContextOverride[] = [];
  for (const entry of raw) {
    const at = entry.indexOf("=");
    const key = at < 0 ? entry : entry.slice(0, at);
    if (at < 0 || !CONTEXT_KEY.test(key)) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        at < 0
          ? `--context "${entry}" is not KEY=VALUE`
          : `--context "${entry}": "${key}" is not a condition key like aws:SourceIp`,
        { hint: CONTEXT_HINT },
      );
    }
    const lower = key.toLowerCase();
    if (lower === "aws:principalarn") {
      throw new OrgwardenError("INVALID_INPUT", "--context aws:PrincipalArn: the principal is --principal", {
        hint: "Give the principal's ARN with --principal.",
      });
    }
    if (out.some((o) => o.key.toLowerCase() === lower)) {
      throw new OrgwardenError("INVALID_INPUT", `--context ${key} is given twice`, {
        hint: `Give a list once: --context ${key}=V1,V2.`,
      });
    }
    const value = entry.slice(at + 1);
    out.push({
      key,
      value: value === "" ? null : value.includes(",") || MULTIVALUED.has(lower) ? value.split(",") : value,
    });
  }
  return out;
}
