import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { GuardDutyClient } from "@aws-sdk/client-guardduty";
import {
  GenerateCredentialReportCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  GetGroupCommand,
  GetPolicyCommand,
  type IAMClient,
  type PasswordPolicy,
  paginateGetAccountAuthorizationDetails,
  paginateListEntitiesForPolicy,
  paginateListVirtualMFADevices,
} from "@aws-sdk/client-iam";
import {
  type ControlId,
  collectPages,
  describeAwsError,
  isAwsError,
  OrgwardenError,
  type PasswordRequirements,
  pollUntil,
} from "@orgwarden/core";
import { hasRootCredentials } from "@orgwarden/root";
import { DEFAULT_MFA_EXEMPT_TAG_KEY } from "@orgwarden/scp";
import { parse as parseCsv } from "csv-parse/sync";
import {
  foldRecorders,
  foldRegions,
  guardDutyIn,
  inEveryRegion,
  judgeRecorder,
  type RegionVerdict,
  readRecorder,
} from "./regional-checks.js";
import type { ControlOutcome } from "./report-model.js";
import {
  judgeCentralizedRootAccess,
  judgeRootCredentialsPresent,
  type RootAccessReading,
  type RootAudit,
} from "./root-checks.js";
import { checkCloudTrail, type TrailJudgement } from "./trail-checks.js";

/** IAM is global; the other services are asked region by region. */
export interface AccountCheckClients {
  iam: IAMClient;
  cloudtrail: (region: string) => CloudTrailClient;
  guardduty: (region: string) => GuardDutyClient;
  config: (region: string) => ConfigServiceClient;
}

export interface AccountCheckSettings {
  accountId: string;
  partition: string;
  mfaPolicyName: string;
  /** The tag key (value "true") that exempts a keys-only user from require-mfa: each such user is a row. */
  mfaExemptTagKey?: string;
  password: PasswordRequirements;
  /** How long to wait for IAM to generate the credential report. */
  credentialReportTimeoutMs?: number;
  now?: () => Date;
  /** Where trails are listed and global reads are made. */
  homeRegion: string;
  /**
   * The regions regional controls are judged in (the account's enabled regions, or the chosen
   * ones), or why they could not be listed; read while the global checks run.
   */
  regions:
    | readonly string[]
    | Promise<{ regions: readonly string[]; notEnabled?: readonly string[]; error?: string }>;
  /** The management account's organization trails, judged once for the report. */
  organizationTrails?: () => Promise<readonly TrailJudgement[]>;
  /**
   * Centralized root access: adds root-credentials-centralized and root-credentials-present, and
   * makes root-mfa NOT_APPLICABLE when the audit finds no root credentials.
   */
  rootAccess?: RootAccessReading;
}

type SummaryMap = Record<string, number | undefined>;

/**
 * The direct checks for one account, each call made once: GetAccountSummary serves root-mfa,
 * root-hardware-mfa and root-access-keys; a check that fails becomes an ERROR outcome for its
 * control only, so one denied API does not hide the others.
 */
export async function checkAccount(
  clients: AccountCheckClients,
  settings: AccountCheckSettings,
): Promise<ControlOutcome[]> {
  const now = settings.now ?? (() => new Date());
  const guard = async (
    controls: ControlId[],
    fn: () => Promise<ControlOutcome[]>,
  ): Promise<ControlOutcome[]> => {
    try {
      return await fn();
    } catch (err) {
      const e = describeAwsError(err);
      return controls.map((control) => ({
        control,
        status: "ERROR",
        reason: e.hint ? `${e.message} (${e.hint})` : e.message,
      }));
    }
  };
  // GetAccountSummary serves the root controls; the root audit (an AssumeRoot session) runs beside it.
  let summary: Promise<SummaryMap> | undefined;
  const readSummary = () => {
    summary ??= clients.iam.send(new GetAccountSummaryCommand({})).then((o) => o.SummaryMap ?? {});
    return summary;
  };
  const root = settings.rootAccess;
  const audit = root?.audit(settings.accountId);
  const results = await Promise.all([
    guard(["root-mfa", "root-hardware-mfa", "root-access-keys"], async () =>
      checkRoot(clients.iam, settings, await readSummary(), await audit),
    ),
    ...(root && audit
      ? [
          guard(["root-credentials-centralized"], async () => [
            judgeCentralizedRootAccess(await root.features(), settings.accountId, root.managementAccountId),
          ]),
          guard(["root-credentials-present"], async () => {
            const a = await audit;
            // The summary is only the fallback when the audit cannot run (its failure is an ERROR).
            const s = a.kind === "not-enabled" ? await readSummary() : undefined;
            return [judgeRootCredentialsPresent(a, s)];
          }),
        ]
      : []),
    guard(["password-policy"], () => checkPasswordPolicy(clients.iam, settings)),
    guard(["iam-user-mfa"], () => checkConsoleUsersMfa(clients.iam, settings)),
    guard(["mfa-policy-in-use"], () => checkMfaPolicyInUse(clients.iam, settings)),
    guard(["mfa-exempt-user"], () => listMfaExemptUsers(clients.iam, settings)),
    guard(["cloudtrail-enabled"], async () =>
      checkCloudTrail(clients.cloudtrail, settings.homeRegion, (await settings.organizationTrails?.()) ?? []),
    ),
    guard(["guardduty-enabled"], () =>
      regional(
        settings,
        (r) => guardDutyIn(clients.guardduty(r)),
        (verdicts) => foldRegions("guardduty-enabled", verdicts),
      ),
    ),
    guard(["config-recorder"], () =>
      regional(settings, async (r) => judgeRecorder(await readRecorder(clients.config(r))), foldRecorders),
    ),
  ]);
  const at = now();
  return results.flat().map((o) => ({
    resourceType: "AWS::::Account",
    resourceId: settings.accountId,
    evaluatedAt: at,
    ...o,
  }));
}

/**
 * Every IAM user tagged with the MFA-exempt key set to "true" (exactly what require-mfa's
 * StringNotEqualsIfExists lets through), one NOT_APPLICABLE row each, so auditors see every
 * exception. One paginated GetAccountAuthorizationDetails call returns users with their tags.
 */
async function listMfaExemptUsers(iam: IAMClient, s: AccountCheckSettings): Promise<ControlOutcome[]> {
  const key = s.mfaExemptTagKey ?? DEFAULT_MFA_EXEMPT_TAG_KEY;
  const users = await collectPages(
    paginateGetAccountAuthorizationDetails({ client: iam }, { Filter: ["User"] }),
    (p) => p.UserDetailList,
  );
  return users
    .filter((u) =>
      (u.Tags ?? []).some((t) => t.Key?.toLowerCase() === key.toLowerCase() && t.Value === "true"),
    )
    .map((u) => ({
      control: "mfa-exempt-user" as const,
      status: "NOT_APPLICABLE" as const,
      resourceType: "AWS::IAM::User",
      resourceId: u.Arn ?? u.UserName ?? "",
      reason: `exempt by tag: ${u.UserName} is tagged ${key}=true, so require-mfa does not apply to it`,
    }));
}

/**
 * A regional control: judged in each region (the list is awaited here, so the global checks never
 * wait for it), folded into one row. Regions that could not be listed make the control ERROR
 * (thrown); chosen regions the account has not enabled are named in the reason, not dropped.
 */
async function regional<V extends Omit<RegionVerdict, "region">>(
  s: AccountCheckSettings,
  check: (region: string) => Promise<V>,
  fold: (verdicts: Array<RegionVerdict & Partial<V>>) => ControlOutcome,
): Promise<ControlOutcome[]> {
  const where = "then" in s.regions ? await s.regions : { regions: s.regions };
  if ("error" in where && where.error) throw new Error(where.error);
  const outcome = fold(await inEveryRegion(where.regions, check));
  const skipped = "notEnabled" in where ? (where.notEnabled ?? []) : [];
  return [
    skipped.length === 0
      ? outcome
      : {
          ...outcome,
          reason: `${outcome.reason}; not enabled in this account, so not checked: ${skipped.join(" ")}`,
        },
  ];
}

async function checkRoot(
  iam: IAMClient,
  s: AccountCheckSettings,
  summary: SummaryMap,
  audit: RootAudit | undefined,
): Promise<ControlOutcome[]> {
  const mfa = summary.AccountMFAEnabled;
  const keys = summary.AccountAccessKeysPresent;
  // Centralized root access removes every root credential. Only keys the summary actually reports
  // count: a missing key is not proof that the credential is absent.
  const credentialKeys = [
    "AccountPasswordPresent",
    "AccountAccessKeysPresent",
    "AccountSigningCertificatesPresent",
  ];
  // The root audit (centralized root access) is the better witness: it reads each credential.
  const audited = audit?.kind === "audited" ? audit.credentials : undefined;
  const noRootCredentials = audited
    ? !hasRootCredentials(audited)
    : credentialKeys.every((k) => summary[k] === 0);
  const unknownKeys = audited ? [] : credentialKeys.filter((k) => summary[k] === undefined);
  const noCredentialsReason = audited
    ? "no root credentials: the root audit (centralized root access) finds no password, access keys or signing certificates"
    : "no root credentials: the account summary reports no password, access keys or signing certificates (as after centralized root access removed them)";
  const out: ControlOutcome[] = [];

  if (mfa === 1 && !(audited && noRootCredentials)) {
    out.push({ control: "root-mfa", status: "COMPLIANT", reason: "root user has MFA" });
  } else if (noRootCredentials) {
    out.push({ control: "root-mfa", status: "NOT_APPLICABLE", reason: noCredentialsReason });
  } else if (mfa === 0) {
    out.push({
      control: "root-mfa",
      status: "NON_COMPLIANT",
      reason: `root user has no MFA${unknownKeys.length ? ` (the account summary does not report ${unknownKeys.join(", ")}, so root credentials may exist)` : ""}`,
    });
  } else
    out.push({
      control: "root-mfa",
      status: "INSUFFICIENT_DATA",
      reason: "the account summary has no AccountMFAEnabled",
    });

  if (audited) {
    const n = audited.accessKeys.length;
    out.push(
      n === 0
        ? {
            control: "root-access-keys",
            status: "COMPLIANT",
            reason: "root user has no access keys (root audit)",
          }
        : {
            control: "root-access-keys",
            status: "NON_COMPLIANT",
            reason: `root user has ${n} access key${n === 1 ? "" : "s"} (root audit): delete them`,
          },
    );
  } else if (keys === 0)
    out.push({ control: "root-access-keys", status: "COMPLIANT", reason: "root user has no access keys" });
  else if (keys === undefined) {
    out.push({
      control: "root-access-keys",
      status: "INSUFFICIENT_DATA",
      reason: "the account summary has no AccountAccessKeysPresent",
    });
  } else
    out.push({
      control: "root-access-keys",
      status: "NON_COMPLIANT",
      reason: "root user has access keys: delete them",
    });

  if (noRootCredentials && (mfa !== 1 || audited)) {
    out.push({ control: "root-hardware-mfa", status: "NOT_APPLICABLE", reason: noCredentialsReason });
  } else if (mfa !== 1) {
    out.push({
      control: "root-hardware-mfa",
      status: "NON_COMPLIANT",
      reason: "root user has no MFA device at all",
    });
  } else {
    // Root's virtual device is recognised by its user ARN: device names are free-form.
    const rootArn = `arn:${s.partition}:iam::${s.accountId}:root`;
    const devices = await collectPages(
      paginateListVirtualMFADevices({ client: iam, pageSize: 1000 }, { AssignmentStatus: "Assigned" }),
      (p) => p.VirtualMFADevices,
    );
    const virtual = devices.find((d) => d.User?.Arn === rootArn);
    out.push(
      virtual
        ? {
            control: "root-hardware-mfa",
            status: "NON_COMPLIANT",
            reason: `root user's MFA is a virtual device (${virtual.SerialNumber})`,
          }
        : {
            control: "root-hardware-mfa",
            status: "COMPLIANT",
            reason: "root user's MFA is a hardware device",
          },
    );
  }
  return out;
}

async function checkPasswordPolicy(iam: IAMClient, s: AccountCheckSettings): Promise<ControlOutcome[]> {
  let policy: PasswordPolicy;
  try {
    policy = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy ?? {};
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) {
      return [
        {
          control: "password-policy",
          status: "NON_COMPLIANT",
          reason: "no custom password policy: the AWS default applies",
        },
      ];
    }
    throw err;
  }
  return [judgePasswordPolicy(policy, s.password)];
}

/**
 * IAM_PASSWORD_POLICY's evaluation with its parameters: every requirement must be met; a policy
 * without expiry fails a MaxPasswordAge requirement, one without reuse prevention fails
 * PasswordReusePrevention. https://docs.aws.amazon.com/config/latest/developerguide/iam-password-policy.html
 */
export function judgePasswordPolicy(policy: PasswordPolicy, want: PasswordRequirements): ControlOutcome {
  const failures: string[] = [];
  if ((policy.MinimumPasswordLength ?? 0) < want.minimumLength) {
    failures.push(`minimum length ${policy.MinimumPasswordLength ?? 0} < ${want.minimumLength}`);
  }
  if (want.requireUppercase && !policy.RequireUppercaseCharacters)
    failures.push("upper-case letters not required");
  if (want.requireLowercase && !policy.RequireLowercaseCharacters)
    failures.push("lower-case letters not required");
  if (want.requireNumbers && !policy.RequireNumbers) failures.push("digits not required");
  if (want.requireSymbols && !policy.RequireSymbols) failures.push("symbols not required");
  const reuse = policy.PasswordReusePrevention ?? 0;
  if (reuse < want.reusePrevention) {
    failures.push(
      reuse === 0
        ? `password reuse not prevented (need the last ${want.reusePrevention})`
        : `reuse prevention ${reuse} < ${want.reusePrevention}`,
    );
  }
  const age = policy.ExpirePasswords ? (policy.MaxPasswordAge ?? 0) : 0;
  if (age === 0 || age > want.maxAgeDays) {
    failures.push(
      age === 0
        ? `passwords never expire (need at most ${want.maxAgeDays} days)`
        : `maximum age ${age} days > ${want.maxAgeDays}`,
    );
  }
  return failures.length === 0
    ? {
        control: "password-policy",
        status: "COMPLIANT",
        reason: `meets IAM_PASSWORD_POLICY with ${want.minimumLength}+ characters, all classes, reuse ${want.reusePrevention}, expiry ${want.maxAgeDays} days`,
      }
    : { control: "password-policy", status: "NON_COMPLIANT", reason: failures.join("; ") };
}

async function checkConsoleUsersMfa(iam: IAMClient, s: AccountCheckSettings): Promise<ControlOutcome[]> {
  const report = await credentialReport(iam, s.credentialReportTimeoutMs ?? 60_000);
  // The report can be up to four hours old: its rows are as of its GeneratedTime, not of this run.
  const at = report.generatedAt ? { evaluatedAt: report.generatedAt } : {};
  return [{ ...judgeConsoleUsersMfa(report.content), ...at }];
}

/**
 * The credential report's rows by column name, parsed as CSV (quoted cells included). A user name
 * may hold commas (IAM allows them in names) and a report that does not quote it has extra cells:
 * the name is then both the first cells and the end of the ARN, so the row is put back together.
 */
export function credentialReportRecords(csv: string): Array<Record<string, string>> {
  const rows = parseCsv(csv, {
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];
  const header = rows.shift() ?? [];
  for (const c of ["user", "arn", "password_enabled", "mfa_active"]) {
    if (!header.includes(c)) throw new Error(`the credential report has no ${c} column`);
  }
  if (header[0] !== "user" || header[1] !== "arn")
    throw new Error("the credential report does not start with user,arn");
  return rows.map((cells) => {
    let fixed = cells;
    if (cells.length > header.length) {
      // user,arn,user_creation_time,…: the ARN is the first cell starting "arn:", the creation time
      // the first ISO 8601 cell after it; whatever lies between belongs to the name or the ARN.
      const arnAt = cells.findIndex((c, i) => i > 0 && c.startsWith("arn:"));
      const timeAt = cells.findIndex((c, i) => i > arnAt && /^\d{4}-\d{2}-\d{2}T/.test(c));
      if (arnAt > 0 && timeAt > arnAt) {
        fixed = [
          cells.slice(0, arnAt).join(","),
          cells.slice(arnAt, timeAt).join(","),
          ...cells.slice(timeAt),
        ];
      }
    }
    return Object.fromEntries(header.map((h, i) => [h, fixed[i] ?? ""]));
  });
}

/**
 * MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS over the credential report, parsed as the RFC 4180 CSV it is
 * (a user name may hold a comma or a quote). The root row belongs to the root-mfa control.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
 */
export function judgeConsoleUsersMfa(csv: string): ControlOutcome {
  const records = credentialReportRecords(csv);
  const consoleUsers = records.filter(
    (r) => r.user !== "<root_account>" && (r.password_enabled ?? "").toLowerCase() === "true",
  );
  const withoutMfa = consoleUsers
    .filter((r) => (r.mfa_active ?? "").toLowerCase() !== "true")
    .map((r) => r.user ?? "")
    .sort();
  if (consoleUsers.length === 0)
    return {
      control: "iam-user-mfa",
      status: "NOT_APPLICABLE",
      reason: "no IAM user has a console password",
    };
  if (withoutMfa.length === 0) {
    return {
      control: "iam-user-mfa",
      status: "COMPLIANT",
      reason: `all ${consoleUsers.length} console user(s) have MFA`,
    };
  }
  return {
    control: "iam-user-mfa",
    status: "NON_COMPLIANT",
    reason: `console users without MFA: ${withoutMfa.map((u) => JSON.stringify(u)).join(" ")}`,
    resourceType: "AWS::IAM::User",
    resourceId: withoutMfa.join(" "),
  };
}

/**
 * Generates (AWS makes a new one at most every 4 hours) and reads the IAM credential report. After
 * asking for it, orgwarden polls GetCredentialReport itself: one round trip fewer than asking
 * GenerateCredentialReport again until it says COMPLETE.
 */
async function credentialReport(
  iam: IAMClient,
  timeoutMs: number,
): Promise<{ content: string; generatedAt: Date | undefined }> {
  const gen = await iam.send(new GenerateCredentialReportCommand({}));
  // Not COMPLETE yet: wait once before the first read.
  let waitFirst = gen.State !== "COMPLETE";
  return pollUntil(
    async () => {
      if (waitFirst) {
        waitFirst = false;
        return undefined;
      }
      try {
        const out = await iam.send(new GetCredentialReportCommand({}));
        return {
          content: new TextDecoder().decode(out.Content ?? new Uint8Array()),
          generatedAt: out.GeneratedTime,
        };
      } catch (err) {
        if (!isAwsError(err, ...REPORT_NOT_READY, ...REPORT_MISSING)) throw err;
        // Not there (or expired between the two calls): ask for it again, then keep polling.
        if (isAwsError(err, ...REPORT_MISSING)) await iam.send(new GenerateCredentialReportCommand({}));
        return undefined;
      }
    },
    {
      timeoutMs,
      firstDelayMs: 100,
      maxDelayMs: 4_000,
      timedOut: () =>
        new OrgwardenError(
          "AWS_ERROR",
          `the IAM credential report was not ready after ${timeoutMs / 1000} s`,
          {
            hint: "IAM generates the report asynchronously; run again in a minute.",
          },
        ),
    },
  );
}

const REPORT_NOT_READY = ["ReportInProgress", "CredentialReportNotReadyException"];
const REPORT_MISSING = [
  "ReportNotPresent",
  "CredentialReportNotPresentException",
  "CredentialReportExpiredException",
  "ReportExpired",
];

async function checkMfaPolicyInUse(iam: IAMClient, s: AccountCheckSettings): Promise<ControlOutcome[]> {
  const arn = `arn:${s.partition}:iam::${s.accountId}:policy/${s.mfaPolicyName}`;
  const base = { control: "mfa-policy-in-use" as const, resourceType: "AWS::IAM::Policy", resourceId: arn };
  // GetPolicy first: its AttachmentCount settles "absent" and "attached to nothing" in one call,
  // the common findings; only an attached policy needs the list of entities.
  let attachments: number;
  try {
    attachments = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.AttachmentCount ?? 0;
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) {
      return [
        {
          ...base,
          status: "NON_COMPLIANT",
          reason: `policy ${s.mfaPolicyName} does not exist in this account`,
        },
      ];
    }
    throw err;
  }
  if (attachments === 0) {
    return [{ ...base, status: "NON_COMPLIANT", reason: `policy ${s.mfaPolicyName} is attached to nothing` }];
  }
  const pages = await collectPages(
    paginateListEntitiesForPolicy({ client: iam, pageSize: 1000 }, { PolicyArn: arn }),
    (p) => [
      {
        users: (p.PolicyUsers ?? []).map((u) => u.UserName ?? ""),
        groups: (p.PolicyGroups ?? []).map((g) => g.GroupName ?? ""),
        roles: (p.PolicyRoles ?? []).map((r) => r.RoleName ?? ""),
      },
    ],
  );
  const users = pages.flatMap((p) => p.users);
  const groups = pages.flatMap((p) => p.groups);
  const roles = pages.flatMap((p) => p.roles);
  if (users.length > 0 || roles.length > 0) {
    const names = [...users.map((u) => `user ${u}`), ...roles.map((r) => `role ${r}`)];
    return [{ ...base, status: "COMPLIANT", reason: `attached to ${names.join(", ")}` }];
  }
  // Like IAM_POLICY_IN_USE: a group counts only when it has at least one user.
  for (const group of groups) {
    const g = await iam.send(new GetGroupCommand({ GroupName: group, MaxItems: 1 }));
    if ((g.Users ?? []).length > 0)
      return [{ ...base, status: "COMPLIANT", reason: `attached to group ${group}` }];
  }
  return [
    {
      ...base,
      status: "NON_COMPLIANT",
      reason:
        groups.length > 0 ? `attached only to empty group(s): ${groups.join(" ")}` : "attached to nothing",
    },
  ];
}
