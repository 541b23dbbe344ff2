import { OrgwardenError, partitionOfRegion } from "@orgwarden/core";
import {
  bindPartition,
  DEFAULT_POLICIES,
  DEFAULT_SCP_QUOTAS,
  DEFAULT_VERIFY_RATE,
  exemptTagKeysOf,
  type ScpParameters,
  type ScpQuotas,
  scpParameters,
  type VerifyWithAws,
} from "@orgwarden/scp";
import { isCidr, TAG_KEY_HINT, tagKey } from "../config/field-rules.js";
import type { RunConfig } from "../config/run-config.js";
import { workRegions } from "./connection-settings.js";
import { resourceExemptTagKeys } from "./exempt-tag-keys.js";

/** Flags that shape the rendered SCPs and the quotas, shared by apply-scp, detach-scp and `scp list/show`. */
export interface ScpFlags {
  /** apply-scp's --policy (repeatable): an scp: entry's `policies`. */
  policy?: string[];
  /** apply-scp's --allow-root: an scp: entry's `allowRoot`. */
  allowRoot?: boolean;
  /** apply-scp's --regions: where the lockout guard checks orgwarden's own calls. */
  regions?: string;
  exemptPrincipal?: string[];
  principalTag?: string[];
  blockAssumeRoot?: boolean;
  allowedCidr?: string[];
  allowedVpc?: string[];
  mfaExemptTagKey?: string;
  networkExemptTagKey?: string;
  auditAutomationRole?: string[];
  /** --exempt-tag-key POLICY=KEY (repeatable): the RCPs' exemption tags protect-exemption-tags protects. */
  exemptTagKey?: string[];
  maxScpSize?: string;
  maxScpsPerTarget?: string;
  policyDir?: string;
  /** apply-scp's and `scp simulate`'s --verify-with-aws: auto | on | off. */
  verifyWithAws?: string;
  /** --verify-rate: SimulateCustomPolicy requests per second. */
  verifyRate?: string;
}

export interface ScpSettings {
  /** The library's policies to apply: --policy, else the entry's, else the default ones. */
  policies: string[];
  /** The organization root may be the target. */
  allowRoot: boolean;
  params: ScpParameters;
  /** What --max-scp-size / --max-scps-per-target or `quotas:` set; the rest comes from AWS. */
  configuredQuotas: Partial<ScpQuotas>;
  /** Configured values over the documented defaults: for `scp list`, which reads no AWS. */
  quotas: ScpQuotas;
  principalTags: Record<string, string>;
  /** --regions, else connection.regions, else the home region. */
  regions: string[];
  /** Whether AWS's policy simulator decides the guard's requests too, and at what pace. */
  awsCheck: AwsCheckSettings;
}

export interface AwsCheckSettings {
  mode: VerifyWithAws;
  /** SimulateCustomPolicy requests per second. */
  rate: number;
}

const VERIFY_MODES: readonly VerifyWithAws[] = ["auto", "on", "off"];

/** What the SCP family needs of the connection: orgwarden's member role and the home region. */
export interface ScpConnection {
  roleName: string;
  region: string;
}

/** What one `scp:` entry of the config sets for its OU: its policies, and parameters over the top-level ones. */
export type ScpEntryParameters = Partial<
  Pick<
    RunConfig["scp"][number],
    "policies" | "allowRoot" | "exemptPrincipals" | "allowedCidrs" | "allowedVpcs"
  >
>;

/**
 * The SCP family's one merge, for apply-scp, detach-scp, `scp list/show` and run: a flag wins, then
 * the config file (orgwarden.yaml; an `scp:` entry's own parameters over the top-level ones), then
 * the default. A repeatable flag given at all replaces the file's whole list.
 */
export function scpSettings(
  flags: ScpFlags,
  connection: ScpConnection,
  config?: RunConfig,
  entry: ScpEntryParameters = {},
): ScpSettings {
  const exempt = flags.exemptPrincipal?.length
    ? flags.exemptPrincipal
    : (entry.exemptPrincipals ?? config?.exemptPrincipals ?? []);
  const cidrs = flags.allowedCidr?.length
    ? flags.allowedCidr
    : (entry.allowedCidrs ?? config?.allowedCidrs ?? []);
  const vpcs = flags.allowedVpc?.length ? flags.allowedVpc : (entry.allowedVpcs ?? config?.allowedVpcs ?? []);
  const automation = flags.auditAutomationRole?.length
    ? flags.auditAutomationRole
    : config?.auditAutomationRoles;
  for (const cidr of cidrs) {
    if (!isCidr(cidr))
      throw new OrgwardenError("INVALID_INPUT", `--allowed-cidr: "${cidr}" is not a CIDR like 192.0.2.0/24`);
  }
  const configuredQuotas: Partial<ScpQuotas> = {};
  const size = positiveInt("--max-scp-size", flags.maxScpSize) ?? config?.quotas.maxPolicySize;
  const perTarget =
    positiveInt("--max-scps-per-target", flags.maxScpsPerTarget) ?? config?.quotas.maxPoliciesPerTarget;
  if (size !== undefined) configuredQuotas.maxPolicySize = size;
  if (perTarget !== undefined) configuredQuotas.maxPoliciesPerTarget = perTarget;
  // The partition of the home region (GovCloud, China): what `scp show` prints is what apply-scp
  // would write there; the plan binds it again to the organization's own ARN.
  const partition = partitionOfRegion(connection.region);
  return {
    policies: flags.policy?.length ? flags.policy : (entry.policies ?? [...DEFAULT_POLICIES]),
    allowRoot: flags.allowRoot ?? entry.allowRoot ?? false,
    params: bindPartition(
      scpParameters({
        partition,
        roleName: connection.roleName,
        exemptPrincipals: exempt,
        exemptAssumeRoot: !(flags.blockAssumeRoot ?? config?.blockAssumeRoot ?? false),
        allowedCidrs: cidrs,
        allowedVpcs: vpcs,
        mfaExemptTagKey: flags.mfaExemptTagKey ?? config?.mfaExemptTagKey,
        networkExemptTagKey: flags.networkExemptTagKey ?? config?.networkExemptTagKey,
        ...(automation ? { auditAutomationRoles: automation } : {}),
        // The RCPs' exemption tags, which protect-exemption-tags keeps to the exempt principals: the
        // RCP family's own merge, so both render the same keys.
        resourceExemptTagKeys: exemptTagKeysOf(resourceExemptTagKeys(flags.exemptTagKey, config)),
      }),
      partition,
    ),
    configuredQuotas,
    quotas: { ...DEFAULT_SCP_QUOTAS, ...configuredQuotas },
    principalTags: flags.principalTag?.length ? parseTags(flags.principalTag) : (config?.principalTags ?? {}),
    regions: workRegions(flags.regions, config, connection.region),
    awsCheck: awsCheckSettings(flags, config),
  };
}

/** --verify-with-aws over the file's verifyWithAws over auto; --verify-rate over verifyRate over the default. */
export function awsCheckSettings(
  flags: Pick<ScpFlags, "verifyWithAws" | "verifyRate">,
  config?: Pick<RunConfig, "verifyWithAws" | "verifyRate">,
): AwsCheckSettings {
  const raw = flags.verifyWithAws;
  if (raw !== undefined && !VERIFY_MODES.includes(raw as VerifyWithAws)) {
    throw new OrgwardenError("INVALID_INPUT", `--verify-with-aws must be auto, on or off, not "${raw}"`, {
      hint: "auto: ask AWS's policy simulator when allowed; on: require it; off: never ask.",
    });
  }
  return {
    mode: (raw as VerifyWithAws | undefined) ?? config?.verifyWithAws ?? "auto",
    rate: positiveInt("--verify-rate", flags.verifyRate) ?? config?.verifyRate ?? DEFAULT_VERIFY_RATE,
  };
}

function parseTags(raw: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of raw) {
    const at = t.indexOf("=");
    if (at < 1) {
      throw new OrgwardenError("INVALID_INPUT", `--principal-tag: "${t}" is not KEY=VALUE`, {
        hint: "e.g. --principal-tag team=platform",
      });
    }
    const key = t.slice(0, at);
    if (!tagKey.safeParse(key).success)
      throw new OrgwardenError("INVALID_INPUT", `--principal-tag: "${key}" is not an IAM tag key`, {
        hint: TAG_KEY_HINT,
      });
    tags[key] = t.slice(at + 1);
  }
  return tags;
}

/** A flag that takes a positive whole number (a quota), refused with its name otherwise. */
export function positiveInt(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new OrgwardenError("INVALID_INPUT", `${flag} must be a positive whole number, not "${raw}"`);
  }
  return Number(raw);
}
