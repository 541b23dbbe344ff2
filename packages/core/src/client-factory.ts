import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, MiddlewareStack } from "@smithy/types";
import pLimit from "p-limit";
import type { ApiCallCounter } from "./api-call-counter.js";
import { ENDPOINT_OF_ERROR } from "./network-error.js";

export interface ClientFactoryOptions {
  /** Region for regional services; Organizations is global and always signs for us-east-1. */
  region: string;
  /** Endpoint override (a local emulator); the SDK also honours AWS_ENDPOINT_URL by itself. */
  endpoint?: string | undefined;
  /** Total attempts per call including the first; adaptive retry backs off between them. */
  maxAttempts?: number;
  /** Parallel requests orgwarden makes; sizes the keep-alive socket pool. */
  concurrency?: number;
  /** Parallel Organizations calls: it throttles hard, so keep this small. */
  organizationsConcurrency?: number;
  requestTimeoutMs?: number;
  callCounter?: ApiCallCounter;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Who a client acts as: `scope` is a stable key (an account id, or "operator"). */
export interface ClientScope {
  scope: string;
  credentials: Credentials;
  region?: string;
  /**
   * Fewer attempts than the factory's, for optional calls whose failure only skips a check (an
   * endpoint that does not implement the API should not cost eight backed-off attempts).
   */
  maxAttempts?: number;
}

interface SdkClient {
  // biome-ignore lint/suspicious/noExplicitAny: every client has its own input/output unions.
  middlewareStack: MiddlewareStack<any, any>;
  destroy(): void;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors take service-specific config.
type ClientConstructor<C> = new (config: any) => C;

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_ORGANIZATIONS_CONCURRENCY = 4;

/**
 * Makes SDK clients that share one keep-alive connection pool, one retry policy and one endpoint
 * override. Clients are cached per (client class, scope, region) for the life of the factory; no
 * module-level state, so tests and the emulator inject their own factory.
 */
export class ClientFactory {
  readonly options: Readonly<ClientFactoryOptions>;
  readonly #handler: NodeHttpHandler;
  readonly #clients = new Map<string, SdkClient>();
  readonly #organizationsLimit: ReturnType<typeof pLimit>;

  constructor(options: ClientFactoryOptions) {
    this.options = options;
    // Each account runs several checks at once: size the pool so they never queue for a socket.
    const sockets = Math.max(64, (options.concurrency ?? 16) * 8);
    this.#handler = new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: sockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: sockets }),
      connectionTimeout: 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
    });
    this.#organizationsLimit = pLimit(options.organizationsConcurrency ?? DEFAULT_ORGANIZATIONS_CONCURRENCY);
  }

  /** A client of class `Ctor` acting as `scope`. */
  create<C extends SdkClient>(Ctor: ClientConstructor<C>, scope: ClientScope): C {
    const region = scope.region ?? this.options.region;
    const maxAttempts = scope.maxAttempts ?? this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const key = `${Ctor.name}|${scope.scope}|${region}|${maxAttempts}`;
    const cached = this.#clients.get(key);
    if (cached) return cached as C;
    const client = new Ctor({
      region,
      credentials: scope.credentials,
      maxAttempts,
      retryMode: "adaptive",
      requestHandler: this.#handler,
      ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
    });
    this.#instrument(client, scope.scope);
    annotateErrors(client, (this.options.requestTimeoutMs ?? 30_000) / 1000);
    this.#clients.set(key, client);
    return client;
  }

  /**
   * The Organizations client. Every call through it waits for a slot in a small shared limit,
   * whatever part of orgwarden makes it, because Organizations throttles per account.
   */
  organizations(credentials: Credentials): OrganizationsClient {
    const key = `OrganizationsClient|operator|us-east-1|${this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}`;
    const cached = this.#clients.get(key);
    if (cached) return cached as unknown as OrganizationsClient;
    const client = this.create(OrganizationsClient, { scope: "operator", credentials, region: "us-east-1" });
    const limit = this.#organizationsLimit;
    client.middlewareStack.add((next) => (args) => limit(() => next(args)), {
      step: "initialize",
      name: "orgwardenOrganizationsConcurrency",
      priority: "high",
    });
    return client;
  }

  /** STS in the factory's region (regional endpoints: AssumeRoot rejects the global one). */
  sts(credentials: Credentials, scope = "operator"): STSClient {
    return this.create(STSClient, { scope, credentials });
  }

  #instrument(client: SdkClient, scope: string): void {
    const counter = this.options.callCounter;
    if (!counter) return;
    client.middlewareStack.add(
      (next, context) => (args) => {
        const c = context as { clientName?: string; commandName?: string };
        counter.record(serviceOf(c.clientName), operationOf(c.commandName), scope);
        return next(args);
      },
      { step: "initialize", name: "orgwardenCallCounter", priority: "high" },
    );
    client.middlewareStack.add(
      (next, context) => (args) => {
        const c = context as { clientName?: string; commandName?: string };
        counter.recordAttempt(serviceOf(c.clientName), operationOf(c.commandName));
        return next(args);
      },
      { step: "finalizeRequest", name: "orgwardenAttemptCounter", priority: "low" },
    );
  }

  /**
   * Forgets the clients of one scope (an account whose work is done), so memory stays flat across
   * thousands of accounts. The shared connection pool stays open.
   */
  releaseScope(scope: string): void {
    for (const key of this.#clients.keys()) if (key.split("|")[1] === scope) this.#clients.delete(key);
  }

  /** Closes every socket; call once at the end of a command. */
  destroy(): void {
    this.#clients.clear();
    this.#handler.destroy();
  }
}

/**
 * Each failed attempt is marked with the service, operation and endpoint it was going to, so the
 * error can name them: a network failure (refused, DNS, TLS, timeout), or an endpoint that answers
 * an operation it does not implement with something other than an AWS response.
 */
function annotateErrors(client: SdkClient, timeoutSeconds: number): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        const request = (args as { request?: { protocol?: string; hostname?: string; port?: number } })
          .request;
        if (typeof err === "object" && err !== null && request?.hostname) {
          const port = request.port ? `:${request.port}` : "";
          const c = context as { clientName?: string; commandName?: string };
          Object.defineProperty(err, ENDPOINT_OF_ERROR, {
            value: {
              service: serviceOf(c.clientName),
              operation: operationOf(c.commandName),
              endpoint: `${request.protocol ?? "https:"}//${request.hostname}${port}`,
              timeoutSeconds,
            },
            enumerable: false,
            configurable: true,
          });
        }
        throw err;
      }
    },
    { step: "finalizeRequest", name: "orgwardenErrorEndpoint", priority: "low" },
  );
}

function serviceOf(clientName: string | undefined): string {
  return (clientName ?? "Unknown").replace(/Client$/, "");
}

function operationOf(commandName: string | undefined): string {
  return (commandName ?? "Unknown").replace(/Command$/, "");
}
