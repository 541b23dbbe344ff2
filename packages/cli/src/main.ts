import type { Credentials, Logger } from "@orgwarden/core";
import { applyConnectionDefaults, ExitCode, exitCodeFor, loadRunConfig, VERSION } from "@orgwarden/job";
import { Command, CommanderError, type Option } from "commander";
import type { ActionFactory, CommandHandler } from "./command.js";
import { registerAccounts } from "./commands/accounts.js";
import { registerApplyDeclarative } from "./commands/apply-declarative.js";
import { registerApplyRcp } from "./commands/apply-rcp.js";
import { registerApplyScp } from "./commands/apply-scp.js";
import { registerControls } from "./commands/controls.js";
import { registerDeclarative } from "./commands/declarative.js";
import { registerDemo } from "./commands/demo.js";
import { registerDeployRules } from "./commands/deploy-rules.js";
import { registerDetachDeclarative } from "./commands/detach-declarative.js";
import { registerDetachRcp } from "./commands/detach-rcp.js";
import { registerDetachScp } from "./commands/detach-scp.js";
import { registerImpact } from "./commands/impact.js";
import { registerPolicies } from "./commands/policies.js";
import { registerRcp } from "./commands/rcp.js";
import { registerReport } from "./commands/report.js";
import { registerRollout } from "./commands/rollout.js";
import { registerRoot } from "./commands/root.js";
import { registerRules } from "./commands/rules.js";
import { registerRun } from "./commands/run.js";
import { registerSchema } from "./commands/schema.js";
import { registerScp } from "./commands/scp.js";
import { createContext } from "./context.js";
import { addGlobalOptions, parseGlobalOptions } from "./global-options.js";
import { ChangeProgress, Interrupted, reportInterruption } from "./interrupt.js";
import { type Io, processIo } from "./io.js";
import { userError } from "./user-error.js";

export interface RunMainOptions {
  io?: Io;
  /** Tests inject a logger to capture log lines. */
  logger?: Logger;
  /** The demo passes the emulator's dummy credentials instead of the provider chain. */
  operatorCredentials?: Credentials;
  /** bin.ts shares it with its signal handler, which says what an interrupted change had done. */
  changes?: ChangeProgress;
}

/**
 * Runs the orgwarden CLI on `argv` (as process.argv: node, script, ...args) and returns the exit
 * code. Never calls process.exit, so it can run inside tests.
 */
export async function runMain(argv: readonly string[], options: RunMainOptions = {}): Promise<number> {
  const io = options.io ?? processIo();
  let exitCode: number = ExitCode.ok;
  let debug = false;
  const changes = options.changes ?? new ChangeProgress();

  const action: ActionFactory =
    <O>(handler: CommandHandler<O>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      // A variadic argument (report merge FILES…) arrives as one array.
      const positional = args
        .slice(0, -2)
        .flat()
        .filter((a): a is string => typeof a === "string");
      const raw = cmd.optsWithGlobals() as Record<string, unknown>;
      const runConfig = typeof raw.config === "string" ? loadRunConfig(raw.config) : undefined;
      const sourceOf = (name: string) => cmd.getOptionValueSourceWithGlobals(name);
      if (runConfig) applyConnectionDefaults(raw, runConfig, sourceOf);
      // The scheduled job logs one line per step: info by default.
      if (cmd.name() === "run" && sourceOf("logLevel") === "default") raw.logLevel = "info";
      raw.logLevelExplicit = ["cli", "env"].includes(sourceOf("logLevel") ?? "");
      const globals = await parseGlobalOptions(raw, io.env);
      debug = globals.debug || globals.logLevel === "debug" || globals.logLevel === "trace";
      const ctx = createContext(globals, io, {
        logger: options.logger,
        runConfig,
        operatorCredentials: options.operatorCredentials,
        changes,
      });
      try {
        exitCode = await handler(ctx, cmd.opts() as O, positional);
      } finally {
        ctx.close();
      }
    };

  const program = buildProgram(io, action);
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version exit 0; a usage error is invalid input.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.invalid;
    }
    if (err instanceof Interrupted) {
      // Ctrl-C at a prompt: as the signal would have, 128 + SIGINT.
      reportInterruption(err.signal, changes, io.stderr, true);
      return err.signal === "SIGINT" ? 130 : 143;
    }
    printError(io, err, debug);
    return exitCodeFor(err);
  }
}

export function buildProgram(io: Io, action: ActionFactory): Command {
  const program = new Command("orgwarden")
    .description(
      "Govern every account of an AWS Organization from its management account:\n" +
        "SCPs that require MFA and restrict root, AWS Config rules, and one compliance report.",
    )
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride()
    .configureHelp({
      // Each command's --help lists the global options too.
      showGlobalOptions: true,
      optionDescription: describeOption,
      // Long option names (--snapshot-block-public-access <value>) leave under 40 columns for the
      // description, where commander stops wrapping by default: the lines ran to 390 characters.
      minWidthToWrap: 20,
    });
  addGlobalOptions(program, io.env);
  registerAccounts(program, action);
  registerApplyScp(program, action);
  registerDetachScp(program, action);
  registerImpact(program, action);
  registerRollout(program, action);
  registerScp(program, action);
  registerPolicies(program, action);
  registerApplyRcp(program, action);
  registerDetachRcp(program, action);
  registerRcp(program, action);
  // S3 organization-level Block Public Access and the EC2 declarative policy: the same three each.
  for (const type of ["S3_POLICY", "DECLARATIVE_POLICY_EC2"] as const) {
    registerApplyDeclarative(program, action, type);
    registerDetachDeclarative(program, action, type);
    registerDeclarative(program, action, type);
  }
  registerDeployRules(program, action);
  registerRules(program, action);
  registerReport(program, action);
  registerControls(program, action);
  registerRoot(program, action);
  registerRun(program, action);
  registerSchema(program, action);
  registerDemo(program, action);
  exitOverrideAll(program);
  program.addHelpText(
    "after",
    "\nExit codes: 0 done; 1 unexpected failure (AWS unreachable, access denied);\n" +
      "2 invalid input or refused (nothing changed); 3 incomplete (some accounts could\n" +
      "not be reached or evaluated: ERROR rows); 4 non-compliance with --fail-on;\n" +
      "5 impact found: the change would deny recorded calls (impact, apply-scp\n" +
      "--impact, rollout), nothing applied; 6 a rollout stage rolled back.\n" +
      "Listing commands print a table on a terminal and JSON when piped (--output).\n",
  );
  return program;
}

/**
 * An option's help text with its default once: where the description already says its default
 * ("repeatable; default: require-mfa, deny-root-user"), commander's "(default: [])" is left out, as is
 * the empty list of every repeatable option; a value is shown as typed (16, not "16").
 */
export function describeOption(option: Option): string {
  const description = option.description ?? "";
  const value: unknown = option.defaultValue;
  const omitted =
    value === undefined ||
    /\bdefault\b/i.test(description) ||
    (Array.isArray(value) && value.length === 0) ||
    // --no-color and other switches: their default is "on", which the flag's name says.
    typeof value === "boolean";
  if (omitted) return description;
  const shown = option.defaultValueDescription ?? (typeof value === "string" ? value : JSON.stringify(value));
  return `${description} (default: ${shown})`;
}

function exitOverrideAll(cmd: Command): void {
  cmd.exitOverride();
  for (const c of cmd.commands) exitOverrideAll(c);
}

function printError(io: Io, err: unknown, debug: boolean): void {
  const e = userError(err);
  const lines = [`orgwarden: ${e.message}`];
  if (e.hint) lines.push(`  hint: ${e.hint}`);
  const requestId = e.details?.requestId;
  if (typeof requestId === "string") lines.push(`  request id: ${requestId}`);
  if (debug && e.stack) lines.push(e.stack);
  else if (e.code === "INTERNAL") lines.push("  (run with --debug for the stack trace)");
  io.stderr.write(`${lines.join("\n")}\n`);
}
