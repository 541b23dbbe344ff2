import { DEFAULT_RCP_QUOTAS } from "@orgwarden/scp";
import type { Command } from "commander";
import { addExemptTagKeyFlag } from "./exempt-tag-key-option.js";
import { collect } from "./scp-options.js";

/** The flags that shape the rendered RCPs and their quotas: apply-rcp, `rcp list` and `rcp show`. */
export function addRcpFlags(cmd: Command): Command {
  return addExemptTagKeyFlag(cmd)
    .option(
      "--trusted-account <id>",
      "account outside the organization whose principals may use member resources, e.g. a partner or ELB's log delivery account (repeatable; replaces trustedAccounts of --config)",
      collect,
      [],
    )
    .option(
      "--trusted-org <id>",
      "another organization (o-…) whose principals may use member resources (repeatable; replaces trustedOrganizations of --config)",
      collect,
      [],
    )
    .option(
      "--trusted-oidc-provider <provider[=sub]>",
      "OIDC provider trusted-oidc-providers lets assume member roles, without https://, e.g. oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE; a shared issuer needs its tenant's sub pattern, e.g. token.actions.githubusercontent.com=repo:my-org/* (=* for every tenant) (repeatable; replaces trustedOidcProviders of --config)",
      collect,
      [],
    )
    .option(
      "--max-rcp-size <chars>",
      `RCP size quota in characters when Service Quotas lists none (overrides rcpQuotas.maxPolicySize of --config; default ${DEFAULT_RCP_QUOTAS.maxPolicySize})`,
    )
    .option(
      "--max-rcps-per-target <n>",
      `RCPs attached directly per target (overrides rcpQuotas.maxPoliciesPerTarget of --config; default ${DEFAULT_RCP_QUOTAS.maxPoliciesPerTarget}, AWS's documented figure)`,
    )
    .option("--policy-dir <dir>", "folder of RCP templates (default: rcp/ of this installation)");
}
