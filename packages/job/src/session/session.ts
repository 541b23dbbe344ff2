import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  ApiCallCounter,
  buildInventory,
  ClientFactory,
  type Credentials,
  createLogger,
  type Inventory,
  type Logger,
  type LogLevel,
  type OrgAccount,
  type OrganizationIdentity,
  OrgwardenError,
  RoleAssumer,
  resolveOperatorCredentials,
  type ScpSummary,
} from "@orgwarden/core";

/** How to reach AWS: the global options (flags, environment, the config file's connection). */
export interface SessionOptions {
  region: string;
  endpointUrl?: string | undefined;
  profile?: string | undefined;
  roleName: string;
  externalId?: string | undefined;
  concurrency: number;
  organizationsRate: number;
  /** Worker threads for the report, beside the main thread; undefined: one per core but one, for more than 100 accounts. */
  workers?: number | undefined;
  maxAttempts: number;
  /** Seconds. */
  requestTimeout: number;
  mfaSerial?: string | undefined;
  mfaCode?: string | undefined;
  logLevel: LogLevel;
}

/**
 * One connection to an organization for one command or one job run: the operator's credentials,
 * the shared SDK clients, the organization walked once, member accounts' credentials. A CLI command,
 * a Lambda handler or a test opens one with `openSession` and closes it at the end.
 */
export interface JobSession {
  options: SessionOptions;
  logger: Logger;
  factory: ClientFactory;
  callCounter: ApiCallCounter;
  operatorCredentials: Credentials;
  /**
   * The organization, walked once per command however many times it is asked for. The first call's
   * `scpTargetsOf` decides which SCPs' targets are read (default: all).
   */
  inventory(options?: InventoryOptions): Promise<Inventory>;
  /**
   * Calls `listener` with each account as the walk finds it (only for accounts found after the
   * call; register before the first inventory()), so account work can overlap the walk.
   */
  onAccount(listener: (account: OrgAccount) => void): void;
  /** Member-account credentials, one AssumeRole per account per command. */
  roleAssumer(): Promise<RoleAssumer>;
  close(): void;
}

export interface InventoryOptions {
  /** Only these SCPs' attachments are needed (the report needs only orgwarden's own). */
  scpTargetsOf?: (policy: ScpSummary) => boolean;
}

export interface OpenSessionExtras {
  logger?: Logger | undefined;
  /** Instead of the provider chain (the demo passes the emulator's dummy credentials). */
  operatorCredentials?: Credentials | undefined;
  /** Where AWS_* variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Asks for an MFA code on a terminal; without it, --mfa-serial needs --mfa-code. */
  promptMfaCode?: ((serial: string) => Promise<string>) | undefined;
}

export function openSession(options: SessionOptions, extras: OpenSessionExtras = {}): JobSession {
  const log = extras.logger ?? createLogger({ level: options.logLevel });
  const callCounter = new ApiCallCounter();
  const factory = new ClientFactory({
    region: options.region,
    endpoint: options.endpointUrl,
    maxAttempts: options.maxAttempts,
    concurrency: options.concurrency,
    organizationsRate: options.organizationsRate,
    requestTimeoutMs: options.requestTimeout * 1000,
    callCounter,
  });
  const operatorCredentials =
    extras.operatorCredentials ??
    resolveOperatorCredentials({
      factory,
      profile: options.profile,
      mfaSerial: options.mfaSerial,
      mfaCode: options.mfaCode,
      env: extras.env ?? process.env,
      promptMfaCode: extras.promptMfaCode,
    });
  let inventory: Promise<Inventory> | undefined;
  let assumer: Promise<RoleAssumer> | undefined;
  const listeners: Array<(account: OrgAccount) => void> = [];
  let organization: Promise<OrganizationIdentity> | undefined;
  const session: JobSession = {
    options,
    logger: log,
    factory,
    callCounter,
    operatorCredentials,
    inventory(walk = {}) {
      if (!inventory) {
        let found: (o: OrganizationIdentity) => void = () => {};
        const described = new Promise<OrganizationIdentity>((resolve) => {
          found = resolve;
        });
        inventory = buildInventory({
          organizations: factory.organizations(operatorCredentials),
          logger: log,
          onOrganization: found,
          ...(walk.scpTargetsOf ? { scpTargetsOf: walk.scpTargetsOf } : {}),
          onAccount: (account) => {
            for (const l of listeners) l(account);
          },
        });
        // The management account is known once DescribeOrganization answers; a walk that fails
        // before that rejects this too. Callers see the error through inventory(), so this copy
        // must not count as an unhandled rejection.
        organization = Promise.race([described, inventory]);
        organization.catch(() => {});
      }
      return inventory;
    },
    onAccount(listener) {
      listeners.push(listener);
    },
    roleAssumer() {
      // Needs only the management account's id (DescribeOrganization), not the whole walk, and the
      // operator's own account: the management account's, or a delegated administrator's.
      session.inventory().catch(() => {});
      assumer ??= Promise.all([
        organization as Promise<OrganizationIdentity>,
        operatorAccount(factory, operatorCredentials),
      ]).then(([org, operatorAccountId]) => {
        if (operatorAccountId !== org.managementAccountId)
          log.info(
            { operatorAccountId, managementAccountId: org.managementAccountId },
            "running from a delegated administrator: the management account is reached through its role",
          );
        return new RoleAssumer({
          factory,
          operatorCredentials,
          managementAccountId: org.managementAccountId,
          operatorAccountId,
          roleName: options.roleName,
          externalId: options.externalId,
          partition: org.partition,
          logger: log,
        });
      });
      return assumer;
    },
    close() {
      log.debug({ calls: callCounter.byOperation(), attempts: callCounter.totalAttempts() }, "api calls");
      factory.destroy();
    },
  };
  return session;
}

/** The account of the operator's credentials (sts:GetCallerIdentity needs no permission). */
async function operatorAccount(factory: ClientFactory, credentials: Credentials): Promise<string> {
  const out = await factory.sts(credentials).send(new GetCallerIdentityCommand({}));
  if (!out.Account) throw new OrgwardenError("CREDENTIALS", "sts:GetCallerIdentity returned no account");
  return out.Account;
}
