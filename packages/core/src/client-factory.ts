import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import { getUserAgentMiddlewareOptions, userAgentMiddleware } from "@aws-sdk/core/client";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  BuildMiddleware,
  MiddlewareStack,
} from "@smithy/types";
import type { ApiCallCounter } from "./api-call-counter.js";
import { DEFAULT_CONCURRENCY } from "./fan-out.js";
import { ENDPOINT_OF_ERROR } from "./network-error.js";
import { organizationsRegion } from "./partition.js";
import { RequestPace } from "./request-pace.js";
import {
  firstIdentity,
  OPERATOR_SCOPE,
  outsideScope,
  RequestScopes,
  type ScopeRun,
  scopedSigners,
} from "./request-scope.js";
import { BackoffRetryStrategy, ScopePauses } from "./retry-strategy.js";

export interface ClientFactoryOptions {
  /** Region for regional services; Organizations is global and signs in its partition's region (organizationsRegion). */
  region: string;
  /** Endpoint override (a local emulator); the SDK also honours AWS_ENDPOINT_URL by itself. */
  endpoint?: string | undefined;
  /** Total attempts per call including the first; BackoffRetryStrategy backs off between them. */
  maxAttempts?: number;
  /** Parallel requests orgwarden makes; sizes the keep-alive socket pool. */
  concurrency?: number;
  /** Organizations requests per second (it throttles per organization); 0 for no pacing. */
  organizationsRate?: number;
  /** Organizations requests in flight at once. */
  organizationsConcurrency?: number;
  requestTimeoutMs?: number;
  callCounter?: ApiCallCounter;
}

export type Credentials = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** Who a client acts as: `scope` is a stable key (an account id, or OPERATOR_SCOPE). */
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
/** Organizations requests per second, across the whole command (it throttles per organization). */
export const DEFAULT_ORGANIZATIONS_RATE = 20;
/** Organizations requests in flight at once. */
export const DEFAULT_ORGANIZATIONS_CONCURRENCY = 8;

/**
 * Makes SDK clients that share one keep-alive connection pool, one retry policy and one endpoint
 * override. One SDK client is made per service, region and attempt count, and shared by every
 * account: what `create` returns for a scope is a thin view of it that signs each request with the
 * scope's credentials. Building a client resolves its whole configuration and starts an empty
 * signing-key cache, which cost about twice the CPU of the requests themselves when it was done per
 * account. No module-level state, so tests and the emulator inject their own factory.
 */
export class ClientFactory {
  readonly options: Readonly<ClientFactoryOptions>;
  readonly #handler: NodeHttpHandler;
  readonly #shared = new Map<string, SdkClient>();
  readonly #views = new Map<string, { view: SdkClient; run: ScopeRun }>();
  readonly #scopes = new RequestScopes();
  readonly #credentials = this.#scopes.sharedCredentials();
  readonly #organizationsPace: RequestPace;

  constructor(options: ClientFactoryOptions) {
    this.options = options;
    // Each account runs several checks at once: size the pool so they never queue for a socket.
    const sockets = Math.max(64, (options.concurrency ?? DEFAULT_CONCURRENCY) * 8);
    this.#handler = new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: sockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: sockets }),
      connectionTimeout: 5_000,
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      throwOnRequestTimeout: true,
    });
    this.#organizationsPace = new RequestPace(
      options.organizationsRate ?? DEFAULT_ORGANIZATIONS_RATE,
      options.organizationsConcurrency ?? DEFAULT_ORGANIZATIONS_CONCURRENCY,
    );
  }

  /** A client of class `Ctor` acting as `scope`. */
  create<C extends SdkClient>(Ctor: ClientConstructor<C>, scope: ClientScope): C {
    const region = scope.region ?? this.options.region;
    const maxAttempts = scope.maxAttempts ?? this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const sharedKey = `${Ctor.name}|${region}|${maxAttempts}`;
    const viewKey = `${scope.scope}|${sharedKey}`;
    const view = this.#views.get(viewKey);
    if (view) return view.view as C;
    let shared = this.#shared.get(sharedKey);
    if (!shared) {
      // Throttling scope: this client's service and region, and the account of the call.
      const counter = this.options.callCounter;
      const pauses = new ScopePauses(
        undefined,
        counter ? (ms, scope) => counter.recordPause(ms, scope) : undefined,
      );
      shared = new Ctor({
        region,
        credentials: this.#credentials,
        maxAttempts,
        retryStrategy: new BackoffRetryStrategy(maxAttempts, {
          scopeOf: (info) => scopeOfError(info.error),
          pauses,
          ...(counter ? { onBackoff: (kind, ms, scope) => counter.recordBackoff(kind, ms, scope) } : {}),
        }),
        // The resolved middleware stack is kept per command class instead of rebuilt per request.
        cacheMiddleware: true,
        requestHandler: this.#handler,
        ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}),
      }) as SdkClient;
      scopedSigners(shared, this.#scopes);
      userAgentOnce(shared);
      this.#scope(shared, pauses);
      this.#countAttempts(shared);
      if (shared instanceof OrganizationsClient) this.#pace(shared);
      annotateErrors(shared, this.#scopes, (this.options.requestTimeoutMs ?? 30_000) / 1000);
      this.#shared.set(sharedKey, shared);
    }
    const made = scopedView(shared, this.#scopes, scope.scope, scope.credentials);
    this.#views.set(viewKey, made);
    return made.view as C;
  }

  /**
   * The Organizations client. Every attempt through it waits for its turn in one pace shared by the
   * whole command — at most `organizationsRate` requests per second and `organizationsConcurrency`
   * at once — whatever part of orgwarden makes it: Organizations throttles per organization.
   */
  organizations(credentials: Credentials): OrganizationsClient {
    return this.create(OrganizationsClient, {
      scope: OPERATOR_SCOPE,
      credentials,
      region: organizationsRegion(this.options.region),
    });
  }

  /** STS in the factory's region (regional endpoints: AssumeRoot rejects the global one). */
  sts(credentials: Credentials, scope = OPERATOR_SCOPE): STSClient {
    return this.create(STSClient, { scope, credentials });
  }

  #pace(client: SdkClient): void {
    const pace = this.#organizationsPace;
    client.middlewareStack.add((next) => (args) => pace.run(() => next(args)), {
      // After the retry middleware: each attempt takes a turn, none is held during a back-off.
      step: "finalizeRequest",
      name: "orgwardenOrganizationsPace",
      priority: "low",
    });
  }

  /**
   * Finds each call's scope (RequestScopes), counts the call for it, holds it while its scope is
   * paused by a throttle, ties its HTTP request to the scope right before it is signed, and marks
   * a failed attempt's error with it (for the retry strategy's pause).
   */
  #scope(client: SdkClient, pauses: ScopePauses): void {
    const scopes = this.#scopes;
    const counter = this.options.callCounter;
    const runOf = (args: unknown, what: string): ScopeRun => {
      const run = scopes.ofArgs(args);
      if (!run) throw outsideScope(what);
      return run;
    };
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const run = scopes.ofInput(args.input);
        if (!run) throw outsideScope("an SDK request");
        if (counter) {
          const [service, operation] = namesOf(context);
          counter.record(service, operation, run.scope);
        }
        const first = firstIdentity(run);
        if (first) await first;
        const paused = pauses.wait(run.scope);
        if (paused) await paused;
        const scoped = scopes.withScope(args, run);
        if (!counter) return next(scoped);
        const start = performance.now();
        try {
          return await next(scoped);
        } finally {
          counter.recordSpan(run.scope, start, performance.now());
        }
      },
      { step: "initialize", name: "orgwardenScope", priority: "high" },
    );
    // At the end of the build step: the HTTP request exists, and whatever copies it before it is
    // signed (S3's GetObject does) copies the header too.
    const stamp: BuildMiddleware<object, object> = (next) => (args) => {
      scopes.stamp(args.request, runOf(args, "a signed request"));
      return next(args);
    };
    client.middlewareStack.add(stamp, { step: "build", name: "orgwardenScopeStamp", priority: "low" });
  }

  /**
   * Counts each attempt (finalizeRequest) by the names the SDK gives its middleware context — not
   * by class names, which a bundler may rename (OrganizationsClient2). Calls are counted by #scope.
   */
  #countAttempts(client: SdkClient): void {
    const counter = this.options.callCounter;
    if (!counter) return;
    client.middlewareStack.add(
      (next, context) => (args) => {
        const [service, operation] = namesOf(context);
        counter.recordAttempt(service, operation);
        return next(args);
      },
      { step: "finalizeRequest", name: "orgwardenAttemptCounter", priority: "low" },
    );
  }

  /**
   * Forgets the client views of one scope (an account whose work is done), so memory stays flat
   * across thousands of accounts. The shared clients and the connection pool stay.
   */
  releaseScope(scope: string): void {
    const prefix = `${scope}|`;
    for (const [key, made] of this.#views) {
      if (!key.startsWith(prefix)) continue;
      this.#views.delete(key);
      this.#scopes.forget(made.run);
    }
  }

  /** Closes every socket; call once at the end of a command. */
  destroy(): void {
    this.#views.clear();
    for (const client of this.#shared.values()) client.destroy();
    this.#shared.clear();
    this.#handler.destroy();
  }
}

/** The headers the SDK's user-agent middleware sets. */
const USER_AGENT_HEADERS = ["user-agent", "x-amz-user-agent"] as const;

/**
 * A shared client's user-agent headers, made by the SDK's own middleware once for each set of what
 * they depend on, then set as they are. The SDK's middleware escapes and joins a dozen name/version
 * pairs and encodes the request's feature metrics again for every request: 6–9 % of a report's CPU
 * at 5,000 accounts (bench/README.md). Besides the client's configuration, the headers depend on the
 * features already set in the request's context (an S3 upload's checksum, say) and the user agent
 * sections added to it: those make the key. (Credentials' source metrics never show: when the user
 * agent is made, the context's identity is the shared client's placeholder, each scope's own
 * credentials are found only when the request is signed, as before this cache.)
 * client-factory.test.ts checks each request's headers against the SDK's own middleware.
 */
function userAgentOnce(client: SdkClient): void {
  const made = userAgentMiddleware(
    (client as unknown as { config: Parameters<typeof userAgentMiddleware>[0] }).config,
  );
  const byKey = new Map<string, Array<[string, string]>>();
  const headersOf = (args: { request?: unknown }) =>
    (args.request as { headers?: Record<string, string> } | undefined)?.headers;
  client.middlewareStack.add(
    (next, context) => (args) => {
      const target = headersOf(args);
      const key = target ? userAgentKey(context) : undefined;
      const known = key === undefined ? undefined : byKey.get(key);
      if (known && target) {
        for (const [name, value] of known) target[name] = value;
        return next(args);
      }
      return made((sent) => {
        const set = headersOf(sent);
        const values = USER_AGENT_HEADERS.map((h) => set?.[h]);
        // Kept only when the SDK set both: a request it passed by untouched teaches nothing.
        if (key !== undefined && values.every((v) => v !== undefined)) {
          byKey.set(
            key,
            USER_AGENT_HEADERS.map((h, i) => [h, values[i] as string]),
          );
        }
        return next(sent);
      }, context)(args);
    },
    { ...getUserAgentMiddlewareOptions, override: true },
  );
}

/** What the SDK's user agent reads of one request's context (checkFeatures in @aws-sdk/core), as one string. */
function userAgentKey(context: object): string {
  const c = context as {
    userAgent?: unknown;
    __smithy_context?: { features?: unknown };
    __aws_sdk_context?: { features?: unknown };
  };
  return JSON.stringify([c.userAgent, c.__smithy_context?.features, c.__aws_sdk_context?.features]);
}

/** The scope a failed attempt was made in, on its error: the retry strategy pauses that scope. */
const SCOPE_OF_ERROR = Symbol("orgwarden.scopeOfError");

function scopeOfError(error: unknown): string | undefined {
  return typeof error === "object" && error !== null
    ? ((error as { [SCOPE_OF_ERROR]?: string })[SCOPE_OF_ERROR] ?? undefined)
    : undefined;
}

function namesOf(context: unknown): readonly [string, string] {
  const c = context as { clientName?: string; commandName?: string };
  return [serviceOf(c.clientName), operationOf(c.commandName)];
}

/**
 * A view of a shared client that acts as one scope: every command sent through it is bound to the
 * scope (RequestScopes), so it is signed with the scope's credentials and counted for it.
 * Everything else — the configuration, the middleware stack — is the shared client's (the view's
 * prototype), so paginators and `instanceof` work on it as on the client itself.
 */
function scopedView(
  shared: SdkClient,
  scopes: RequestScopes,
  scope: string,
  credentials: Credentials,
): { view: SdkClient; run: ScopeRun } {
  const identity: AwsCredentialIdentityProvider =
    typeof credentials === "function" ? credentials : async () => credentials;
  const run: ScopeRun = { scope, identity };
  scopes.register(run);
  const view = Object.create(shared) as SdkClient & { send: SdkSend; config: object };
  // The view's configuration is the shared one with the scope's credentials, for whoever reads it.
  view.config = Object.create((shared as unknown as { config: object }).config, {
    credentials: { value: identity, enumerable: true },
  });
  const send = (shared as unknown as { send: SdkSend }).send.bind(shared);
  view.send = (command, ...rest) => {
    scopes.bind(command as { input?: unknown }, run);
    return send(command, ...rest);
  };
  // A view is never destroyed on its own: the shared client lives as long as the factory.
  view.destroy = () => {};
  return { view, run };
}

/** `send` of any SDK client. */
type SdkSend = (command: { constructor: { name: string } }, ...rest: unknown[]) => Promise<unknown>;

/**
 * Each failed attempt is marked with the service, operation and endpoint it was going to, so the
 * error can name them: a network failure (refused, DNS, TLS, timeout), or an endpoint that answers
 * an operation it does not implement with something other than an AWS response.
 */
function annotateErrors(client: SdkClient, scopes: RequestScopes, timeoutSeconds: number): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (err) {
        // The scope it was made in: the retry strategy pauses that scope after a throttle.
        const run = scopes.ofArgs(args);
        if (run && typeof err === "object" && err !== null) {
          Object.defineProperty(err, SCOPE_OF_ERROR, { value: run.scope, configurable: true });
        }
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
