import { DEFAULT_MFA_POLICY_NAME } from "@orgwarden/core";
import { DEFAULT_RULE_SETTINGS, DEFAULT_RULES } from "@orgwarden/rules";
import type { Command } from "commander";
import { collect } from "./scp-options.js";

/** deploy-rules' options: which rules, where, how (accounts or organization), the values they check. */
export function addDeployRulesFlags(cmd: Command): Command {
  return cmd
    .option(
      "--ou <id|path>",
      "OU, root or account: an id, or a path like Root/Workloads (default: every account)",
    )
    .option(
      "--rule <name>",
      `rule from the catalog (repeatable; default: ${DEFAULT_RULES.join(", ")})`,
      collect,
      [],
    )
    .option(
      "--regions <list>",
      "comma-separated regions for regional rules (overrides connection.regions of --config; default: --region); IAM rules go to --region only",
    )
    .option(
      "--mode <mode>",
      "accounts (PutConfigRule per account) | organization (PutOrganizationConfigRule)",
      "accounts",
    )
    .option("--remove", "delete orgwarden's managed rules instead (all of them unless --rule is given)")
    .option("--ensure-iam-policy", `create the MFA policy (${DEFAULT_MFA_POLICY_NAME}) where it is missing`)
    .option(
      "--mfa-policy-name <name>",
      `name of the MFA policy iam-policy-in-use checks (overrides mfaPolicyName of --config; default ${DEFAULT_RULE_SETTINGS.mfaPolicyName})`,
    )
    .option(
      "--password-min-length <n>",
      `minimum password length for iam-password-policy (overrides passwordPolicy.minimumLength of --config; default ${DEFAULT_RULE_SETTINGS.password.minimumLength})`,
    )
    .option(
      "--guardduty-central-account <ids>",
      "guardduty-enabled-centralized's CentralMonitoringAccount: 12-digit ids, comma-separated, or none (default: GuardDuty's delegated administrator of each region, read with guardduty:ListOrganizationAdminAccounts)",
    )
    .option("--rules-dir <dir>", "folder of rule definitions (default: config-rules/ of this installation)")
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "apply without asking (needed when not on a terminal)")
    .option(
      "--output <format>",
      "text | json: the plan and its result as one JSON document (orgwarden schema plan)",
    );
}
