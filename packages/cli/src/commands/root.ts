import type { Command } from "commander";
import type { ActionFactory } from "../command.js";
import { collect } from "../options/scp-options.js";
import { runRootEnable } from "./root-enable.js";
import { runRootRemoveCredentials } from "./root-remove-credentials.js";
import { runRootStatus } from "./root-status.js";

/** `orgwarden root status | enable | remove-credentials`: IAM centralized root access. */
export function registerRoot(program: Command, action: ActionFactory): void {
  const root = program
    .command("root")
    .description("IAM centralized root access: audit, enable, and remove member accounts' root credentials")
    .addHelpText(
      "after",
      "\nMember root users are reached with short sts:AssumeRoot sessions (900 s,\n" +
        "never used past their expiry, never logged) under the AWS task policies\n" +
        "IAMAuditRootUserCredentials and IAMDeleteRootUserCredentials. The management\n" +
        "account is out of scope: AWS does not allow AssumeRoot on it. orgwarden's\n" +
        "deny-root-user SCP leaves these sessions usable (aws:AssumedRoot) unless it\n" +
        "was applied with --block-assume-root.\n",
    );
  root
    .command("status")
    .description("whether centralized root access is on, and what root credentials each member account has")
    .option(
      "--ou <id|path>",
      "only the accounts under this OU (id or path like Root/Workloads), root or account",
    )
    .option("--output <format>", "table | json | csv (default: table on a terminal, json otherwise)")
    .addHelpText("after", "\nExit 3 when an account's root user could not be audited (ERROR rows).\n")
    .action(action(runRootStatus));
  root
    .command("enable")
    .description("enable trusted access for IAM, then root credentials management and root sessions")
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "apply without asking (needed when not on a terminal)")
    .addHelpText("after", "\nIdempotent: what is on is left alone; a second run has nothing to do.\n")
    .action(action(runRootEnable));
  root
    .command("remove-credentials")
    .description(
      "delete member accounts' root passwords, access keys and signing certificates, and deactivate their MFA devices",
    )
    .requiredOption("--ou <id|path>", "OU (id or path like Root/Workloads/Prod), root or member account id")
    .option(
      "--keep <what>",
      "mfa: leave the root users' MFA devices in place (as keep: [mfa] of a root: entry; repeatable or comma-separated)",
      collect,
    )
    .option("--allow-root", "allow the organization root as the target: every member account")
    .option("--dry-run", "print the plan and change nothing")
    .option("--yes", "apply without asking (needed when not on a terminal)")
    .option(
      "--output <format>",
      "text | json: the plan and, after a change, each account's outcome (DONE, PARTIAL, ERROR) as one JSON document on stdout",
    )
    .addHelpText(
      "after",
      "\nRefused (exit 2, nothing changed) when root credentials management is off\n" +
        "(run orgwarden root enable), when the target is the management account or a\n" +
        "suspended account (under an OU they are listed and left alone), or the\n" +
        "organization root without --allow-root. MFA devices are deactivated last,\n" +
        "and only once nothing they guard is left. Exit 3 when an account's AssumeRoot\n" +
        "is refused, a step fails or credentials remain; the other accounts go on.\n" +
        "An account where something was removed before a failure (or before the\n" +
        "read-back that confirms it failed) is PARTIAL, with what was removed listed.\n" +
        "A second run is a no-op.\n",
    )
    .action(action(runRootRemoveCredentials));
}
