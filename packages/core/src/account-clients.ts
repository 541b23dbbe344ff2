import type { RoleAssumer } from "./assume-role.js";
import type { ClientFactory } from "./client-factory.js";

// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific config.
type ClientConstructor<C> = new (config: any) => C;
type SdkClient = Parameters<ClientFactory["create"]>[0] extends ClientConstructor<infer C> ? C : never;

/**
 * SDK clients inside member accounts: credentials from the RoleAssumer (one AssumeRole per
 * account, cached), clients from the factory (one per account, service and region).
 */
export class AccountClients {
  readonly factory: ClientFactory;
  readonly assumer: RoleAssumer;

  constructor(factory: ClientFactory, assumer: RoleAssumer) {
    this.factory = factory;
    this.assumer = assumer;
  }

  get<C extends SdkClient>(Ctor: ClientConstructor<C>, accountId: string, region?: string): C {
    return this.factory.create(Ctor, {
      scope: accountId,
      credentials: this.assumer.providerFor(accountId),
      ...(region ? { region } : {}),
    });
  }

  /** Drops the account's cached clients once its work is done (its credentials stay cached). */
  release(accountId: string): void {
    this.factory.releaseScope(accountId);
  }

  /** Fails fast (ASSUME_ROLE_FAILED) when the account cannot be reached, before any other call. */
  async ensureReachable(accountId: string): Promise<void> {
    await this.assumer.credentialsFor(accountId);
  }
}
