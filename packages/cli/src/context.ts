import {
  ApiCallCounter,
  buildInventory,
  ClientFactory,
  type Credentials,
  createLogger,
  type Inventory,
  type Logger,
  RoleAssumer,
  resolveOperatorCredentials,
} from "@orgwarden/core";
import type { GlobalOptions } from "./global-options.js";
import type { Io } from "./io.js";
import { promptLine } from "./prompt.js";

/** What every command works with; built from the global options, closed at the end of the command. */
export interface CommandContext {
  options: GlobalOptions;
  io: Io;
  logger: Logger;
  factory: ClientFactory;
  callCounter: ApiCallCounter;
  operatorCredentials: Credentials;
  /** The organization, walked once per command however many times it is asked for. */
  inventory(): Promise<Inventory>;
  /** Member-account credentials, one AssumeRole per account per command. */
  roleAssumer(): Promise<RoleAssumer>;
  close(): void;
}

export function createContext(options: GlobalOptions, io: Io, logger?: Logger): CommandContext {
  const log = logger ?? createLogger({ level: options.logLevel });
  const callCounter = new ApiCallCounter();
  const factory = new ClientFactory({
    region: options.region,
    endpoint: options.endpointUrl,
    maxAttempts: options.maxAttempts,
    concurrency: options.concurrency,
    callCounter,
  });
  const operatorCredentials = resolveOperatorCredentials({
    factory,
    profile: options.profile,
    mfaSerial: options.mfaSerial,
    mfaCode: options.mfaCode,
    promptMfaCode: io.interactive ? (serial) => promptLine(io, `MFA code for ${serial}: `) : undefined,
  });
  let inventory: Promise<Inventory> | undefined;
  let assumer: Promise<RoleAssumer> | undefined;
  const ctx: CommandContext = {
    options,
    io,
    logger: log,
    factory,
    callCounter,
    operatorCredentials,
    inventory() {
      inventory ??= buildInventory({
        organizations: factory.organizations(operatorCredentials),
        logger: log,
      });
      return inventory;
    },
    roleAssumer() {
      assumer ??= ctx.inventory().then(
        (inv) =>
          new RoleAssumer({
            factory,
            operatorCredentials,
            managementAccountId: inv.managementAccountId,
            roleName: options.roleName,
            externalId: options.externalId,
            logger: log,
          }),
      );
      return assumer;
    },
    close() {
      log.debug({ calls: callCounter.byOperation(), attempts: callCounter.totalAttempts() }, "api calls");
      factory.destroy();
    },
  };
  return ctx;
}
