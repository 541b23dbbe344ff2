import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_ORGANIZATIONS_RATE,
  DEFAULT_ROLE_NAME,
  OrgwardenError,
} from "@orgwarden/core";
import { fieldRules, homeRegion } from "@orgwarden/job";
import type { Command } from "commander";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/**
 * A numeric flag: "--concurrency must be a whole number from 1 to 256, got 'abc'" rather than zod's
 * "expected number, received NaN" (what coercing "abc" gives). The ranges are the config file's
 * (fieldRules.CONNECTION_NUMBERS). `auto` also takes the word "auto" (undefined: the default).
 */
function numberFlag(range: fieldRules.NumberRange) {
  return z.unknown().transform((value, ctx): number => {
    const n = fieldRules.parseNumber(value, range);
    if (n !== undefined) return n;
    ctx.addIssue({ code: "custom", message: fieldRules.numberProblem(value, range) });
    return z.NEVER;
  });
}

function autoOrNumberFlag(range: fieldRules.NumberRange) {
  return z.unknown().transform((value, ctx): number | undefined => {
    if (value === undefined || value === "auto") return undefined;
    const n = fieldRules.parseNumber(value, range);
    if (n !== undefined) return n;
    ctx.addIssue({
      code: "custom",
      message: `${fieldRules.numberProblem(value, range).replace(", got", " or auto, got")}`,
    });
    return z.NEVER;
  });
}

/** --request-timeout has no field in the file: its range is the flag's own. */
const REQUEST_TIMEOUT: fieldRules.NumberRange = { kind: "decimal", min: 0.1, max: 600 };
const { concurrency, organizationsRate, workers, maxAttempts } = fieldRules.CONNECTION_NUMBERS;

export const globalOptionsSchema = z.object({
  profile: z.string().min(1).optional(),
  region: fieldRules.region,
  endpointUrl: z.url({ message: "must be a URL like http://127.0.0.1:5000" }).optional(),
  roleName: fieldRules.roleName,
  externalId: fieldRules.externalId.optional(),
  concurrency: numberFlag(concurrency),
  organizationsRate: numberFlag(organizationsRate).default(DEFAULT_ORGANIZATIONS_RATE),
  /** Worker threads for the report's account evaluations, beside the main thread; undefined: one per core but one, for more than 100 accounts. */
  workers: autoOrNumberFlag(workers).optional(),
  maxAttempts: numberFlag(maxAttempts),
  requestTimeout: numberFlag(REQUEST_TIMEOUT),
  mfaSerial: z.string().min(9).max(256).optional(),
  mfaCode: z
    .string()
    .regex(/^\d{6}$/, "must be the 6-digit code")
    .optional(),
  logLevel: z.enum(LOG_LEVELS),
  config: z.string().min(1).optional(),
  /** No progress and no warnings on stderr: only errors (results still go to stdout). */
  quiet: z.boolean().default(false),
  /** Stack traces with errors. */
  debug: z.boolean().default(false),
  /** --no-color or NO_COLOR turn it off; it is only ever used on a terminal (or with FORCE_COLOR). */
  color: z.boolean().default(true),
  forceColor: z.boolean().default(false),
});
export type GlobalOptions = z.infer<typeof globalOptionsSchema>;

/** Adds the options every command takes (DESIGN.md "Global options"). */
export function addGlobalOptions(program: Command, env: NodeJS.ProcessEnv): Command {
  return program
    .option(
      "--profile <name>",
      "AWS profile of the management account (default: the standard credential chain)",
    )
    .option(
      "--region <region>",
      "home region: STS, IAM-global rules and global checks run here (default: AWS_REGION or AWS_DEFAULT_REGION, else the profile's region in ~/.aws/config, else us-east-1)",
    )
    .option(
      "--endpoint-url <url>",
      "send every AWS call to this endpoint (a local emulator); also AWS_ENDPOINT_URL",
    )
    .option("--role-name <name>", "role orgwarden assumes in member accounts", DEFAULT_ROLE_NAME)
    .option("--external-id <id>", "external id the member role's trust policy requires")
    .option(
      "--concurrency <n>",
      "accounts worked on at once (a report lends the place of an account while one of its calls waits out a retry's back-off: at most twice as many in flight)",
      String(DEFAULT_CONCURRENCY),
    )
    .option(
      "--organizations-rate <n>",
      "Organizations requests per second, for the whole command (AWS throttles it per organization)",
      String(DEFAULT_ORGANIZATIONS_RATE),
    )
    .option(
      "--workers <n>",
      "worker threads evaluating accounts in report and run, beside the main thread, which takes its share (default: one per core but one, for an organization of more than 100 accounts; 0: none)",
    )
    .option(
      "--max-attempts <n>",
      "attempts per AWS call, with exponential back-off",
      env.AWS_MAX_ATTEMPTS ?? String(DEFAULT_MAX_ATTEMPTS),
    )
    .option("--request-timeout <seconds>", "give up on one HTTP attempt after this long; it is retried", "30")
    .option(
      "--mfa-serial <arn>",
      "MFA device of the operator: start an MFA session first (sts:GetSessionToken)",
    )
    .option("--mfa-code <code>", "6-digit MFA code (asked for on a terminal when only --mfa-serial is given)")
    .option("--log-level <level>", `JSON log lines on stderr: ${LOG_LEVELS.join(" | ")}`, "warn")
    .option("-q, --quiet", "only errors on stderr: no progress, warnings or log lines")
    .option("-v, --verbose", "log each step (--log-level info)")
    .option("--debug", "debug log lines, and stack traces with errors (--log-level debug)")
    .option("--no-color", "no colour (also NO_COLOR); colour is only used on a terminal")
    .option(
      "--config <file>",
      "orgwarden.yaml as every command's defaults: a flag wins over its field in the file, the file over the built-in default",
    );
}

/**
 * Validates the raw commander values; every problem is named with its flag. The home region comes
 * from the connection family's chain (homeRegion).
 */
export async function parseGlobalOptions(
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): Promise<GlobalOptions> {
  const region = await homeRegion(raw.region as string | undefined, raw.profile as string | undefined, env);
  // --quiet, --verbose and --debug set the log level unless --log-level is given as well.
  const logLevel = raw.logLevelExplicit
    ? raw.logLevel
    : raw.debug
      ? "debug"
      : raw.verbose
        ? "info"
        : raw.quiet
          ? "error"
          : raw.logLevel;
  const withEnv = {
    ...raw,
    region,
    logLevel,
    quiet: Boolean(raw.quiet),
    debug: Boolean(raw.debug),
    color: raw.color !== false && !env.NO_COLOR && env.TERM !== "dumb",
    forceColor: Boolean(env.FORCE_COLOR) && env.FORCE_COLOR !== "0",
    endpointUrl: raw.endpointUrl ?? (env.AWS_ENDPOINT_URL || undefined),
  };
  const parsed = globalOptionsSchema.safeParse(withEnv);
  if (parsed.success) return parsed.data;
  throw invalidOptions(parsed.error);
}

export function invalidOptions(error: z.ZodError): OrgwardenError {
  // "--concurrency must be …" reads as a sentence; zod's own messages follow a colon.
  const problems = error.issues.map(
    (i) => `--${kebab(String(i.path[0] ?? "?"))}${i.message.startsWith("must ") ? " " : ": "}${i.message}`,
  );
  return new OrgwardenError(
    "INVALID_INPUT",
    `invalid option${problems.length > 1 ? "s" : ""}: ${problems.join("; ")}`,
    {
      hint: "See `orgwarden --help`.",
    },
  );
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
