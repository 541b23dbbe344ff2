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
/** Shorter sessions would be replaced every few requests (each replacement is one more AssumeRoot). */
export const MIN_ROOT_SESSION_SECONDS = 300;
/**
 * A cached session is replaced this long before it expires, so that no request (nor its retries)
 * is signed with credentials about to lapse.
 */
export const ROOT_SESSION_REFRESH_MS = 60_000;

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
  /** The clock a session's expiry is compared with (tests give their own). */
  now?: () => number;
  logger?: Logger;
}

/**
 * Short privileged sessions on member accounts' root users (sts:AssumeRoot), each limited by a
 * root-task policy. AssumeRoot needs a regional STS endpoint: the factory's STS client signs for the
 * home region. Every AssumeRoot is a privileged event in the member account's CloudTrail, the kind
 * security teams alert on: one session is opened per account and task and reused by every request
 * and every `withIam` of that task until a minute before it expires, then replaced. The factory's
 * clients ask the provider on every request, so the reuse has to happen here. A refused session is
 * not remembered: a later use asks AWS again. Credentials are never logged.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html
 */
export class RootSessions {
  readonly #options: RootSessionsOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #cache = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(options: RootSessionsOptions) {
    if ((options.durationSeconds ?? MAX_ROOT_SESSION_SECONDS) > MAX_ROOT_SESSION_SECONDS) {
      throw new OrgwardenError(
        "INVALID_INPUT",
        `an AssumeRoot session lasts at most ${MAX_ROOT_SESSION_SECONDS} s`,
      );
    }
    this.#options = options;
    this.#logger = options.logger ?? silentLogger();
    this.#now = options.now ?? Date.now;
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
    // The session is made (or found) here, so a refusal fails before any IAM call.
    await this.#session(accountId, task);
    // Its own client scope: never shared with another account, task or use, released after.
    const scope = `assume-root:${accountId}:${task}:${randomUUID()}`;
    const iam = this.#options.factory.create(IAMClient, {
      scope,
      credentials: () => this.#session(accountId, task),
    });
    try {
      return await fn(iam);
    } finally {
      this.#options.factory.releaseScope(scope);
    }
  }

  /**
   * Forgets the account's sessions, for every task: a thread done with the account never acts as its
   * root user again, and a session kept per account grew its heap with the organization.
   */
  forget(accountId: string): void {
    for (const key of this.#cache.keys()) if (key.startsWith(`${accountId}|`)) this.#cache.delete(key);
  }

  /** The account's session for `task`: the cached one while it has more than a minute left, else a new one. */
  async #session(accountId: string, task: RootTask): Promise<AwsCredentialIdentity> {
    const key = `${accountId}|${task}`;
    const cached = this.#cache.get(key);
    if (cached) {
      const creds = await cached.catch(() => undefined);
      const left = creds?.expiration ? creds.expiration.getTime() - this.#now() : Number.POSITIVE_INFINITY;
      // Another caller may have replaced the entry while this one waited: use the newest.
      if (creds && left > ROOT_SESSION_REFRESH_MS) return creds;
      if (this.#cache.get(key) !== cached) return this.#session(accountId, task);
    }
    const fresh = this.#assume(accountId, task);
    this.#cache.set(key, fresh);
    fresh.catch(() => {
      if (this.#cache.get(key) === fresh) this.#cache.delete(key);
    });
    return fresh;
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
