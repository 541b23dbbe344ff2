import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteSigningCertificateCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import {
  type AccountResult,
  accountsUnder,
  describeAwsError,
  fanOut,
  type Inventory,
  isAwsError,
  type Logger,
  type OrgAccount,
  OrgwardenError,
  type Plan,
  requireTarget,
  type Target,
} from "@orgwarden/core";
import { auditMemberRoots, outOfRootScope, type RootStatusRow } from "./audit-member-roots.js";
import {
  auditRootCredentials,
  describeRootCredentials,
  hasRootCredentials,
  type RootCredentials,
} from "./root-credentials.js";
import {
  canManageRootCredentials,
  describeRootAccessFeatures,
  type RootAccessFeatures,
} from "./root-features.js";
import { ROOT_TASKS, type RootSessions } from "./root-sessions.js";

/** One deletion in a member account, made in an AssumeRoot session under IAMDeleteRootUserCredentials. */
export type RootRemovalStep =
  | { kind: "delete-access-key"; accessKeyId: string; status: string }
  | { kind: "delete-signing-certificate"; certificateId: string; status: string }
  | { kind: "delete-login-profile" }
  | { kind: "deactivate-mfa-device"; serialNumber: string };

export interface RootRemovalAccountPlan {
  account: OrgAccount;
  /** From the audit: what the account's root user has now (absent when the audit failed or the account is out of scope). */
  audit: RootStatusRow;
  steps: RootRemovalStep[];
  /** What stays on purpose (MFA devices with --keep mfa). */
  kept: string[];
}

export interface RootRemovalPlan extends Pick<Plan<RootRemovalStep>, "changes"> {
  target: Target;
  keepMfa: boolean;
  accounts: RootRemovalAccountPlan[];
  /** Deletions in total. */
  changes: number;
}

export interface PlanRootRemovalInput {
  inventory: Inventory;
  targetId: string;
  features: RootAccessFeatures;
  sessions: RootSessions;
  keepMfa: boolean;
  /** The organization root as the target: every member account. Refused unless set. */
  allowRoot?: boolean;
  /** How the caller's user allows the root (a flag, or a config field): named in the refusal. */
  allowRootHint?: string;
  concurrency?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Plans `root remove-credentials`: refuses (nothing changed) when root credentials management is
 * off, or when the target is the management account or a suspended account; audits every member
 * account under the target and lists, per account, what will be deleted. An account whose audit
 * fails is in the plan with its error and is not touched.
 */
export async function planRootCredentialRemoval(input: PlanRootRemovalInput): Promise<RootRemovalPlan> {
  if (!canManageRootCredentials(input.features)) {
    throw new OrgwardenError(
      "REFUSED",
      `centralized root access is not enabled (${describeRootAccessFeatures(input.features)}): nothing was changed`,
      { hint: "Run orgwarden root enable first (trusted access for IAM, then RootCredentialsManagement)." },
    );
  }
  const target = requireTarget(input.inventory, input.targetId);
  if (target.kind === "root" && !input.allowRoot) {
    throw new OrgwardenError(
      "REFUSED",
      `refusing to remove root credentials under the organization root ${target.id}: that is every member account`,
      { hint: input.allowRootHint ?? "Target an OU, or pass --allow-root if that is what you mean." },
    );
  }
  if (target.kind === "account") {
    const out = outOfRootScope(target.account, input.sessions.managementAccountId);
    if (out) {
      throw new OrgwardenError(
        "REFUSED",
        `cannot remove root credentials of account ${target.id}: ${out.reason}`,
        {
          hint: "Target a member account that is ACTIVE, or an OU (such accounts are listed and left alone).",
        },
      );
    }
  }
  const accounts = accountsUnder(input.inventory, target.id);
  const audits = await auditMemberRoots({
    accounts,
    features: input.features,
    sessions: input.sessions,
    ...(input.concurrency ? { concurrency: input.concurrency } : {}),
    ...(input.logger ? { logger: input.logger } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
  const planned = audits.map((audit): RootRemovalAccountPlan => {
    const c = audit.credentials;
    if (!c) return { account: audit.account, audit, steps: [], kept: [] };
    return {
      account: audit.account,
      audit,
      steps: removalSteps(c, input.keepMfa),
      kept: input.keepMfa ? c.mfaDevices.map((d) => `MFA device ${d.serial}`) : [],
    };
  });
  return {
    target,
    keepMfa: input.keepMfa,
    accounts: planned,
    changes: planned.reduce((n, a) => n + a.steps.length, 0),
  };
}

/**
 * Keys and certificates first, then the password, then MFA (which guards the password until it is
 * gone). A virtual MFA device is deactivated, not deleted: the task policy denies its actions on any
 * resource but the root user, and iam:DeleteVirtualMFADevice acts on the device's own ARN, so the
 * unassigned device object stays in the account (an IAM administrator there can delete it).
 */
export function removalSteps(c: RootCredentials, keepMfa: boolean): RootRemovalStep[] {
  return [
    ...c.accessKeys.map((k) => ({ kind: "delete-access-key" as const, accessKeyId: k.id, status: k.status })),
    ...c.signingCertificates.map((x) => ({
      kind: "delete-signing-certificate" as const,
      certificateId: x.id,
      status: x.status,
    })),
    ...(c.password ? [{ kind: "delete-login-profile" as const }] : []),
    ...(keepMfa
      ? []
      : c.mfaDevices.map((d) => ({ kind: "deactivate-mfa-device" as const, serialNumber: d.serial }))),
  ];
}

export function describeRootRemovalStep(step: RootRemovalStep): string {
  switch (step.kind) {
    case "delete-access-key":
      return `delete access key ${step.accessKeyId} (${step.status.toLowerCase()})`;
    case "delete-signing-certificate":
      return `delete signing certificate ${step.certificateId} (${step.status.toLowerCase()})`;
    case "delete-login-profile":
      return "delete the root password (login profile)";
    case "deactivate-mfa-device":
      return `deactivate MFA device ${step.serialNumber}`;
  }
}

export interface RootRemovalResult {
  /** Steps done, and steps whose credential was already gone (removed since the plan). */
  done: RootRemovalStep[];
  alreadyAbsent: RootRemovalStep[];
  /**
   * MFA steps left undone because the root user still had a password, keys or certificates when
   * they came (one appeared since the plan, or a deletion failed): MFA keeps guarding them.
   */
  keptMfa: RootRemovalStep[];
  /** Why MFA was kept: credentials were left for it to guard, or the check before it could not read them. */
  keptMfaBecause?: "credentials-left" | "unread";
  /** The step that failed, with the reason; the steps after it were not attempted. */
  failed?: { step: RootRemovalStep; reason: string };
  /**
   * The root user's credentials read again after the deletions, in the same session; absent when
   * that read failed (throttling, an expired session), with the reason in `unconfirmed`. What was
   * deleted before stays in `done` either way.
   */
  after: RootCredentials | undefined;
  unconfirmed?: string;
}

/**
 * One account of a removal, as the user reads it: DONE (nothing left that should go), PARTIAL
 * (something was deleted, but not everything, or the read-back could not confirm it), ERROR
 * (nothing was deleted: the session was refused, or the first deletion failed).
 */
export type RootRemovalStatus = "DONE" | "PARTIAL" | "ERROR";

export interface RootRemovalOutcome {
  account: OrgAccount;
  status: RootRemovalStatus;
  /** What was deleted or deactivated, in order (also when the account is PARTIAL). */
  removed: RootRemovalStep[];
  alreadyAbsent: RootRemovalStep[];
  keptMfa: RootRemovalStep[];
  keptMfaBecause?: RootRemovalResult["keptMfaBecause"];
  failed?: { step: RootRemovalStep; reason: string };
  /** What the root user has after the removal (absent when it could not be read). */
  after?: RootCredentials;
  /** Why the account is not DONE. */
  reason?: string;
}

/** Per account: DONE, PARTIAL or ERROR, with what was removed before anything failed. */
export function removalOutcome(
  result: AccountResult<OrgAccount, RootRemovalResult>,
  keepMfa: boolean,
): RootRemovalOutcome {
  if (!result.ok) {
    const e = result.error;
    return {
      account: result.account,
      status: "ERROR",
      removed: [],
      alreadyAbsent: [],
      keptMfa: [],
      reason: e.hint ? `${e.message} (${e.hint})` : e.message,
    };
  }
  const v = result.value;
  const base = {
    account: result.account,
    removed: v.done,
    alreadyAbsent: v.alreadyAbsent,
    keptMfa: v.keptMfa,
    ...(v.keptMfaBecause ? { keptMfaBecause: v.keptMfaBecause } : {}),
    ...(v.failed ? { failed: v.failed } : {}),
    ...(v.after ? { after: v.after } : {}),
  };
  if (!remainsAfter(v, keepMfa)) return { ...base, status: "DONE" };
  const reasons = [
    ...(v.failed ? [`failed at "${describeRootRemovalStep(v.failed.step)}": ${v.failed.reason}`] : []),
    ...(v.unconfirmed ? [`could not read the root user back to confirm: ${v.unconfirmed}`] : []),
    ...(v.after && (hasRootCredentials(v.after) || (!keepMfa && v.after.mfaDevices.length > 0))
      ? [`root user still has ${describeRootCredentials(v.after, !keepMfa).join(", ")}`]
      : []),
  ];
  return {
    ...base,
    status: v.done.length > 0 ? "PARTIAL" : "ERROR",
    reason: reasons.join("; "),
  };
}

export interface ApplyRootRemovalInput {
  sessions: RootSessions;
  concurrency?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Deletes what the plan lists, account by account in parallel, each in its own AssumeRoot session
 * under IAMDeleteRootUserCredentials, then reads the root user's credentials again to confirm. A
 * credential already gone counts as done (a second run, or a concurrent change); an account whose
 * session is refused is a failed result and the others go on. `remainsAfter` says whether the
 * account still needs attention.
 */
export async function applyRootCredentialRemoval(
  plan: RootRemovalPlan,
  input: ApplyRootRemovalInput,
): Promise<Array<AccountResult<OrgAccount, RootRemovalResult>>> {
  const work = plan.accounts.filter((a) => a.steps.length > 0);
  const steps = new Map(work.map((a) => [a.account.id, a.steps]));
  return fanOut(
    work.map((a) => a.account),
    async (account) => {
      const result = await input.sessions.withIam(account.id, ROOT_TASKS.delete, (iam) =>
        removeInSession(iam, steps.get(account.id) ?? []),
      );
      input.logger?.info(
        {
          accountId: account.id,
          deleted: result.done.length,
          credentialsLeft: result.after ? hasRootCredentials(result.after) : "unconfirmed",
        },
        "root credentials removed",
      );
      return result;
    },
    {
      ...(input.concurrency ? { concurrency: input.concurrency } : {}),
      ...(input.logger ? { logger: input.logger } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    },
  );
}

/**
 * The steps of one account, in one delete session. Before the first MFA step the root user is read
 * again: MFA is only deactivated once nothing it guards is left. A step that fails stops the
 * account; what was done before it is kept in the result, with the failure.
 */
async function removeInSession(
  iam: IAMClient,
  steps: readonly RootRemovalStep[],
): Promise<RootRemovalResult> {
  const result: RootRemovalResult = { done: [], alreadyAbsent: [], keptMfa: [], after: undefined };
  let mfaChecked = false;
  let keepMfa = false;
  for (const step of steps) {
    if (step.kind === "deactivate-mfa-device") {
      if (!mfaChecked) {
        mfaChecked = true;
        // A read that fails cannot show that nothing is left: MFA stays (the safe side).
        const left = await auditRootCredentials(iam).then(hasRootCredentials, () => "unread" as const);
        keepMfa = left !== false;
        if (keepMfa) result.keptMfaBecause = left === "unread" ? "unread" : "credentials-left";
      }
      if (keepMfa) {
        result.keptMfa.push(step);
        continue;
      }
    }
    try {
      (await runStep(iam, step)) ? result.done.push(step) : result.alreadyAbsent.push(step);
    } catch (err) {
      const e = describeAwsError(err, "IAM");
      result.failed = { step, reason: e.hint ? `${e.message} (${e.hint})` : e.message };
      break;
    }
  }
  // The deletions above happened whatever this read says: a failure here must not lose them.
  try {
    result.after = await auditRootCredentials(iam);
  } catch (err) {
    const e = describeAwsError(err, "IAM");
    result.unconfirmed = e.hint ? `${e.message} (${e.hint})` : e.message;
  }
  return result;
}

/**
 * True when the account still has what the removal should have taken, a step failed, or the
 * read-back could not confirm that nothing is left.
 */
export function remainsAfter(result: RootRemovalResult, keepMfa: boolean): boolean {
  const after = result.after;
  return (
    result.failed !== undefined ||
    after === undefined ||
    hasRootCredentials(after) ||
    (!keepMfa && after.mfaDevices.length > 0)
  );
}

/** One deletion: true when done, false when the credential was already gone (NoSuchEntity). */
async function runStep(iam: IAMClient, step: RootRemovalStep): Promise<boolean> {
  try {
    switch (step.kind) {
      case "delete-access-key":
        await iam.send(new DeleteAccessKeyCommand({ AccessKeyId: step.accessKeyId }));
        break;
      case "delete-signing-certificate":
        await iam.send(new DeleteSigningCertificateCommand({ CertificateId: step.certificateId }));
        break;
      case "delete-login-profile":
        await iam.send(new DeleteLoginProfileCommand({}));
        break;
      case "deactivate-mfa-device":
        await iam.send(new DeactivateMFADeviceCommand({ SerialNumber: step.serialNumber }));
        break;
    }
    return true;
  } catch (err) {
    if (isAwsError(err, "NoSuchEntity", "NoSuchEntityException")) return false;
    throw err;
  }
}
