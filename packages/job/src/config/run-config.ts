import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MFA_POLICY_NAME,
  DEFAULT_PASSWORD_REQUIREMENTS,
  DEFAULT_ROLE_NAME,
  OrgwardenError,
} from "@orgwarden/core";
import { DEFAULT_RULES } from "@orgwarden/rules";
import { DEFAULT_POLICIES } from "@orgwarden/scp";
import { parseDocument } from "yaml";
import { z } from "zod";
import { readInputFile } from "../files/write-file-atomic.js";
import {
  CONNECTION_NUMBERS,
  cidr,
  externalId,
  guardDutyCentralAccount,
  iamPolicyName,
  libraryName,
  numberField,
  ouRef,
  PASSWORD_MIN_LENGTH,
  policyQuotas,
  principalArn,
  region,
  roleName,
  roleNamePattern,
  tagKey,
  vpcId,
} from "./field-rules.js";
import { rcpTopLevelFields } from "./rcp-config.js";
import { rolloutConfigSchema } from "./rollout-config.js";

/**
 * A list of at least one value, written as a YAML list or, as the matching flag takes it
 * (`--regions us-east-1,eu-west-1`, `--source check,scp`), as one comma-separated string.
 */
function listOf<T extends z.ZodType<unknown, string>>(item: T) {
  return z.union([
    z.array(item).min(1),
    z
      .string()
      .transform((text) =>
        text
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      )
      .pipe(z.array(item).min(1)),
  ]);
}

/** orgwarden.yaml: what the scheduled `orgwarden run` does. `orgwarden.schema.json` is generated from this. */
export const runConfigSchema = z
  .object({
    connection: z
      .object({
        region: region
          .optional()
          .describe(
            "home region: STS, IAM rules and global checks run here (default: AWS_REGION, the profile's region, us-east-1)",
          ),
        regions: listOf(region)
          .optional()
          .describe(
            "regions orgwarden works in: regional Config rules are deployed there and the report judges regional controls there (default: rules in the home region; the report: every region each account has enabled)",
          ),
        roleName: roleName.default(DEFAULT_ROLE_NAME),
        externalId: externalId.optional(),
        concurrency: numberField(CONNECTION_NUMBERS.concurrency).default(DEFAULT_CONCURRENCY),
        organizationsRate: numberField(CONNECTION_NUMBERS.organizationsRate)
          .optional()
          .describe("Organizations requests per second for the whole run (default 20)"),
        workers: numberField(CONNECTION_NUMBERS.workers)
          .optional()
          .describe(
            "worker threads evaluating accounts beside the main thread, which takes its share (default: one per core but one, for an organization of more than 100 accounts; 0: none)",
          ),
        maxAttempts: numberField(CONNECTION_NUMBERS.maxAttempts).default(DEFAULT_MAX_ATTEMPTS),
        endpointUrl: z.url().optional().describe("a local emulator; also AWS_ENDPOINT_URL"),
        profile: z.string().min(1).optional(),
      })
      .strict()
      .default({
        roleName: DEFAULT_ROLE_NAME,
        concurrency: DEFAULT_CONCURRENCY,
        maxAttempts: DEFAULT_MAX_ATTEMPTS,
      }),
    exemptPrincipals: z
      .array(principalArn)
      .default([])
      .describe("break-glass principals the SCPs exempt; orgwarden's role always is"),
    blockAssumeRoot: z
      .boolean()
      .default(false)
      .describe(
        "deny-root-user also blocks AssumeRoot sessions, and restrict-source-ip no longer exempts them",
      ),
    allowedCidrs: z.array(cidr).default([]).describe("networks restrict-source-ip allows (IPv4 and IPv6)"),
    allowedVpcs: z
      .array(vpcId)
      .optional()
      .describe("VPCs whose endpoints restrict-source-ip allows (default: any VPC endpoint)"),
    mfaExemptTagKey: tagKey
      .optional()
      .describe(
        "tag key (value true) exempting keys-only IAM users from require-mfa (default orgwarden:mfa-exempt)",
      ),
    networkExemptTagKey: tagKey
      .optional()
      .describe(
        "tag key (value true) exempting principals, e.g. service roles, from restrict-source-ip (default orgwarden:network-exempt)",
      ),
    auditAutomationRoles: z
      .array(roleNamePattern)
      .optional()
      .describe(
        "roles protect-audit lets manage CloudTrail, Config and GuardDuty (default AWSControlTowerExecution, stacksets-exec-*, AWSCloudFormationStackSetExecutionRole; [] for none)",
      ),
    verifyWithAws: z
      .enum(["auto", "on", "off"])
      .default("auto")
      .describe(
        "the lockout guard's verdicts also asked of AWS's policy simulator (iam:SimulateCustomPolicy): auto when allowed (a note when not), on to require it, off never",
      ),
    verifyRate: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe("SimulateCustomPolicy requests per second for verifyWithAws (default 40)"),
    deleteUnusedScps: z
      .boolean()
      .default(false)
      .describe(
        "after the scp entries, delete orgwarden's SCPs (variants) no target has attached any more (only when an entry is in enforce mode)",
      ),
    quotas: policyQuotas(
      "SCP quotas when Service Quotas cannot be read (default: AWS's documented 5120 characters, 10 per target since May 2026)",
    ),
    principalTags: z
      .record(tagKey, z.string().max(256))
      .default({})
      .describe(
        "tags on orgwarden's member role, for SCP conditions on aws:PrincipalTag (the lockout guard probes them)",
      ),
    passwordPolicy: z
      .object({
        minimumLength: numberField(PASSWORD_MIN_LENGTH).default(DEFAULT_PASSWORD_REQUIREMENTS.minimumLength),
        requireUppercase: z.boolean().default(DEFAULT_PASSWORD_REQUIREMENTS.requireUppercase),
        requireLowercase: z.boolean().default(DEFAULT_PASSWORD_REQUIREMENTS.requireLowercase),
        requireNumbers: z.boolean().default(DEFAULT_PASSWORD_REQUIREMENTS.requireNumbers),
        requireSymbols: z.boolean().default(DEFAULT_PASSWORD_REQUIREMENTS.requireSymbols),
        reusePrevention: z
          .number()
          .int()
          .min(1)
          .max(24)
          .default(DEFAULT_PASSWORD_REQUIREMENTS.reusePrevention)
          .describe("PasswordReusePrevention: previous passwords that cannot be reused"),
        maxAgeDays: z
          .number()
          .int()
          .min(1)
          .max(1095)
          .default(DEFAULT_PASSWORD_REQUIREMENTS.maxAgeDays)
          .describe("MaxPasswordAge: passwords expire after at most this many days"),
      })
      .strict()
      .default({ ...DEFAULT_PASSWORD_REQUIREMENTS })
      .describe(
        "IAM_PASSWORD_POLICY's parameters, for the direct check and the deployed iam-password-policy rule alike (default: the rule's own)",
      ),
    mfaPolicyName: iamPolicyName.default(DEFAULT_MFA_POLICY_NAME),
    guardDutyCentralAccount: guardDutyCentralAccount
      .optional()
      .describe(
        "guardduty-enabled-centralized's CentralMonitoringAccount, in every region (default: GuardDuty's delegated administrator of each region, read with guardduty:ListOrganizationAdminAccounts; none: no central account)",
      ),
    scp: z
      .array(
        z
          .object({
            ou: ouRef.describe(
              "OU, root or account the policies are attached to: an id, or a path like Root/Workloads",
            ),
            policies: z
              .array(libraryName)
              .min(1)
              .default([...DEFAULT_POLICIES]),
            mode: z.enum(["enforce", "detect"]).default("detect"),
            allowRoot: z.boolean().default(false),
            exemptPrincipals: z
              .array(principalArn)
              .optional()
              .describe(
                "this OU's exempt principals, instead of the top-level list (its own policy variant)",
              ),
            allowedCidrs: z
              .array(cidr)
              .optional()
              .describe("this OU's networks, instead of the top-level list"),
            allowedVpcs: z.array(vpcId).optional().describe("this OU's VPCs, instead of the top-level list"),
          })
          .strict(),
      )
      .default([]),
    ...rcpTopLevelFields,
    root: z
      .array(
        z
          .object({
            ou: ouRef.describe(
              "OU, root or member account whose member accounts' root credentials are managed: an id, or a path like Root/Workloads",
            ),
            mode: z
              .enum(["enforce", "detect"])
              .default("detect")
              .describe(
                "enforce: remove root passwords, access keys and signing certificates and deactivate MFA (root remove-credentials); detect: only report what remains",
              ),
            keep: z
              .array(z.enum(["mfa"]))
              .default([])
              .describe("mfa: leave the root users' MFA devices in place (as --keep mfa)"),
            allowRoot: z
              .boolean()
              .default(false)
              .describe("allow the organization root as ou (every member account), as --allow-root"),
          })
          .strict(),
      )
      .default([])
      .describe(
        "centralized root access: needs orgwarden root enable first (the run refuses before any change otherwise)",
      ),
    rules: z
      .array(
        z
          .object({
            ou: ouRef
              .optional()
              .describe(
                "OU, root or account whose accounts get the rules: an id, or a path like Root/Workloads (default: every account)",
              ),
            rules: z.array(libraryName).default([...DEFAULT_RULES]),
            regions: listOf(region).optional(),
            mode: z.enum(["accounts", "organization"]).default("accounts"),
            ensureIamPolicy: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    rollout: rolloutConfigSchema.optional(),
    report: z
      .object({
        ou: ouRef
          .optional()
          .describe(
            "only the accounts under this OU, root or account: an id, or a path like Root/Workloads (report --ou overrides it)",
          ),
        sources: listOf(z.enum(["check", "config", "scp", "policies", "guardrails"])).optional(),
        formats: listOf(z.enum(["csv", "json", "html", "ocsf"])).default(["csv"]),
        outputDir: z.string().min(1).default("./orgwarden-reports"),
        failOn: z.enum(["non-compliant", "none"]).default("none"),
        aggregator: z.string().min(1).optional(),
        rootAudit: z
          .boolean()
          .default(false)
          .describe(
            "true: also audit member root users with AssumeRoot sessions (one per member account, a privileged event in its CloudTrail) when centralized root access is on; false (default): the root controls come from the account summary (iam:GetAccountSummary) and no session is opened",
          ),
        includeConfigServiceLinkedRoleCheck: z
          .boolean()
          .default(true)
          .describe(
            "Security Hub Config.1's parameter: config-recorder requires AWS Config's service-linked role AWSServiceRoleForConfig as the recorder's role (false: any role, as --any-recorder-role)",
          ),
        securityHub: z
          .union([z.boolean(), z.object({ region: region.optional() }).strict()])
          .optional()
          .describe(
            "also import every row into AWS Security Hub as an ASFF finding, by the account it is about (true, or { region }: the region whose Security Hub receives them; default the home region)",
          ),
      })
      .strict()
      .default({
        formats: ["csv"],
        outputDir: "./orgwarden-reports",
        failOn: "none",
        rootAudit: false,
        includeConfigServiceLinkedRoleCheck: true,
      }),
    notify: z
      .object({
        snsTopicArn: z
          .string()
          .regex(
            /^arn:aws[\w-]*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[\w-]{1,256}$/,
            "must be an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:orgwarden",
          )
          .describe(
            "the topic that gets the summary of what changed since the last run, when something got worse",
          ),
        reportUrl: z
          .string()
          .min(1)
          .optional()
          .describe(
            "a link to the reports, put at the end of the message (e.g. the S3 console URL of reports/)",
          ),
      })
      .strict()
      .optional()
      .describe(
        "publish what changed since the last run (rows that became NON_COMPLIANT, SCP drift) to SNS when something got worse; needs json in report.formats (latest.json is the last run)",
      ),
  })
  .strict()
  .superRefine((config, ctx) => {
    // What changed is computed against the last run's latest.json.
    if (config.notify && !config.report.formats.includes("json")) {
      ctx.addIssue({
        code: "custom",
        path: ["notify"],
        message: "notify compares each run with the last one's latest.json: add json to report.formats",
      });
    }
    // With blockAssumeRoot, deny-root-user denies the AssumeRoot sessions the root: entries need,
    // and restrict-source-ip denies them from outside the allowed networks (the runner's address).
    const blocking = ["deny-root-user", "restrict-source-ip"].filter((p) =>
      config.scp.some((e) => e.policies.some((name) => name === p || name === `orgwarden-${p}`)),
    );
    if (config.blockAssumeRoot && config.root.length > 0 && blocking.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["blockAssumeRoot"],
        message: `blockAssumeRoot: true makes ${blocking.join(" and ")} deny the AssumeRoot sessions the root: entries need; drop one of them`,
      });
    }
  });

export type RunConfig = z.infer<typeof runConfigSchema>;

export interface ConfigProblem {
  path: string;
  message: string;
}

/** Pure validation: `{ config }` or every problem, each with its path. */
export function validateRunConfig(value: unknown): { config?: RunConfig; problems: ConfigProblem[] } {
  const parsed = runConfigSchema.safeParse(value ?? {});
  if (parsed.success) return { config: parsed.data, problems: [] };
  return { problems: parsed.error.issues.flatMap((i) => describeIssue(i, [])) };
}

/**
 * One problem per issue. A list field takes a YAML list or a comma-separated string (listOf): when
 * neither fits, the problem is the one of the form that was written, not zod's "Invalid input".
 */
function describeIssue(issue: z.core.$ZodIssue, base: PropertyKey[]): ConfigProblem[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // The form that was written is the branch whose complaint is not about the value's type.
    const written =
      issue.errors.find((branch) => !branch.some((i) => i.code === "invalid_type" && i.path.length === 0)) ??
      issue.errors[0] ??
      [];
    return written.flatMap((i) => describeIssue(i, path));
  }
  return [{ path: path.length ? path.map(String).join(".") : "(top level)", message: issue.message }];
}

/** Reads and validates orgwarden.yaml; an invalid file is INVALID_INPUT listing every problem. */
export function loadRunConfig(file: string): RunConfig {
  const text = readInputFile(
    file,
    "the config file",
    "Pass the path of orgwarden.yaml with --config (see orgwarden.example.yaml).",
  );
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${file} is not valid YAML:\n${doc.errors.map((e) => `  - ${e.message}`).join("\n")}`,
    );
  }
  const { config, problems } = validateRunConfig(doc.toJS());
  if (!config) {
    throw new OrgwardenError(
      "INVALID_INPUT",
      `${file} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join("\n")}`,
      { hint: "Fix the file; orgwarden.schema.json gives editors completion and checks." },
    );
  }
  return config;
}

/** The JSON Schema committed as orgwarden.schema.json, generated from the same zod schema. */
export function runConfigJsonSchema(): Record<string, unknown> {
  return {
    $id: "https://github.com/orgwarden/orgwarden/orgwarden.schema.json",
    title: "orgwarden configuration (orgwarden.yaml)",
    ...(z.toJSONSchema(runConfigSchema, { io: "input" }) as Record<string, unknown>),
  };
}
