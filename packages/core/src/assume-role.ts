import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { describeAwsError, isAwsError } from "./aws-error.js";
import type { ClientFactory, Credentials } from "./client-factory.js";
import { OrgwardenError } from "./errors.js";
import { type Logger, silentLogger } from "./logger.js";
import { identityFromSts } from "./sts-credentials.js";

/** The role orgwarden assumes when none is configured (the one AWS Organizations creates). */
export const DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole";
/** Refresh cached credentials this long before they expire (the SDK's own margin). */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface RoleAssumerOptions {
  factory: ClientFactory;
  operatorCredentials: Credentials;
  managementAccountId: string;
  /**
   * The account of the operator's credentials (sts:GetCallerIdentity), when it is not the management
   * account: orgwarden run from a delegated administrator. That account is served with the
   * operator's credentials, and the management account through the role like any other.
   */
  operatorAccountId?: string;
  roleName?: string;
  externalId?: string | undefined;
  partition?: string;
  /** At most one hour: role chaining (an operator that is itself a role session) caps it there. */
  durationSeconds?: number;
  sessionName?: string;
  now?: () => number;
  logger?: Logger;
}

/**
 * Credentials for each member account, by AssumeRole into `roleName`, made once per account and
 * reused until five minutes before they expire. The operator's own account — the management account,
 * or a delegated administrator's — is served with the operator's own credentials; from a delegated
 * administrator, the management account is reached through its role like a member.
 * A failure is remembered too: an account that cannot be reached is not asked again in one run.
 */
export class RoleAssumer {
  readonly roleName: string;
  readonly sessionName: string;
  readonly #options: RoleAssumerOptions;
  readonly #cache = new Map<string, Promise<AwsCredentialIdentity>>();
  readonly #now: () => number;
  readonly #logger: Logger;

  constructor(options: RoleAssumerOptions) {
    this.#options = options;
    this.roleName = options.roleName ?? DEFAULT_ROLE_NAME;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? silentLogger();
    this.sessionName =
      options.sessionName ?? `orgwarden-${new Date(this.#now()).toISOString().replace(/[:.]/g, "")}`;
  }

  get managementAccountId(): string {
    return this.#options.managementAccountId;
  }

  /** The organization's partition, which every role ARN it builds is in. */
  get partition(): string {
    return this.#options.partition ?? "aws";
  }

  roleArn(accountId: string): string {
    return `arn:${this.partition}:iam::${accountId}:role/${this.roleName}`;
  }

  /** The account whose calls use the operator's own credentials. */
  get operatorAccountId(): string {
    return this.#options.operatorAccountId ?? this.#options.managementAccountId;
  }

  isOperatorAccount(accountId: string): boolean {
    return accountId === this.operatorAccountId;
  }

  /** Credentials for `accountId`; rejects with ASSUME_ROLE_FAILED when the role cannot be assumed. */
  async credentialsFor(accountId: string): Promise<AwsCredentialIdentity> {
    if (this.isOperatorAccount(accountId)) {
      const op = this.#options.operatorCredentials;
      return typeof op === "function" ? op() : op;
    }
    const cached = this.#cache.get(accountId);
    if (cached) {
      const creds = await cached;
      if (!creds.expiration || creds.expiration.getTime() - this.#now() > REFRESH_MARGIN_MS) return creds;
    }
    const fresh = this.#assume(accountId);
    this.#cache.set(accountId, fresh);
    return fresh;
  }

  /**
   * Forgets the account's credentials (or its failure): a thread that evaluated the account never
   * needs them again, and keeping them for 10,000 accounts grew its heap by about 20 MB.
   */
  forget(accountId: string): void {
    // Kept for the management account: every other account's Config reads through an organization
    // aggregator act as it, and would each assume its role again.
    if (accountId === this.managementAccountId) return;
    this.#cache.delete(accountId);
  }

  /** Accounts whose credentials (or failure to get them) are held now. */
  get held(): number {
    return this.#cache.size;
  }

  /** A provider for SDK clients in `accountId`; the SDK calls it again when credentials near expiry. */
  providerFor(accountId: string): AwsCredentialIdentityProvider {
    return () => this.credentialsFor(accountId);
  }

  async #assume(accountId: string): Promise<AwsCredentialIdentity> {
    const roleArn = this.roleArn(accountId);
    const sts = this.#options.factory.sts(this.#options.operatorCredentials);
    this.#logger.debug({ accountId, roleArn }, "assuming role");
    try {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.sessionName,
          DurationSeconds: Math.min(this.#options.durationSeconds ?? 3600, 3600),
          ...(this.#options.externalId ? { ExternalId: this.#options.externalId } : {}),
        }),
      );
      return identityFromSts(out.Credentials, "ASSUME_ROLE_FAILED", `sts:AssumeRole into ${roleArn}`);
    } catch (err) {
      if (err instanceof OrgwardenError) throw err;
      const denied = isAwsError(err, "AccessDenied", "AccessDeniedException");
      const described = describeAwsError(err, "STS");
      throw new OrgwardenError("ASSUME_ROLE_FAILED", `cannot assume ${roleArn}: ${described.message}`, {
        hint: denied
          ? `Check that ${this.roleName} exists in account ${accountId}, trusts the management account${this.#options.externalId ? " with this external id" : ""}, and that the caller may sts:AssumeRole it (--role-name, --external-id).`
          : (described.hint ?? "Check STS reachability and --region."),
        cause: err,
        details: { accountId, ...described.details },
      });
    }
  }
}
