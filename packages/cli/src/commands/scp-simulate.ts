import { parseChoice, type SimulateFlags, simulateScp, simulateSettings } from "@orgwarden/job";
import { loadPolicyLibrary } from "@orgwarden/scp";
import type { Command } from "commander";
import type { ActionFactory, CommandContext } from "../command.js";
import { addScpFlags, addVerifyFlags, collect } from "../options/scp-options.js";
import { writeJson } from "../output/plan-json.js";
import { renderScpSimulation } from "../output/render-scp-simulation.js";

const SIMULATE_OUTPUTS = ["text", "json"] as const;

/**
 * `orgwarden scp simulate`: can this principal do this action here, and which SCP decides? Exit 0
 * whatever the answer, and when the engines disagree; 2 for bad input, or when --verify-with-aws on
 * and AWS's simulator cannot be asked.
 */
export async function runScpSimulate(
  ctx: CommandContext,
  flags: SimulateFlags & { output?: string },
): Promise<number> {
  const output = parseChoice("output", flags.output ?? "text", SIMULATE_OUTPUTS);
  const settings = simulateSettings(flags, ctx.options, ctx.runConfig);
  const simulation = await simulateScp(ctx, settings, loadPolicyLibrary(flags.policyDir));
  if (output === "json") writeJson(ctx.io, simulation);
  else ctx.io.stdout.write(renderScpSimulation(simulation, ctx.paint));
  return 0;
}

/** Adds `simulate` under `orgwarden scp`. */
export function registerScpSimulate(scp: Command, action: ActionFactory): void {
  addVerifyFlags(
    addScpFlags(
      scp
        .command("simulate")
        .description(
          "can this principal do this action there, and which SCP decides? orgwarden's verdict and AWS's policy simulator's",
        )
        .option("--account <id>", "the member account the request is made in")
        .option(
          "--ou <id|path>",
          "every distinct SCP path below this root or OU (id or path like Root/Workloads), one row each",
        )
        .requiredOption(
          "--principal <arn>",
          "IAM user, role or root ARN; or user/NAME, role/NAME, root for that principal in each path's account",
        )
        .requiredOption("--action <service:Action>", "one action, e.g. s3:PutObject (no wildcards)")
        .option("--resource <arn>", "the resource ARN (default: *)")
        .option(
          "--context <key=value>",
          "a condition key of the request (repeatable): KEY=V1,V2 a list, KEY= takes a default key out; --region gives aws:RequestedRegion",
          collect,
          [],
        )
        .option(
          "--with-planned <policy>",
          "a library policy as apply-scp --policy would attach it at the target (repeatable); the SCP flags below render it",
          collect,
          [],
        )
        .option("--output <format>", "text | json (default: text)"),
    ),
  )
    .addHelpText(
      "after",
      "\nThe request carries the keys AWS would set for the principal (aws:PrincipalArn,\n" +
        "PrincipalAccount, PrincipalOrgID, PrincipalType, RequestedRegion,\n" +
        "ResourceAccount, ResourceOrgID, ResourceOrgPaths, SecureTransport,\n" +
        "ViaAWSService); no aws:SourceIp, MFA or tags unless --context sets them.\n" +
        "The output names the keys it assumed. Exit 0 whatever the verdicts, 2 on bad\n" +
        "input or when --verify-with-aws on and AWS's simulator cannot be asked.\n" +
        "\n" +
        "--output json prints one document: {target: {id, path, kind}, principal,\n" +
        "action, resource, withPlanned: [policy names], verifyWithAws, awsCalls,\n" +
        "notes: [text], rows: [one per SCP path: {levels: [paths, root first],\n" +
        "accounts, exampleAccount, principalArn, context: {key: value or [values]},\n" +
        "assumed: [keys], removed: [keys], orgwarden: {effect ALLOW|DENY, reason,\n" +
        "by explicit-deny|no-allow, exempt, policy, sid, nodePath, assumed,\n" +
        "conditionKeys: [{key, operators, value (absent: no value)}]}, aws: {asked,\n" +
        "decision allowed|explicitDeny|implicitDeny, effect, allowedByOrganizations,\n" +
        "reason (when not asked)}, agree, stricter orgwarden|aws}]}.\n",
    )
    .action(action(runScpSimulate));
}
