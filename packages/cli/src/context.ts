import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  ApiCallCounter,
  buildInventory,
  ClientFactory,
  type Credentials,
  createLogger,
  type Inventory,
  type Logger,
  type OrgAccount,
  OrgwardenError,
  RoleAssumer,
  resolveOperatorCredentials,
  type ScpSummary,
} from "@orgwarden/core";
import { type Paint, painter } from "@orgwarden/report";
import type { GlobalOptions } from "./global-options.js";
import type { Io } from "./io.js";
import { promptLine } from "./prompt.js";
import type { RunConfig } from "./run-config.js";

/** What every command works with; built from the global options, closed at the end of the command. */
export interface CommandContext {
  options: GlobalOptions;
  io: Io;
  /** The validated --config file, when one was given. */
  runConfig: RunConfig | undefined;
  logger: Logger;
  factory: ClientFactory;
  callCounter: ApiCallCounter;
  operatorCredentials: Credentials;
  /** Colours status words and plan signs on a terminal; a no-op when piped, --no-color or NO_COLOR. */
  paint: Paint;
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

export interface CreateContextExtras {
  logger?: Logger | undefined;
  runConfig?: RunConfig | undefined;
  operatorCredentials?: Credentials | undefined;
}

export function createContext(
  options: GlobalOptions,
  io: Io,
  extras: CreateContextExtras = {},
): CommandContext {
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
      env: io.env,
      promptMfaCode: io.interactive ? (serial) => promptLine(io, `MFA code for ${serial}: `) : undefined,
    });
  let inventory: Promise<Inventory> | undefined;
  let assumer: Promise<RoleAssumer> | undefined;
  const listeners: Array<(account: OrgAccount) => void> = [];
  let organization: Promise<{ managementAccountId: string }> | undefined;
  const ctx: CommandContext = {
    options,
    io,
    runConfig: extras.runConfig,
    logger: log,
    factory,
    callCounter,
    operatorCredentials,
    paint: painter(options.color && (io.stdoutIsTty || options.forceColor)),
    inventory(walk = {}) {
      if (!inventory) {
        let found: (o: { managementAccountId: string }) => void = () => {};
        const described = new Promise<{ managementAccountId: string }>((resolve) => {
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
      ctx.inventory().catch(() => {});
      assumer ??= Promise.all([
        organization as Promise<{ managementAccountId: string }>,
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
  return ctx;
}

/** The account of the operator's credentials (sts:GetCallerIdentity needs no permission). */
async function operatorAccount(factory: ClientFactory, credentials: Credentials): Promise<string> {
  const out = await factory.sts(credentials).send(new GetCallerIdentityCommand({}));
  if (!out.Account) throw new OrgwardenError("CREDENTIALS", "sts:GetCallerIdentity returned no account");
  return out.Account;
}
