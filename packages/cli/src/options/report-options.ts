import { DEFAULT_MFA_POLICY_NAME } from "@orgwarden/core";
import type { Command } from "commander";

/** report's options and help: what to evaluate, where the report goes, Security Hub. */
export function addReportFlags(cmd: Command): Command {
  return cmd
    .option(
      "--ou <id|path>",
      "only the accounts under this OU (or root, or one account): an id, or a path like Root/Workloads (overrides report.ou of --config)",
    )
    .option(
      "--source <list>",
      "comma-separated check,config,scp,policies,guardrails (overrides report.sources of --config; default: check,scp plus config when orgwarden rules are deployed; only when named: policies, every policy type's slots and invalid effective policies, and guardrails, the S3 and EC2 account settings organization policies enforce, with the mechanism that holds each)",
    )
    .option(
      "--output <format>",
      "csv | json | html | table | ocsf (OCSF 1.8.0 Compliance Finding events, JSON lines) (default: from --out's extension, .jsonl for ocsf, else table on a terminal and json when piped, as every listing command)",
    )
    .option("--out <path>", "write the report to this file instead of stdout")
    .option(
      "--fail-on <what>",
      "non-compliant: exit 4 when any row is NON_COMPLIANT; none: never (overrides report.failOn of --config; default none)",
    )
    .option(
      "--aggregator <name>",
      "read Config results through this organization aggregator in the management account (overrides report.aggregator of --config)",
    )
    .option(
      "--regions <list>",
      "comma-separated regions for regional controls (GuardDuty, Config recorder, the EC2 guardrails, regional Config rules) (overrides connection.regions of --config; default: every region each account has enabled)",
    )
    .option(
      "--mfa-policy-name <name>",
      `the MFA policy mfa-policy-in-use looks for (overrides mfaPolicyName of --config; default ${DEFAULT_MFA_POLICY_NAME})`,
    )
    .option(
      "--password-min-length <n>",
      "minimum password length password-policy requires (overrides passwordPolicy.minimumLength of --config; default 14, IAM_PASSWORD_POLICY's)",
    )
    .option(
      "--mfa-exempt-tag-key <key>",
      "tag key (value true) that exempts a keys-only IAM user from iam-user-mfa (overrides mfaExemptTagKey of --config; default orgwarden:mfa-exempt)",
    )
    .option("--rules-dir <dir>", "folder of rule definitions")
    .option(
      "--shard <K/N>",
      "evaluate only shard K of N (a stable split by account id), as JSON for orgwarden report merge",
    )
    .option(
      "--security-hub",
      "also import every row into AWS Security Hub as an ASFF finding, by the account it is about (ids orgwarden/<account>/<control>/<region>: a re-run updates them) (overrides report.securityHub of --config)",
    )
    .option("--no-security-hub", "no Security Hub import, whatever report.securityHub of --config says")
    .option(
      "--security-hub-region <region>",
      "the region whose Security Hub receives the findings (overrides report.securityHub.region of --config; default: the home region); implies --security-hub",
    )
    .option(
      "--root-audit",
      "also audit each member's root user in an AssumeRoot session (IAMAuditRootUserCredentials): one privileged session per member account, which its CloudTrail records; by default the root controls come from iam:GetAccountSummary and no session is opened (overrides report.rootAudit of --config)",
    )
    .option(
      "--any-recorder-role",
      "config-recorder accepts a recorder role other than AWS Config's service-linked role AWSServiceRoleForConfig (Security Hub Config.1's includeConfigServiceLinkedRoleCheck: false; overrides report.includeConfigServiceLinkedRoleCheck of --config)",
    )
    .option("--no-root-audit", "no AssumeRoot session (the default; overrides report.rootAudit: true)")
    .addHelpText(
      "after",
      "\nCSV columns: account_id, account_name, ou_path, control, source, status,\n" +
        "resource_type, resource_id, reason, evaluated_at, region, severity, frameworks.\n" +
        "Regional controls (guardduty-enabled, config-recorder, Config rule results)\n" +
        "are judged in every region each account has enabled (opt-in ones included),\n" +
        "or in --regions.\n" +
        "Shards: run --shard 1/N … N/N (on one machine or many), then\n" +
        "orgwarden report merge FILES… [--output F] [--out P] [--fail-on W] on their\n" +
        "JSON outputs: it reads files only, and refuses (exit 2) a missing or\n" +
        "duplicated shard, shards of different splits, organizations or --ou, and\n" +
        "shards that do not cover every account once.\n" +
        "Security Hub: each account imports its own findings (BatchImportFindings\n" +
        "must come from the finding's account), batches of 100, at most 10 requests a\n" +
        "second per account; passed findings get workflow RESOLVED. Security Hub must\n" +
        "be enabled in each account and the region.\n" +
        "With --config, a flag wins over its field in the file, the file over the\n" +
        "default; report.formats and report.outputDir are run's (report writes\n" +
        "--output to --out or stdout).\n" +
        "Exit: 3 when any account could not be evaluated (ERROR rows) or its findings\n" +
        "did not reach Security Hub, else 4 with\n" +
        "--fail-on non-compliant and NON_COMPLIANT rows.\n",
    );
}
