import { randomUUID } from "node:crypto";
import { IAMClient } from "@aws-sdk/client-iam";
import { AssumeRootCommand } from "@aws-sdk/client-sts";
import {
  type ClientFactory,
  type Credentials,
  describeAwsError,
  identityFromSts,
  isAwsError,
  type Logger,
  OrgwardenError,
  silentLogger,
} from "@orgwarden/core";
import type { AwsCredentialIdentity } from "@smithy/types";

/** The AWS managed root-task policies orgwarden uses (https://docs.aws.amazon.com/IAM/latest/UserGuide/security-iam-awsmanpol.html). */
export const ROOT_TASKS = {
  audit: "IAMAuditRootUserCredentials",
  delete: "IAMDeleteRootUserCredentials",
} as const;
export type RootTask = (typeof ROOT_TASKS)[keyof typeof ROOT_TASKS];

/** AssumeRoot's longest session (and its default). */
export const MAX_ROOT_SESSION_SECONDS = 900;
/** Shorter sessions would be refreshed on every call: the SDK renews credentials 5 minutes before expiry. */
export const MIN_ROOT_SESSION_SECONDS = 300;

export function taskPolicyArn(task: RootTask, partition = "aws"): string {
  return `arn:${partition}:iam::aws:policy/root-task/${task}`;
}

export interface RootSessionsOptions {
  factory: ClientFactory;
  /** The management account's (or delegated administrator's) credentials: AssumeRoot's caller. */
  operatorCredentials: Credentials;
  managementAccountId: string;
  partition?: string;
  /** At most 900 s. */
  durationSeconds?: number;
  logger?: Logger;
}

/**
 * Short privileged sessions on member accounts' root users (sts:AssumeRoot), each limited by a
 * root-task policy. AssumeRoot needs a regional STS endpoint: the factory's STS client signs for the
 * home region. A session is never reused past its expiry: the SDK asks the provider again before
 * the credentials expire, and each `withIam` starts from a new session. Credentials are never logged.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html
 */
export class RootSessions {
  readonly #options: RootSessionsOptions;
  readonly #logger: Logger;

  constructor(options: RootSessionsOptions) {
    if ((options.durationSeconds ?? MAX_ROOT_SESSION_SECONDS) > MAX_ROOT_SESSION_SECONDS) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `an AssumeRoot session lasts at most ${MAX_ROOT_SESSION_SECONDS} s`,
      );
    }
    this.#options = options;
    this.#logger = options.logger ?? silentLogger();
  }

  get managementAccountId(): string {
    return this.#options.managementAccountId;
  }

  /**
   * Runs `fn` with an IAM client acting as `accountId`'s root user under `task`. Rejects with
   * ASSUME_ROOT_FAILED when AWS refuses the session (the account is then an ERROR, not the run).
   */
  async withIam<T>(accountId: string, task: RootTask, fn: (iam: IAMClient) => Promise<T>): Promise<T> {
    if (accountId === this.#options.managementAccountId) {
      throw new OrgwardenError(
        "REFUSED",
        `account ${accountId} is the management account: AWS does not allow sts:AssumeRoot on it`,
        {
          hint: "Centralized root access covers member accounts only; protect the management account's root user with MFA.",
        },
      );
    }
    // The first session is made here, so a refusal fails before any IAM call.
    let first: AwsCredentialIdentity | undefined = await this.#assume(accountId, task);
    // Its own client scope: never shared with another account, task or use, released after.
    const scope = `assume-root:${accountId}:${task}:${randomUUID()}`;
    const iam = this.#options.factory.create(IAMClient, {
      scope,
      credentials: async () => {
        const fresh = first ?? (await this.#assume(accountId, task));
        first = undefined;
        return fresh;
      },
    });
    try {
      return await fn(iam);
    } finally {
      this.#options.factory.releaseScope(scope);
    }
  }

  async #assume(accountId: string, task: RootTask): Promise<AwsCredentialIdentity> {
    const sts = this.#options.factory.sts(this.#options.operatorCredentials);
    const partition = this.#options.partition ?? "aws";
    this.#logger.debug({ accountId, task }, "assuming root");
    try {
      const out = await sts.send(
        new AssumeRootCommand({
          TargetPrincipal: accountId,
          TaskPolicyArn: { arn: taskPolicyArn(task, partition) },
          DurationSeconds: this.#options.durationSeconds ?? MAX_ROOT_SESSION_SECONDS,
        }),
      );
      return identityFromSts(out.Credentials, "ASSUME_ROOT_FAILED", `sts:AssumeRoot on account ${accountId}`);
    } catch (err) {
      if (err instanceof OrgwardenError) throw err;
      const described = describeAwsError(err, "STS");
      const denied = isAwsError(err, "AccessDenied", "AccessDeniedException");
      throw new OrgwardenError(
        "ASSUME_ROOT_FAILED",
        `sts:AssumeRoot on account ${accountId} (${task}) failed: ${described.message}`,
        {
          hint: denied
            ? "Check that centralized root access is on (orgwarden root status), that the caller may sts:AssumeRoot, and that no SCP denies the root user without the aws:AssumedRoot exemption (orgwarden's deny-root-user leaves it unless --block-assume-root)."
            : (described.hint ??
              "Check STS reachability in the home region (--region): AssumeRoot needs a regional endpoint."),
          cause: err,
          details: { accountId, task, ...described.details },
        },
      );
    }
  }
}
