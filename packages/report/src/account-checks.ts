import {
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import {
  type ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
} from "@aws-sdk/client-config-service";
import { GetDetectorCommand, type GuardDutyClient, ListDetectorsCommand } from "@aws-sdk/client-guardduty";
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
import { type ControlId, collectPages, describeAwsError, isAwsError } from "@orgwarden/core";
import { DEFAULT_MFA_EXEMPT_TAG_KEY } from "@orgwarden/scp";
import type { PasswordRequirements } from "./password-requirements.js";
import type { ControlOutcome } from "./report-model.js";

export interface AccountCheckClients {
  iam: IAMClient;
  cloudtrail: CloudTrailClient;
  guardduty: GuardDutyClient;
  config: ConfigServiceClient;
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
}

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
  const results = await Promise.all([
    guard(["root-mfa", "root-hardware-mfa", "root-access-keys"], () => checkRoot(clients.iam, settings)),
    guard(["password-policy"], () => checkPasswordPolicy(clients.iam, settings)),
    guard(["iam-user-mfa"], () => checkConsoleUsersMfa(clients.iam, settings)),
    guard(["mfa-policy-in-use"], () => checkMfaPolicyInUse(clients.iam, settings)),
    guard(["mfa-exempt-user"], () => listMfaExemptUsers(clients.iam, settings)),
    guard(["cloudtrail-enabled"], () => checkCloudTrail(clients.cloudtrail)),
    guard(["guardduty-enabled"], () => checkGuardDuty(clients.guardduty)),
    guard(["config-recorder"], () => checkConfigRecorder(clients.config)),
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

async function checkRoot(iam: IAMClient, s: AccountCheckSettings): Promise<ControlOutcome[]> {
  const summary: Record<string, number | undefined> =
    (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap ?? {};
  const mfa = summary.AccountMFAEnabled;
  const keys = summary.AccountAccessKeysPresent;
  // Centralized root access removes every root credential. Only keys the summary actually reports
  // count: a missing key is not proof that the credential is absent.
  const credentialKeys = [
    "AccountPasswordPresent",
    "AccountAccessKeysPresent",
    "AccountSigningCertificatesPresent",
  ];
  const noRootCredentials = credentialKeys.every((k) => summary[k] === 0);
  const unknownKeys = credentialKeys.filter((k) => summary[k] === undefined);
  const out: ControlOutcome[] = [];

  if (mfa === 1) out.push({ control: "root-mfa", status: "COMPLIANT", reason: "root user has MFA" });
  else if (noRootCredentials) {
    out.push({
      control: "root-mfa",
      status: "NOT_APPLICABLE",
      reason: "root user has no credentials (centralized root access)",
    });
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

  if (keys === 0)
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

  if (mfa !== 1) {
    out.push(
      noRootCredentials
        ? {
            control: "root-hardware-mfa",
            status: "NOT_APPLICABLE",
            reason: "root user has no credentials (centralized root access)",
          }
        : {
            control: "root-hardware-mfa",
            status: "NON_COMPLIANT",
            reason: "root user has no MFA device at all",
          },
    );
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
  const want = s.password;
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
  return [
    failures.length === 0
      ? {
          control: "password-policy",
          status: "COMPLIANT",
          reason: `meets the minimum (${want.minimumLength}+ characters, all classes)`,
        }
      : { control: "password-policy", status: "NON_COMPLIANT", reason: failures.join("; ") },
  ];
}

async function checkConsoleUsersMfa(iam: IAMClient, s: AccountCheckSettings): Promise<ControlOutcome[]> {
  const report = await credentialReport(iam, s.credentialReportTimeoutMs ?? 60_000);
  const lines = report.trim().split(/\r?\n/);
  const header = (lines.shift() ?? "").split(",");
  const col = (name: string) => header.indexOf(name);
  const [iUser, iPassword, iMfa] = [col("user"), col("password_enabled"), col("mfa_active")];
  if (iUser < 0 || iPassword < 0 || iMfa < 0)
    throw new Error("the credential report has no user/password_enabled/mfa_active columns");
  let consoleUsers = 0;
  const withoutMfa: string[] = [];
  for (const line of lines) {
    const cells = line.split(",");
    const user = cells[iUser] ?? "";
    if (user === "<root_account>") continue; // root is the root-mfa control
    if ((cells[iPassword] ?? "").toLowerCase() !== "true") continue;
    consoleUsers += 1;
    if ((cells[iMfa] ?? "").toLowerCase() !== "true") withoutMfa.push(user);
  }
  if (consoleUsers === 0)
    return [
      { control: "iam-user-mfa", status: "NOT_APPLICABLE", reason: "no IAM user has a console password" },
    ];
  if (withoutMfa.length === 0) {
    return [
      {
        control: "iam-user-mfa",
        status: "COMPLIANT",
        reason: `all ${consoleUsers} console user(s) have MFA`,
      },
    ];
  }
  withoutMfa.sort();
  return [
    {
      control: "iam-user-mfa",
      status: "NON_COMPLIANT",
      reason: `console users without MFA: ${withoutMfa.join(" ")}`,
      resourceType: "AWS::IAM::User",
      resourceId: withoutMfa.join(" "),
    },
  ];
}

/**
 * Generates (AWS makes a new one at most every 4 hours) and reads the IAM credential report. After
 * asking for it, orgwarden polls GetCredentialReport itself: one round trip fewer than asking
 * GenerateCredentialReport again until it says COMPLETE.
 */
async function credentialReport(iam: IAMClient, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const gen = await iam.send(new GenerateCredentialReportCommand({}));
  let ready = gen.State === "COMPLETE";
  for (let delay = 100; ; delay = Math.min(delay * 2, 4000)) {
    if (!ready) await new Promise((r) => setTimeout(r, delay));
    try {
      const out = await iam.send(new GetCredentialReportCommand({}));
      return new TextDecoder().decode(out.Content ?? new Uint8Array());
    } catch (err) {
      if (
        !isAwsError(
          err,
          "ReportInProgress",
          "CredentialReportNotReadyException",
          "ReportNotPresent",
          "CredentialReportNotPresentException",
          "CredentialReportExpiredException",
          "ReportExpired",
        )
      ) {
        throw err;
      }
      // Not there yet (or expired between the two calls): ask again, then keep polling.
      if (!isAwsError(err, "ReportInProgress", "CredentialReportNotReadyException")) {
        await iam.send(new GenerateCredentialReportCommand({}));
      }
      ready = false;
    }
    if (Date.now() > deadline)
      throw new Error(`the IAM credential report was not ready after ${timeoutMs / 1000} s`);
  }
}

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

async function checkCloudTrail(cloudtrail: CloudTrailClient): Promise<ControlOutcome[]> {
  const trails =
    (await cloudtrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }))).trailList ?? [];
  const multi = trails.filter((t) => t.IsMultiRegionTrail);
  if (multi.length === 0) {
    return [
      {
        control: "cloudtrail-enabled",
        status: "NON_COMPLIANT",
        reason: trails.length ? "no multi-region trail (only single-region trails)" : "no CloudTrail trail",
      },
    ];
  }
  for (const t of multi) {
    const status = await cloudtrail.send(new GetTrailStatusCommand({ Name: t.TrailARN ?? t.Name }));
    if (status.IsLogging) {
      return [
        {
          control: "cloudtrail-enabled",
          status: "COMPLIANT",
          reason: `multi-region trail ${t.Name} is logging`,
          resourceType: "AWS::CloudTrail::Trail",
          resourceId: t.TrailARN ?? t.Name ?? "",
        },
      ];
    }
  }
  return [
    {
      control: "cloudtrail-enabled",
      status: "NON_COMPLIANT",
      reason: `multi-region trail(s) not logging: ${multi.map((t) => t.Name).join(" ")}`,
    },
  ];
}

async function checkGuardDuty(guardduty: GuardDutyClient): Promise<ControlOutcome[]> {
  const ids = (await guardduty.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  if (ids.length === 0)
    return [
      {
        control: "guardduty-enabled",
        status: "NON_COMPLIANT",
        reason: "no GuardDuty detector in the home region",
      },
    ];
  for (const id of ids) {
    const d = await guardduty.send(new GetDetectorCommand({ DetectorId: id }));
    if (d.Status === "ENABLED") {
      return [
        {
          control: "guardduty-enabled",
          status: "COMPLIANT",
          reason: `detector ${id} is enabled`,
          resourceType: "AWS::GuardDuty::Detector",
          resourceId: id,
        },
      ];
    }
  }
  return [
    {
      control: "guardduty-enabled",
      status: "NON_COMPLIANT",
      reason: `detector(s) disabled: ${ids.join(" ")}`,
    },
  ];
}

async function checkConfigRecorder(config: ConfigServiceClient): Promise<ControlOutcome[]> {
  const statuses =
    (await config.send(new DescribeConfigurationRecorderStatusCommand({}))).ConfigurationRecordersStatus ??
    [];
  if (statuses.length === 0)
    return [
      {
        control: "config-recorder",
        status: "NON_COMPLIANT",
        reason: "no configuration recorder in the home region",
      },
    ];
  const recording = statuses.find((s) => s.recording);
  return [
    recording
      ? { control: "config-recorder", status: "COMPLIANT", reason: `recorder ${recording.name} is recording` }
      : {
          control: "config-recorder",
          status: "NON_COMPLIANT",
          reason: `recorder ${statuses[0]?.name} is not recording`,
        },
  ];
}
