import { DEFAULT_MFA_POLICY_NAME } from "@orgwarden/core";
import type { Command } from "commander";

/** report's options and help: what to evaluate, where the report goes, Security Hub. */
export function addReportFlags(cmd: Command): Command {
  return cmd
    .option(
      "--ou <id|path>",
      "only the accounts under this OU (or root, or one account): an id, or a path like Root/Workloads",
    )
    .option(
      "--source <list>",
      "comma-separated check,config,scp (default: check,scp plus config when orgwarden rules are deployed)",
    )
    .option(
      "--output <format>",
      "csv | json | html | table | ocsf (OCSF 1.8.0 Compliance Finding events, JSON lines) (default: from --out's extension, .jsonl for ocsf, else table on a terminal and json when piped, as every listing command)",
    )
    .option("--out <path>", "write the report to this file instead of stdout")
    .option("--fail-on <what>", "non-compliant: exit 4 when any row is NON_COMPLIANT")
    .option(
      "--aggregator <name>",
      "read Config results through this organization aggregator in the management account",
    )
    .option(
      "--regions <list>",
      "comma-separated regions for regional controls (GuardDuty, Config recorder, regional Config rules); default: every region each account has enabled",
    )
    .option(
      "--mfa-policy-name <name>",
      `the MFA policy mfa-policy-in-use looks for (default ${DEFAULT_MFA_POLICY_NAME})`,
    )
    .option(
      "--password-min-length <n>",
      "minimum password length password-policy requires (default 14, IAM_PASSWORD_POLICY's; all parameters: passwordPolicy: in --config)",
    )
    .option("--rules-dir <dir>", "folder of rule definitions")
    .option(
      "--shard <K/N>",
      "evaluate only shard K of N (a stable split by account id), as JSON for orgwarden report merge",
    )
    .option(
      "--security-hub",
      "also import every row into AWS Security Hub as an ASFF finding, by the account it is about (ids orgwarden/<account>/<control>/<region>: a re-run updates them)",
    )
    .option(
      "--security-hub-region <region>",
      "the region whose Security Hub receives the findings (default: the home region); implies --security-hub",
    )
    .option(
      "--any-recorder-role",
      "config-recorder accepts a recorder role other than AWS Config's service-linked role AWSServiceRoleForConfig (Security Hub Config.1's includeConfigServiceLinkedRoleCheck: false)",
    )
    .option(
      "--no-root-audit",
      "no AssumeRoot session per member account (CloudTrail shows each): root-credentials-present from the account summary",
    )
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
        "Exit: 3 when any account could not be evaluated (ERROR rows) or its findings\n" +
        "did not reach Security Hub, else 4 with\n" +
        "--fail-on non-compliant and NON_COMPLIANT rows.\n",
    );
}
