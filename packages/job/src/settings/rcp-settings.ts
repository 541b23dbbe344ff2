import { partitionOfRegion } from "@orgwarden/core";
import {
  DEFAULT_RCP_POLICIES,
  DEFAULT_RCP_QUOTAS,
  type RcpParameters,
  rcpParameters,
  type ScpQuotas,
} from "@orgwarden/scp";
import type { RunConfig } from "../config/run-config.js";
import { workRegions } from "./connection-settings.js";
import { resourceExemptTagKeys } from "./exempt-tag-keys.js";
import { positiveInt, type ScpConnection } from "./scp-settings.js";

/** Flags that shape the rendered RCPs and their quotas: apply-rcp, detach-rcp and `rcp list/show`. */
export interface RcpFlags {
  /** apply-rcp's --policy (repeatable): an rcp: entry's `policies`. */
  policy?: string[];
  allowRoot?: boolean;
  /** apply-rcp's --regions: where the guard probes the member resources. */
  regions?: string;
  trustedAccount?: string[];
  trustedOrg?: string[];
  trustedOidcProvider?: string[];
  /** --exempt-tag-key POLICY=KEY (repeatable): shared with the SCP family (see resourceExemptTagKeys). */
  exemptTagKey?: string[];
  maxRcpSize?: string;
  maxRcpsPerTarget?: string;
  policyDir?: string;
}

export interface RcpSettings {
  /** The RCP library's policies to apply: --policy, else the entry's, else the default ones. */
  policies: string[];
  allowRoot: boolean;
  /** Rendered with a stand-in organization id until the plan binds the real one (bindOrganization). */
  params: RcpParameters;
  /** What --max-rcp-size / --max-rcps-per-target or `rcpQuotas:` set; the rest comes from AWS. */
  configuredQuotas: Partial<ScpQuotas>;
  /** Configured values over the defaults: for `rcp list`, which reads no AWS. */
  quotas: ScpQuotas;
  /** --regions, else connection.regions, else the home region. */
  regions: string[];
}

/** What one `rcp:` entry sets for its OU: its policies, and trust lists over the top-level ones. */
export type RcpEntryParameters = Partial<
  Pick<
    RunConfig["rcp"][number],
    "policies" | "allowRoot" | "trustedAccounts" | "trustedOrganizations" | "trustedOidcProviders"
  >
>;

/**
 * The RCP family's one merge, for apply-rcp, detach-rcp, `rcp list/show` and run: a flag wins, then
 * the config file (an `rcp:` entry's own lists over the top-level ones), then the default. A
 * repeatable flag given at all replaces the file's whole list.
 */
export function rcpSettings(
  flags: RcpFlags,
  connection: ScpConnection,
  config?: RunConfig,
  entry: RcpEntryParameters = {},
): RcpSettings {
  const pick = (flag: string[] | undefined, own: string[] | undefined, top: string[] | undefined) =>
    flag?.length ? flag : (own ?? top ?? []);
  const configuredQuotas: Partial<ScpQuotas> = {};
  const size = positiveInt("--max-rcp-size", flags.maxRcpSize) ?? config?.rcpQuotas.maxPolicySize;
  const perTarget =
    positiveInt("--max-rcps-per-target", flags.maxRcpsPerTarget) ?? config?.rcpQuotas.maxPoliciesPerTarget;
  if (size !== undefined) configuredQuotas.maxPolicySize = size;
  if (perTarget !== undefined) configuredQuotas.maxPoliciesPerTarget = perTarget;
  return {
    policies: flags.policy?.length ? flags.policy : (entry.policies ?? [...DEFAULT_RCP_POLICIES]),
    allowRoot: flags.allowRoot ?? entry.allowRoot ?? false,
    params: rcpParameters({
      partition: partitionOfRegion(connection.region),
      roleName: connection.roleName,
      trustedAccounts: pick(flags.trustedAccount, entry.trustedAccounts, config?.trustedAccounts),
      trustedOrganizations: pick(flags.trustedOrg, entry.trustedOrganizations, config?.trustedOrganizations),
      trustedOidcProviders: pick(
        flags.trustedOidcProvider,
        entry.trustedOidcProviders,
        config?.trustedOidcProviders,
      ),
      exemptTagKeys: resourceExemptTagKeys(flags.exemptTagKey, config),
    }),
    configuredQuotas,
    quotas: { ...DEFAULT_RCP_QUOTAS, ...configuredQuotas },
    regions: workRegions(flags.regions, config, connection.region),
  };
}
